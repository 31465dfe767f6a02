"""The collection's pure modules, imported by path: they must not need Headroom or Ansible."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

PLUGINS = (
    Path(__file__).resolve().parents[3]
    / "ansible/collections/ansible_collections/headroom/cmdb/plugins"
)


def load(relative: str) -> ModuleType:
    path = PLUGINS / relative
    spec = importlib.util.spec_from_file_location(f"headroom_cmdb_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


transform = load("module_utils/inventory_transform.py")
inventory_cache = load("module_utils/inventory_cache.py")
facts_filter = load("filter/facts_subset.py")
fact_sync = load("module_utils/fact_sync.py")
request_plan = load("module_utils/request_plan.py")
