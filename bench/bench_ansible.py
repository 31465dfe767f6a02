"""``ansible-inventory --list`` over 10,000 Headroom hosts: cold (from the API) and from cache.

An inventory of N hosts (default 10,000: 40 % devices, 60 % VMs, all with a
management address) across 20 district sites and 10 clusters, in a SQLite file;
Headroom served by waitress on 127.0.0.1; the real ``ansible-inventory`` from
``ansible/`` with the ``headroom.cmdb.headroom`` plugin grouping by everything it can
and the jsonfile cache (the admin tree nested: province ⊃ district ⊃ commune).
Cold runs start from an empty cache (every page fetched); cached runs read the cache.
The floor is ansible-core's own cost for as many hosts: a static YAML file with
only ``ansible_host``, and ``--version`` (start-up). Targets, measured in the same
run: cold within 1.1× the static floor, cached within 1.0× (median CPU).

The same-work floor (``same_work_floor``) is a static YAML file of the plugin's own
inventory — every host variable (strings ``!unsafe``, as the plugin's are untrusted),
group and nesting — checked equal to the plugin's ``--list`` before it is timed; its
trusted copy is printed for reference. Target: within 1.2× of it (the project's rule
for a floor that is the dependency's own time for the same work).

``--versions 2.18,2.20`` also measures those ansible-core versions (venvs under
``var/``, built on first use; 2.20 on Python 3.12), ``--baseline REF`` the plugin
as of a git ref on the project's ansible-core: all in one run, so the ratios hold
on a shared machine.

Run: ``.venv/bin/python bench/bench_ansible.py [--hosts 10000] [--runs 3]
[--versions 2.18,2.20] [--baseline REF]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ansible_versions import collections_at, ensure_venv, installed_version  # noqa: E402
from same_work_floor import check_same, write_static  # noqa: E402
from waitress import create_server  # noqa: E402

from cmdb import schema  # noqa: E402
from cmdb.choices import AdminLevel, AgencyKind, DeviceRole, SiteKind  # noqa: E402
from cmdb.db import make_engine, make_session_factory, transaction  # noqa: E402
from cmdb.models import (  # noqa: E402
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Site,
    Workload,
)
from cmdb.services.tokens import create_token  # noqa: E402
from cmdb.services.users import create_user  # noqa: E402
from web import create_app  # noqa: E402

BIN = Path(sys.executable).parent
INVENTORY = """\
plugin: headroom.cmdb.headroom
group_by: [admin_unit, site, role, platform, cluster, agency, information_system,
  security_level, network]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {cache}
cache_timeout: 3600
"""
#: The same with only the variables the fact sync needs (``host_vars: []``: ansible_host,
#: headroom_id, headroom_kind): what ansible-core's per-value cost leaves of the plugin.
LEAN = INVENTORY + "host_vars: []\n"


def load(url: str, hosts: int) -> str:
    """The inventory; returns a viewer's token."""
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        province = AdminUnit(
            code="49", name="Tỉnh Quảng Nam", level=AdminLevel.PROVINCE, kind="Tỉnh"
        )
        agency = Agency(
            name="Sở Thông tin và Truyền thông", short_name="STTTT", kind=AgencyKind.DEPARTMENT
        )
        session.add_all([province, agency])
        sites = []
        for n in range(20):
            district = AdminUnit(
                code=f"5{n:02d}",
                name=f"Huyện {n}",
                level=AdminLevel.DISTRICT,
                kind="Huyện",
                parent=province,
            )
            commune = AdminUnit(
                code=f"20{n:03d}",
                name=f"Xã {n}",
                level=AdminLevel.COMMUNE,
                kind="Xã",
                parent=district,
            )
            sites.append(
                Site(
                    name=f"Site {n}",
                    slug=f"site-{n}",
                    kind=SiteKind.DATA_CENTRE,
                    admin_unit=commune,
                    agency=agency,
                )
            )
        clusters = [
            Cluster(name=f"CL-{n}", site=sites[n], max_security_level=1 + n % 5) for n in range(10)
        ]
        systems = [
            InformationSystem(
                name=f"HTTT {n}",
                code=f"S{n}",
                agency=agency,
                security_level=1 + n % 5,
                zones=["tslcd"],
            )
            for n in range(100)
        ]
        session.add_all([*sites, *clusters, *systems])
        n_devices = hosts * 4 // 10
        session.add_all(
            Device(
                name=f"srv-{n:05d}",
                role=DeviceRole.SERVER,
                site=sites[n % 20],
                cluster=clusters[n % 10],
                management_address=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}",
                cores=32,
                ram_gb=512.0,
                platform="VMware ESXi 8.0",
            )
            for n in range(n_devices)
        )
        session.add_all(
            Workload(
                name=f"vm-{n:05d}",
                information_system=systems[n % 100],
                cluster=clusters[n % 10],
                vcpu=4,
                ram_gb=16.0,
                disk_gb=200.0,
                management_address=f"172.{16 + n // 65536}.{n // 256 % 256}.{n % 256}",
            )
            for n in range(hosts - n_devices)
        )
        user = create_user(session, "bench-inventory", "viewer")
        key = create_token(session, user)[1]
    engine.dispose()
    return key


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one command: on a shared machine CPU is steadier."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        args, cwd=ROOT / "ansible", env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{result.stderr}")
    return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def static_inventory(path: Path, hosts: int) -> Path:
    """The same number of hosts in a YAML file with only ``ansible_host``: Ansible's own floor."""
    lines = ["all:", "  hosts:"]
    lines += [
        f"    h{n:05d}: {{ansible_host: 10.{n // 65536}.{n // 256 % 256}.{n % 256}}}"
        for n in range(hosts)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


Runs = list[tuple[float, float]]


def listed(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """The parsed ``--list`` answer of one (untimed) command."""
    result = subprocess.run(
        [*args, "--list"],
        cwd=ROOT / "ansible",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{result.stderr}")
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def same_work_floors(command: list[str], tmp: Path, env: dict[str, str]) -> list[list[str]]:
    """The ``--list`` commands of the plugin's inventory as static YAML, untrusted then
    trusted; each checked to list what the plugin lists (SystemExit if not)."""
    plugin = listed(command, env)
    ansible_inventory = command[0]
    floors = []
    for name, unsafe in (("same-unsafe.yml", True), ("same-trusted.yml", False)):
        path = write_static(plugin, tmp / name, unsafe=unsafe)
        difference = check_same(
            plugin, listed([ansible_inventory, "-i", str(path)], env), trust=not unsafe
        )
        if difference:
            raise SystemExit(f"{name} is not the plugin's inventory: {difference}")
        floors.append([ansible_inventory, "-i", str(path), "--list"])
    return floors


@dataclass(frozen=True)
class Install:
    """One ansible-core (its venv's ``bin``) with one copy of the collection."""

    label: str
    bin_dir: Path
    collections: Path | None = None  # None: ``ansible/collections``, as ansible.cfg says


def measure(
    install: Install, name: str, tmp: Path, env: dict[str, str], runs: int
) -> dict[str, Runs]:
    """Cold, cached, graph through the plugin; then the static floor and start-up.

    An older plugin (``--baseline``) gets cold and cached only: the rest is not its doing.
    """
    inventory, cache = tmp / f"{name}.headroom.yml", tmp / f"cache-{name}"
    inventory.write_text(INVENTORY.format(cache=cache), encoding="utf-8")
    if install.collections is not None:
        env = {**env, "ANSIBLE_COLLECTIONS_PATH": str(install.collections)}
    command = [str(install.bin_dir / "ansible-inventory"), "-i", str(inventory)]

    def cold() -> tuple[float, float]:
        # An empty cache rather than --flush-cache, which ansible-inventory 2.18 lacks.
        shutil.rmtree(cache, ignore_errors=True)
        return timed([*command, "--list"], env)

    figures = {
        "cold": [cold() for _ in range(runs)],
        "cached": [timed([*command, "--list"], env) for _ in range(runs)],
    }
    if install.collections is not None:
        return figures
    figures["graph"] = [timed([*command, "--graph"], env) for _ in range(runs)]
    unsafe_floor, trusted_floor = same_work_floors(command, tmp, env)
    figures["same"] = [timed(unsafe_floor, env) for _ in range(runs)]
    figures["same_trusted"] = [timed(trusted_floor, env) for _ in range(runs)]
    lean, lean_cache = tmp / f"{name}-lean.headroom.yml", tmp / f"cache-{name}-lean"
    lean.write_text(LEAN.format(cache=lean_cache), encoding="utf-8")
    lean_command = [str(install.bin_dir / "ansible-inventory"), "-i", str(lean), "--list"]
    figures["lean_cold"] = []
    for _ in range(runs):
        shutil.rmtree(lean_cache, ignore_errors=True)
        figures["lean_cold"].append(timed(lean_command, env))
    figures["lean_cached"] = [timed(lean_command, env) for _ in range(runs)]
    floor = [str(install.bin_dir / "ansible-inventory"), "-i", str(tmp / "static.yml"), "--list"]
    figures["floor"] = [timed(floor, env) for _ in range(runs)]
    version = [str(install.bin_dir / "ansible-inventory"), "--version"]
    figures["version"] = [timed(version, env) for _ in range(runs)]
    return figures


def cell(runs: Runs | None) -> str:
    if not runs:
        return "—"
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    return f"{wall:.2f} / {cpu:.2f}"


def installs(options: argparse.Namespace, tmp: Path) -> list[Install]:
    project = Install(f"{installed_version(BIN)} (project)", BIN)
    found = [project]
    if options.baseline:
        collections = collections_at(options.baseline, tmp / "baseline")
        found.append(
            Install(f"{project.label.split()[0]}, plugin at {options.baseline}", BIN, collections)
        )
    for version in filter(None, (options.versions or "").split(",")):
        bin_dir = ensure_venv(version.strip())
        found.append(Install(installed_version(bin_dir), bin_dir))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--versions", help="other ansible-core versions, e.g. 2.18,2.20")
    parser.add_argument("--baseline", help="also the plugin as of this git ref")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        compared = installs(options, tmp)
        url = f"sqlite:///{tmp / 'bench.db'}"
        schema.upgrade(url)
        started = time.perf_counter()
        key = load(url, options.hosts)
        print(f"loaded {options.hosts} hosts in {time.perf_counter() - started:.1f} s")
        static_inventory(tmp / "static.yml", options.hosts)
        app = create_app({"CMDB_DATABASE_URL": url, "SECRET_KEY": "bench"})
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "HEADROOM_"))}
        env.update(
            ANSIBLE_CONFIG=str(ROOT / "ansible/ansible.cfg"),
            ANSIBLE_HOME=str(tmp / "ansible-home"),
            ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
            HEADROOM_URL=f"http://127.0.0.1:{server.effective_port}",
            HEADROOM_TOKEN=key,
        )
        load_before = uptime()
        results = [
            (install, measure(install, f"install{n}", tmp, env, options.runs))
            for n, install in enumerate(compared)
        ]
        server.close()
    print(f"{options.hosts} hosts, {options.runs} run(s) each, median wall / CPU (user+sys) s")
    print(f"load before: {load_before}\nload after:  {uptime()}")
    print(
        "| ansible-core | --list cold | --list cached | --graph cached "
        "| floor: static YAML --list | floor: --version | cold / floor (≤ 1.1) "
        "| cached / floor (≤ 1.0) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for install, figures in results:
        row = [cell(figures.get(k)) for k in ("cold", "cached", "graph", "floor", "version")]
        row += [ratio(figures.get(k), figures.get("floor")) for k in ("cold", "cached")]
        print(f"| {install.label} | " + " | ".join(row) + " |")
        if figures.get("lean_cold"):
            lean = [cell(figures[k]) for k in ("lean_cold", "lean_cached")]
            lean += ["—", cell(figures["floor"]), "—"]
            lean += [ratio(figures[k], figures["floor"]) for k in ("lean_cold", "lean_cached")]
            print(f"| {install.label}, host_vars: [] | " + " | ".join(lean) + " |")
    print_same_work(results)


def print_same_work(results: list[tuple[Install, dict[str, Runs]]]) -> None:
    """The plugin beside the static YAML of its own inventory (same hosts, variables, groups)."""
    print(
        "\n| ansible-core | --list cold | --list cached | floor: same inventory, static YAML, "
        "!unsafe | same, trusted | cold / same floor (≤ 1.2) | cached / same floor (≤ 1.2) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for install, figures in results:
        if not figures.get("same"):
            continue
        row = [cell(figures[k]) for k in ("cold", "cached", "same", "same_trusted")]
        row += [ratio(figures[k], figures["same"]) for k in ("cold", "cached")]
        print(f"| {install.label} | " + " | ".join(row) + " |")


def ratio(runs: Runs | None, floor: Runs | None) -> str:
    """Median CPU over the floor's median CPU, wall in brackets (CPU is steadier when shared)."""
    if not runs or not floor:
        return "—"
    cpu = statistics.median(r[1] for r in runs) / statistics.median(r[1] for r in floor)
    wall = statistics.median(r[0] for r in runs) / statistics.median(r[0] for r in floor)
    return f"{cpu:.2f}× ({wall:.2f}×)"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


if __name__ == "__main__":
    main()
