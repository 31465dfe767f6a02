"""The demo DC's expansion catalogue: a realistic price list, imported as a planner would."""

from __future__ import annotations

from importlib import resources

from cmdb.demo.context import DemoContext
from cmdb.services.import_catalogue import import_catalogue
from cmdb.services.import_rows import Format, parse_table

PRICE_LIST = "demo-dc-price-list.csv"


def price_list_text() -> str:
    return resources.files("cmdb").joinpath("data", PRICE_LIST).read_text(encoding="utf-8")


def load_price_list(ctx: DemoContext) -> None:
    table = parse_table(price_list_text(), Format.CSV)
    # Like the admin units (geo.py): loaded data, not a change stamped with the load's time,
    # so the same seed and day give the same rows (test_demo_determinism).
    import_catalogue(ctx.session, table, actor="demo", log_changes=False)
