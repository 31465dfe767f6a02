"""Pure parts of the demo province: seats of district committees, names, dates."""

from __future__ import annotations

from datetime import date

import pytest

from cmdb.choices import AdminLevel
from cmdb.demo.geo import DISTRICT_SEATS, admin_units_csv, district_seat
from cmdb.demo.pending_requests import first_of_month_after
from cmdb.demo.text import inline_name, slugify
from cmdb.models import AdminUnit
from cmdb.services.import_admin_units import check_admin_unit_rows
from cmdb.services.import_rows import Format, parse_table


def _tree() -> tuple[list[AdminUnit], dict[str, list[AdminUnit]]]:
    rows = check_admin_unit_rows(parse_table(admin_units_csv(), Format.CSV), {})
    units = [AdminUnit(code=r.code, name=r.name, level=r.level, kind=r.kind) for r in rows]
    parent_of = {r.code: r.parent_code for r in rows}
    districts = [u for u in units if u.level == AdminLevel.DISTRICT]
    communes = {d.code: [u for u in units if parent_of[u.code] == d.code] for d in districts}
    return districts, communes


def test_the_package_file_is_the_whole_province() -> None:
    districts, communes = _tree()
    assert len(districts) == 18
    assert sum(len(c) for c in communes.values()) == 241


def test_every_district_committee_sits_in_one_of_its_own_communes() -> None:
    districts, communes = _tree()
    for district in districts:
        seat = district_seat(district, communes[district.code])
        assert seat in communes[district.code]
        if district.code not in DISTRICT_SEATS:
            assert seat.kind == "Thị trấn", district.name
    assert len(DISTRICT_SEATS) == 18 - 12  # 12 districts have exactly one thị trấn


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Thị trấn Ái Nghĩa", "thi-tran-ai-nghia"),
        ("Phường Điện Thắng Bắc", "phuong-dien-thang-bac"),
        ("Xã Tr'Hy", "xa-tr-hy"),
        ("Huyện Nông Sơn", "huyen-nong-son"),
    ],
)
def test_slugify_drops_diacritics(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_inline_name_lowers_the_kind() -> None:
    assert inline_name("Thị xã Điện Bàn", "Thị xã") == "thị xã Điện Bàn"
    assert inline_name("Xã A Tiêng", "Xã") == "xã A Tiêng"


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 1)),
        (date(2026, 11, 30), 2, date(2027, 1, 1)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
    ],
)
def test_first_of_month_after(today: date, months: int, expected: date) -> None:
    assert first_of_month_after(today, months) == expected
