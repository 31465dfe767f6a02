"""The demo DC's expansion catalogue: a realistic price list, imported as a planner would."""

from __future__ import annotations

from importlib import resources

from cmdb.choices import Network, Redundancy, SiteKind
from cmdb.demo.context import DemoContext
from cmdb.models import NetworkSetting
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


def load_network_settings(ctx: DemoContext) -> None:
    """The demo's capacity settings per network, as a planner states them: its Internet
    and TSLCD uplinks end at the providers' points of presence, active/standby (the
    defaults, written out so the planner sees and can change them)."""
    for network in (Network.INTERNET, Network.TSLCD):
        ctx.session.add(
            NetworkSetting(
                network=network,
                redundancy=Redundancy.ACTIVE_STANDBY,
                uplink_site_kinds=[SiteKind.POP.value],
            )
        )
    ctx.session.flush()
