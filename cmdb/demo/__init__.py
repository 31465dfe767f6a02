"""Demo data: a realistic, deterministic Quảng Nam provincial data centre (issue 2, item 4)."""

from cmdb.demo.loader import DEFAULT_SEED, DatabaseNotEmptyError, DemoSummary, load_demo
from cmdb.demo.reset import clear_inventory, inventory_counts

__all__ = [
    "DEFAULT_SEED",
    "DatabaseNotEmptyError",
    "DemoSummary",
    "clear_inventory",
    "inventory_counts",
    "load_demo",
]
