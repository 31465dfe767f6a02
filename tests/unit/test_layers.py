"""The dependency rule of DESIGN.md §3, held by the import-linter contracts in
pyproject.toml: web → discovery, capacity → cmdb; nothing imports web; flask and plotly
only in web; capacity's and discovery's pure modules reach no database or protocol code.

Every contract declared must be reported KEPT by name, and the linter must have checked
exactly as many as are declared: a contract deleted, renamed into another or broken
fails here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp

ROOT = Path(__file__).resolve().parents[2]
CONFIG: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "tool"
]["importlinter"]
DECLARED = [contract["name"] for contract in CONFIG["contracts"]]
VERDICT = re.compile(r"(?P<name>.+) (?P<verdict>KEPT|BROKEN)")


def _lint_imports() -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    # A wide terminal keeps each contract's verdict on its own line (names are long).
    env = {**os.environ, "COLUMNS": "1000"}
    return subprocess.run(
        [exe, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_every_declared_contract_is_checked_and_kept() -> None:
    result = _lint_imports()
    report = result.stdout + result.stderr
    verdicts = {
        found["name"]: found["verdict"]
        for line in result.stdout.splitlines()
        if (found := VERDICT.fullmatch(line.strip()))
    }
    assert len(set(DECLARED)) == len(DECLARED), "two contracts share a name"
    assert verdicts == dict.fromkeys(DECLARED, "KEPT"), report
    assert f"Contracts: {len(DECLARED)} kept, 0 broken." in result.stdout, report
    assert result.returncode == 0, report


def _held_pure(graph: grimp.ImportGraph) -> set[str]:
    """The modules a contract forbids to reach sqlalchemy (a package's own modules too)."""
    held: set[str] = set()
    for contract in CONFIG["contracts"]:
        if "sqlalchemy" not in contract.get("forbidden_modules", ()):
            continue
        for module in contract["source_modules"]:
            held.add(module)
            if contract.get("as_packages", True):
                held |= graph.find_descendants(module)
    return held


def test_every_module_that_reaches_no_database_is_held_to_it() -> None:
    """A new pure module of capacity/ or discovery/ must join a contract, or nothing
    stops it from reaching the database later. Modules that import nothing (empty
    package __init__) have nothing to hold."""
    graph = grimp.build_graph(*CONFIG["root_packages"], include_external_packages=True)
    held = _held_pure(graph)
    loose = sorted(
        module
        for package in ("capacity", "discovery")
        for module in graph.find_descendants(package) | {package}
        if module not in held
        and graph.find_modules_directly_imported_by(module)
        and not graph.chain_exists(importer=module, imported="sqlalchemy")
    )
    assert loose == []


def test_cmdb_never_imports_the_layers_above() -> None:
    """A plain scan as well, so the rule is visible without reading the linter's config."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "cmdb").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(
            (
                "from web",
                "import web",
                "from capacity",
                "import capacity",
                "from discovery",
                "import discovery",
                "from flask",
                "import flask",
            )
        )
    ]
    assert offenders == []
