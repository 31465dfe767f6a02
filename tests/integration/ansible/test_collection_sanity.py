"""Every plugin and module of the collection renders with ``ansible-doc`` and imports with
nothing but ansible-core and the standard library: the part of ``ansible-test sanity``
(validate-modules' documentation, the import test) that runs here without its containers.

The plugins are found on disk, so a new one is checked without touching this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.ansible.live import ANSIBLE_DIR, ansible_env, run_ansible

# Real processes (ansible-doc, python) per plugin: the full tier's, not the quick one's.
pytestmark = pytest.mark.slow

COLLECTIONS = ANSIBLE_DIR / "collections"
PLUGINS = COLLECTIONS / "ansible_collections/headroom/cmdb/plugins"
#: The plugin folders ansible-doc documents, as its ``-t`` names them.
DOC_TYPES = {"modules": "module", "lookup": "lookup", "inventory": "inventory", "filter": "filter"}
#: What each type's documentation must hold beyond DOCUMENTATION (ansible-doc's keys).
REQUIRED = {"module": ("examples", "return"), "lookup": ("examples", "return")}


def plugins(folder: str) -> list[str]:
    return sorted(p.stem for p in (PLUGINS / folder).glob("*.py") if p.stem != "__init__")


def test_the_collection_has_the_modules_and_plugins_the_issue_asks_for() -> None:
    assert {"request", "evaluate"} <= set(plugins("modules"))
    assert "headroom" in plugins("lookup") and "headroom" in plugins("inventory")


@pytest.mark.parametrize("folder", sorted(DOC_TYPES))
def test_ansible_doc_renders_every_plugin_of_the_collection(folder: str, tmp_path: Path) -> None:
    kind, names = DOC_TYPES[folder], plugins(folder)
    assert names, folder
    env = ansible_env(tmp_path, "http://127.0.0.1:9", "unused")
    fqcns = [f"headroom.cmdb.{name}" for name in names]
    result = run_ansible(["ansible-doc", "--json", "-t", kind, *fqcns], env)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr  # e.g. a doc that did not parse
    docs = json.loads(result.stdout)
    assert sorted(docs) == sorted(fqcns)
    for fqcn, entry in docs.items():
        doc = entry["doc"]
        assert doc["short_description"] and doc["description"], fqcn
        assert all(o.get("description") for o in doc.get("options", {}).values()), fqcn
        for key in REQUIRED.get(kind, ()):
            assert entry[key], f"{fqcn} has no {key.upper()}"


IMPORT_CHECK = """
import importlib, sys
import ansible.module_utils.basic, ansible.module_utils.urls  # what ansible-core itself loads
import ansible.plugins.inventory, ansible.plugins.lookup

before = set(sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
added = {m.split(".")[0] for m in set(sys.modules) - before
         if "site-packages" in (getattr(sys.modules[m], "__file__", "") or "")}
print(sorted(added - {"ansible", "ansible_collections"}))
"""


def test_every_plugin_imports_with_ansible_core_alone() -> None:
    """Each file imports (no syntax error, no missing name) and pulls in no package beyond
    what ansible-core loads itself: a controller or a managed host needs nothing else."""
    modules = [
        f"ansible_collections.headroom.cmdb.plugins.{folder}.{name}"
        for folder in (*DOC_TYPES, "module_utils", "doc_fragments")
        for name in plugins(folder)
    ]
    assert len(modules) >= 10
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_CHECK, *modules],
        env={"PYTHONPATH": str(COLLECTIONS), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout
