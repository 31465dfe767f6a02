"""Discovery against devices the first fleet does not cover: many vendors, an agent that
answers out of order, agents without ENTITY-MIB serials (snmpsim-data recordings served
by one snmpsim, ``vendor_fleet``), and an agent that chokes on large bulks.

Every expectation is what the recording itself holds: the sysObjectID's enterprise, the
chassis MIB objects' values, the LLDP rows counted in the file.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from cmdb.choices import RunStatus, SiteKind
from cmdb.models import Device, DiscoveryResult, DiscoveryRun
from discovery.credentials import SnmpProfile
from discovery.discover import PlanDefaults, collect, reconcile_outcomes
from discovery.records import Target, TargetOutcome
from discovery.snmp import oids
from discovery.snmp.collector import Limits
from tests import factories
from tests.integration.discovery import agents, vendor_agents

pytestmark = pytest.mark.slow  # real agents

LIMITS = Limits(concurrency=8, deadline_s=30, timeout_s=2.0, retries=1)

# community → (vendor from sysObjectID, manufacturer stored); software agents make no box
VENDORS = {
    "ruijie": ("Ruijie", "Ruijie"),
    "juniper": ("Juniper", "Juniper"),
    "cisco": ("Cisco", "Cisco"),
    "paloalto": ("Palo Alto Networks", "Palo Alto Networks"),
    "fortinet": ("Fortinet", "Fortinet"),
    "huawei": ("Huawei", "Huawei"),
    "h3c": ("H3C", "H3C"),
    "aruba": ("HPE Aruba", "HPE Aruba"),
    "netapp": ("NetApp", "NetApp"),
    "hpoa": ("HPE", "HPE"),
    "windows": ("Microsoft", None),
    "linux": ("Net-SNMP", None),
}
# Devices whose ENTITY-MIB has no chassis serial: model and serial from their own MIB,
# as the recording holds them.
FROM_CHASSIS_MIB = {
    # JUNIPER-MIB jnxBoxDescr, jnxBoxSerialNo
    "juniper": ("Juniper MX960 Internet Backbone Router", "JN11FCEC5AFA"),
    # CISCO-STACK-MIB chassisModel (this router says "D0"), chassisSerialNumberString
    "cisco": ("D0", "CAT0625X0DP"),
    # NETAPP-MIB productModel, productSerialNum
    "netapp": ("FAS3270", "940001051000"),
    # CPQSINFO-MIB cpqSiProductName, cpqSiSysSerialNum (an HP Onboard Administrator)
    "hpoa": ("BladeSystem c7000 Enclosure G2", "6CU250TV5C"),
}


@pytest.fixture(scope="module")
def outcomes(vendor_fleet) -> dict[str, TargetOutcome]:
    pairs = [(t, vendor_fleet.profiles[t.profile]) for t in vendor_fleet.targets]
    return {o.target.profile or "": o for o in collect(pairs, LIMITS)}


def _recording(fleet, community: str) -> list[str]:
    return (fleet.data / f"{community}.snmprec").read_text(encoding="latin-1").splitlines()


def test_every_vendor_agent_answers_every_table(outcomes) -> None:
    bad = {c: (o.status, o.error) for c, o in outcomes.items() if o.status != RunStatus.SUCCEEDED}
    assert not bad


@pytest.mark.parametrize(("community", "vendor", "maker"), [(c, *v) for c, v in VENDORS.items()])
def test_vendor_comes_from_the_sys_object_id_enterprise(outcomes, community, vendor, maker):
    obs = outcomes[community].observation
    assert obs is not None and obs.vendor == vendor
    assert (obs.chassis.manufacturer if obs.chassis else None) == maker


@pytest.mark.parametrize(
    ("community", "model", "serial"), [(c, *v) for c, v in FROM_CHASSIS_MIB.items()]
)
def test_model_and_serial_come_from_the_vendor_chassis_mib(
    vendor_fleet, outcomes, community, model, serial
):
    lines = _recording(vendor_fleet, community)
    assert not [ln for ln in lines if ln.startswith(oids.ENT_SERIAL + ".")]  # no ENTITY serial
    assert any(ln.endswith(f"|{serial}") for ln in lines)
    chassis = outcomes[community].observation.chassis
    assert (chassis.model, chassis.serial) == (model, serial)


def test_an_out_of_order_lldp_table_yields_every_neighbour_with_a_warning(vendor_fleet, outcomes):
    """The Ruijie's lldpRemTable rows are in its file (so on the wire) out of order."""
    lines = _recording(vendor_fleet, "ruijie")
    names = [ln for ln in lines if ln.startswith(oids.LLDP_REM_SYS_NAME + ".")]
    ruijie = outcomes["ruijie"]
    assert ruijie.status == RunStatus.SUCCEEDED  # nothing lost …
    assert len(ruijie.observation.neighbours) == len(names) == 151
    [warning] = ruijie.warnings  # … and it says what it worked around
    assert warning.startswith("lldpRemTable: the agent answered") and "out of order" in warning


def test_net_snmp_walks_the_same_rows_only_when_told_not_to_check_order(vendor_fleet, outcomes):
    """The reference: snmpbulkwalk stops ("OID not increasing") unless given -Cc."""
    target = vendor_fleet.target("ruijie")
    ruijie = outcomes["ruijie"].observation
    checked = _bulkwalk(target, oids.LLDP_REM_SYS_NAME)
    unchecked = _bulkwalk(target, oids.LLDP_REM_SYS_NAME, "-Cc")
    assert checked.returncode != 0 and "OID not increasing" in checked.stderr
    rows = [
        ln for ln in unchecked.stdout.splitlines() if ln.startswith("." + oids.LLDP_REM_SYS_NAME)
    ]
    assert len(rows) == len(ruijie.neighbours)


def _bulkwalk(target: Target, oid: str, *flags: str) -> subprocess.CompletedProcess[str]:
    address = f"udp:{target.host}:{target.port}"
    command = ["snmpbulkwalk", "-v2c", "-c", target.profile or "", "-On", *flags, address, oid]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def test_the_warning_is_on_the_result_and_the_run_counts_it(session, outcomes) -> None:
    dc = factories.site(session, kind=SiteKind.DATA_CENTRE, slug="ttdl", name="TTDL")
    report = reconcile_outcomes(session, [outcomes["ruijie"]], PlanDefaults(site_id=dc.id))
    run = session.get(DiscoveryRun, report.run_id)
    [result] = session.scalars(sa.select(DiscoveryResult).where(DiscoveryResult.run == run))
    assert run.status == RunStatus.SUCCEEDED and run.stats["warnings"] == 1
    assert result.status == RunStatus.SUCCEEDED
    assert result.error.startswith("warning: lldpRemTable: the agent answered")
    device = session.scalars(sa.select(Device)).one()
    assert (device.manufacturer, device.sys_object_id) == (
        "Ruijie",
        "1.3.6.1.4.1.4881.1.1.10.1.165",
    )


def test_juniper_device_is_stored_with_its_chassis_mib_model_and_serial(session, outcomes):
    dc = factories.site(session, kind=SiteKind.DATA_CENTRE, slug="ttdl", name="TTDL")
    reconcile_outcomes(session, [outcomes["juniper"]], PlanDefaults(site_id=dc.id))
    device = session.scalars(sa.select(Device)).one()
    assert (device.manufacturer, device.model, device.serial) == (
        "Juniper",
        "Juniper MX960 Internet Backbone Router",
        "JN11FCEC5AFA",
    )


# An agent that chokes on large bulks: each hrStorageTable number takes the agent 40 ms
# (snmpsim's delay variation), so a GETBULK of 5 rows of its 5 columns (15 numbers)
# outlasts a 0.5 s timeout while one row at a time does not.
SLOW_MS = 40
SLOW_COLUMNS = (oids.HR_STORAGE_UNITS, oids.HR_STORAGE_SIZE, oids.HR_STORAGE_USED)


@pytest.fixture(scope="module")
def slow_agent() -> Iterator[tuple[Target, SnmpProfile, int]]:
    top = agents.shared_dir("slow")
    data = top / "data"
    data.mkdir()
    full = agents.copy_recording(vendor_agents.VENDOR_RECORDINGS["linux"], top / "linux.full")
    lines = vendor_agents.cut_recording(full, top / "linux.cut").read_text().splitlines()
    slow = [_slowed(line) for line in lines]
    (data / "slow.snmprec").write_text("\n".join(slow) + "\n")
    rows = sum(line.startswith(oids.HR_STORAGE_TYPE + ".") for line in lines)
    sim = agents.start_snmpsim(data, ["127.0.0.42"], ["slow"])
    yield (
        Target("127.0.0.42", sim.port, "slow"),
        SnmpProfile(name="slow", version="2c", community="slow"),
        rows,
    )
    agents.stop(sim.proc)
    shutil.rmtree(top, ignore_errors=True)


def _slowed(line: str) -> str:
    oid, tag, value = line.split("|", 2)
    if tag == "2" and any(oid.startswith(c + ".") for c in SLOW_COLUMNS):
        return f"{oid}|2:delay|value={value},wait={SLOW_MS}"
    return line


def test_a_table_the_agent_chokes_on_is_read_again_with_smaller_bulks(slow_agent) -> None:
    target, profile, rows = slow_agent
    limits = Limits(concurrency=1, deadline_s=30, timeout_s=0.5, retries=0)
    [outcome] = collect([(target, profile)], limits)
    assert outcome.status == RunStatus.SUCCEEDED, outcome.error
    storage = outcome.observation.host.storage
    assert rows > 5 and len(storage) == rows
    assert any(
        w.startswith("hrStorageTable: a GETBULK of 5 rows got no answer") for w in outcome.warnings
    )
