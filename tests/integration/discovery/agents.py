"""Real SNMP agents for tests and benchmarks: net-snmp's snmpd and snmpsim, on loopback.

Each starts as a child process on 127.0.0.x high ports, is waited for with a
bounded loop, and is stopped (terminate, then kill) by the caller's fixture.
"""

from __future__ import annotations

import bz2
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).with_name("snmpsim_launcher.py")
SYS_DESCR = "1.3.6.1.2.1.1.1.0"


def free_udp_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def recordings_dir() -> Path:
    import snmpsim_data

    return Path(snmpsim_data.__file__).parent / "data"


def copy_recording(relative: str, dest: Path) -> Path:
    """A snmpsim-data recording (``network/switch/cisco-n5000``), decompressed to ``dest``."""
    base = recordings_dir() / relative
    plain, packed = base.with_suffix(".snmprec"), Path(f"{base}.snmprec.bz2")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if plain.exists():
        shutil.copyfile(plain, dest)
    else:
        dest.write_bytes(bz2.decompress(packed.read_bytes()))
    return dest


def snmp_answers(host: str, port: int, community: str, timeout_s: float = 0.5) -> bool:
    """One snmpget of sysDescr with net-snmp's tool: is the agent up?"""
    result = subprocess.run(
        [
            "snmpget",
            "-v2c",
            "-c",
            community,
            "-t",
            str(timeout_s),
            "-r",
            "0",
            "-On",
            f"udp:{host}:{port}",
            SYS_DESCR,
        ],
        capture_output=True,
        text=True,
        timeout=timeout_s + 5,
        check=False,
    )
    return result.returncode == 0 and SYS_DESCR in result.stdout


def wait_until_up(
    proc: subprocess.Popen, host: str, port: int, community: str, limit_s: float
) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the agent exited with {proc.returncode} ({proc.args[:2]})")
        if snmp_answers(host, port, community):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the agent did not answer on {host}:{port} within {limit_s:g} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@dataclass
class Snmpd:
    host: str
    port: int
    community: str
    v3_user: str
    v3_auth_key: str
    v3_priv_key: str
    proc: subprocess.Popen


SNMPD_CONF = """\
rocommunity {community} 127.0.0.1
createUser {user} SHA "{auth}" AES "{priv}"
rouser {user} priv
sysName headroom-snmpd.test.local
sysLocation lab-snmpd
sysContact noc@example.invalid
"""


def start_snmpd(workdir: Path, port: int | None = None) -> Snmpd:
    """net-snmp's snmpd with its own config: a v2c community and a v3 SHA/AES user
    (``port``: again where a stopped one answered, as a restarted agent does)."""
    port = port or free_udp_port()
    agent = Snmpd(
        "127.0.0.1", port, "headroom-ro", "headroom", "auth-key-123", "priv-key-456", None
    )  # type: ignore[arg-type]
    conf = workdir / "snmpd.conf"
    conf.write_text(
        SNMPD_CONF.format(
            community=agent.community,
            user=agent.v3_user,
            auth=agent.v3_auth_key,
            priv=agent.v3_priv_key,
        )
    )
    env = {**os.environ, "SNMP_PERSISTENT_DIR": str(workdir / "persist"), "MIBDIRS": "/nonexistent"}
    agent.proc = subprocess.Popen(
        ["snmpd", "-f", "-Lo", "-C", "-c", str(conf), "-m", "", f"udp:127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        wait_until_up(agent.proc, agent.host, port, agent.community, limit_s=15)
    except RuntimeError:
        stop(agent.proc)
        raise
    return agent


@dataclass
class Snmpsim:
    hosts: list[str]
    port: int
    data_dir: Path
    proc: subprocess.Popen


def start_snmpsim(
    data_dir: Path, hosts: Sequence[str], communities: Sequence[str], port: int | None = None
) -> Snmpsim:
    """snmpsim serving every recording of ``data_dir`` (community = file name) on each host."""
    port = port or free_udp_port()
    cache = data_dir.parent / f"{data_dir.name}-cache"
    cache.mkdir(exist_ok=True)
    args = [sys.executable, str(LAUNCHER), f"--data-dir={data_dir}", f"--cache-dir={cache}"]
    args += [f"--agent-udpv4-endpoint={h}:{port}" for h in hosts]
    if os.geteuid() == 0:  # snmpsim will not run as root; its files must be theirs to read
        args += ["--process-user=nobody", "--process-group=nogroup"]
        _open_up(data_dir, cache)
    with (data_dir.parent / f"{data_dir.name}-snmpsim.log").open("ab") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:  # every recording once: snmpsim opens each lazily, slowly, on first use
        for community in communities:
            wait_until_up(proc, hosts[0], port, community, limit_s=90)
    except RuntimeError:
        stop(proc)
        raise
    return Snmpsim(list(hosts), port, data_dir, proc)


def _open_up(*dirs: Path) -> None:
    for top in dirs:
        for path in top.rglob("*"):
            path.chmod(0o777 if path.is_dir() else 0o666)
        top.chmod(0o777)


def shared_dir(prefix: str) -> Path:
    """A directory the unprivileged snmpsim can read, outside pytest's own tmp tree
    (pytest keeps ``/tmp/pytest-of-<user>`` private, 0700, and prunes old runs)."""
    path = Path(tempfile.mkdtemp(prefix=f"headroom-{prefix}-"))
    path.chmod(0o755)
    return path


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path
