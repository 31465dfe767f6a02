"""The dependency rule of DESIGN.md §3, held by the import-linter contracts in
pyproject.toml: web → discovery, capacity → cmdb; flask and plotly only in web;
capacity's model, forecasts, evaluation and expansion import no database or protocol code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run(
        [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_import_contracts_are_kept() -> None:
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert result.stdout.count("KEPT") >= 3


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
