"""A new device's role, guessed from what its agent says about itself.

Role is a declared fact (DESIGN.md §5): the guess is only for devices SNMP creates,
so an engineer finds them sorted; it never changes a role someone set.
"""

from __future__ import annotations

from discovery.records import DeviceObservation

# Words of sysDescr / entity model, checked in order: the first that matches decides.
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("firewall", ("firewall", "palo alto", "fortigate", "fortinet", "asa ", "ngfw", "pa-")),
    ("storage", ("netapp", "isilon", "ontap", "storage", "nas ")),
    ("load_balancer", ("load balancer", "big-ip", "netscaler")),
    ("router", ("router", "mx960", "junos", "isr", "asr")),
    ("switch", ("switch", "nexus", "catalyst", "ws-c", "procurve", "arista", "nx-os", "comware")),
    ("server", ("linux", "windows", "vmware", "esxi", "freebsd")),
)


def guess_role(obs: DeviceObservation) -> str:
    text = " ".join(
        filter(None, (obs.system.descr, obs.chassis.model if obs.chassis else None))
    ).lower()
    for role, words in ROLE_WORDS:
        if any(w in text for w in words):
            return role
    return "server" if obs.host and obs.host.memory_kb else "other"
