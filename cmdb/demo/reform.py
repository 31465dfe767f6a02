"""The 2025 reform applied to the demo province, through the same service a user runs.

On 1 July 2025 Quảng Nam was merged into Đà Nẵng, the district level was abolished
and the 241 communes became 78. The demo applies the package's files with
``cmdb.services.reorganise`` (what ``cmdb admin-units reorganise`` does), so the
post-reform demo exercises the real code path and its change log.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files

from cmdb.choices import Source
from cmdb.demo.context import DemoContext
from cmdb.services.import_rows import Format, Table, parse_table
from cmdb.services.reorganise import reorganise

REFORM_2025 = date(2025, 7, 1)
UNITS_FILE = "da-nang-2025-admin-units.csv"
MAPPING_FILE = "quang-nam-to-da-nang-2025-mapping.csv"


def reform_2025_tables() -> tuple[Table, Table]:
    """The package's units and mapping files of the 2025 reform (never read from outside)."""
    data = files("cmdb") / "data"
    return (
        parse_table((data / UNITS_FILE).read_text(encoding="utf-8"), Format.CSV),
        parse_table((data / MAPPING_FILE).read_text(encoding="utf-8"), Format.CSV),
    )


def apply_2025_reform(ctx: DemoContext) -> None:
    ctx.session.flush()
    units, mapping = reform_2025_tables()
    reorganise(ctx.session, units, mapping, REFORM_2025, actor="demo", source=Source.DEMO)
    ctx.post_reform = True
