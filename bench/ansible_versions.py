"""The Ansible installs ``bench_ansible.py`` compares: other ansible-core versions, older plugins.

Only on request (``--versions``, ``--baseline``): a version's venv is built once
under ``var/`` with pip and reused by later runs; an older plugin is taken from
git into a temporary directory, never into the worktree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
# ansible-core 2.20 dropped Python 3.11; the project's own version runs on the project's Python.
PYTHON_3_12 = Path("/root/.pyenv/versions/3.12.1/bin/python3.12")


def python_for(version: str) -> Path:
    major, minor = (int(part) for part in version.split(".")[:2])
    return PYTHON_3_12 if (major, minor) >= (2, 20) else Path(sys.executable)


def ensure_venv(version: str) -> Path:
    """The ``bin`` of a venv with ansible-core ``version`` (e.g. ``2.18``), built if missing."""
    venv = VAR / f"ansible-core-{version}"
    bin_dir = venv / "bin"
    if (bin_dir / "ansible-inventory").exists():
        return bin_dir
    major, minor = (int(part) for part in version.split(".")[:2])
    print(f"building {venv} (pip install ansible-core {version}) ...", flush=True)
    subprocess.run([str(python_for(version)), "-m", "venv", str(venv)], check=True)
    requirement = f"ansible-core>={major}.{minor},<{major}.{minor + 1}"
    subprocess.run([str(bin_dir / "pip"), "install", "-q", requirement], check=True)
    return bin_dir


def installed_version(bin_dir: Path) -> str:
    """``2.19.14``: the exact version a venv's ``ansible-inventory`` reports."""
    result = subprocess.run(
        [str(bin_dir / "ansible-inventory"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split("core ", 1)[1].split("]", 1)[0]


def collections_at(ref: str, dest: Path) -> Path:
    """The collection as of git ``ref``, extracted under ``dest``: a collections path."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "ansible/collections"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest / "ansible/collections"
