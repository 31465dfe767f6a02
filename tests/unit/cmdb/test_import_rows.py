"""Reading import files into numbered rows and checking them, without a database."""

from __future__ import annotations

import pytest

from cmdb.choices import AdminLevel
from cmdb.errors import ValidationError
from cmdb.services.import_admin_units import check_admin_unit_rows
from cmdb.services.import_rows import Format, Row, parse_table
from cmdb.services.import_sites import Lookups, check_site_rows


def test_csv_rows_are_numbered_like_a_spreadsheet() -> None:
    text = '\ufefflevel,code\r\nprovince,49\r\n\r\ncommune,"20335"\r\n'
    table = parse_table(text, Format.CSV)
    assert table.header == ("level", "code")
    assert table.rows == [
        Row("row 2", {"level": "province", "code": "49"}),
        Row("row 4", {"level": "commune", "code": "20335"}),
    ]


def test_json_items_are_numbered_from_one() -> None:
    table = parse_table('[{"code": "49"}, {"code": "502"}]', Format.JSON)
    assert [r.label for r in table.rows] == ["item 1", "item 2"]
    assert table.header is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"code": "49"}', "expected a JSON array of objects"),
    ],
)
def test_unreadable_json_is_a_file_error(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_table(text, Format.JSON)
    assert message in caught.value.errors["file"][0]


def test_a_row_with_more_values_than_the_header_is_bad() -> None:
    table = parse_table(
        "level,code,name,parent_code,kind\nprovince,49,Tỉnh Quảng Nam,,Tỉnh,extra\n",
        Format.CSV,
    )
    with pytest.raises(ValidationError) as caught:
        check_admin_unit_rows(table, {})
    assert caught.value.errors == {"row 2": ["has 6 values, the header has fewer columns"]}


def test_a_parent_in_the_database_counts_and_levels_must_nest() -> None:
    table = parse_table(
        '[{"level": "commune", "code": "20335", "name": "Phường Tân Thạnh", '
        '"parent_code": "502", "kind": "Phường"},'
        ' {"level": "district", "code": "503", "name": "Thành phố Hội An", '
        '"parent_code": "20335", "kind": "Thành phố"},'
        ' 7, {"level": "province", "code": "49", "name": "Tỉnh", "kind": "Tỉnh", "x": 1}]',
        Format.JSON,
    )
    existing = {"49": AdminLevel.PROVINCE, "502": AdminLevel.DISTRICT}
    with pytest.raises(ValidationError) as caught:
        check_admin_unit_rows(table, existing)
    assert caught.value.errors == {
        "item 2": ["parent_code: '20335' is a commune, it cannot contain a district"],
        "item 3": ["expected an object"],
        "item 4": ["unknown field 'x'"],
    }


def test_site_rows_resolve_agencies_by_name_or_unambiguous_short_name() -> None:
    lookups = Lookups(
        admin_units={"20335": 1},
        agencies={"Sở Y tế": 10, "Sở Tư pháp": 11},
        short_names={"SYT": [10], "S": [10, 11]},
    )
    table = parse_table(
        "name,slug,kind,admin_unit_code,agency\n"
        "A,a,agency_office,20335,SYT\n"
        "B,b,agency_office,20335,Sở Tư pháp\n"
        "C,c,agency_office,20335,S\n"
        "D,d,agency_office,20335,\n",
        Format.CSV,
    )
    with pytest.raises(ValidationError) as caught:
        check_site_rows(table, lookups)
    assert caught.value.errors == {
        "row 4": ["agency: 'S' matches several agencies; use the full name"]
    }
    good = parse_table("name,slug,kind,admin_unit_code,agency\nA,a,pop,20335,SYT\n", Format.CSV)
    (row,) = check_site_rows(good, lookups)
    assert row.values["agency_id"] == 10
    assert row.values["admin_unit_id"] == 1


def test_a_site_needs_both_coordinates_or_neither() -> None:
    lookups = Lookups(admin_units={"20335": 1}, agencies={}, short_names={})
    table = parse_table(
        "name,slug,kind,admin_unit_code,latitude,longitude\n"
        "A,a,pop,20335,15.57,\n"
        "B,b,pop,20335,,\n",
        Format.CSV,
    )
    with pytest.raises(ValidationError) as caught:
        check_site_rows(table, lookups)
    assert caught.value.errors == {
        "row 2": ["longitude: required when the other coordinate is given"]
    }
