"""The CSV/JSON importer against a real database (SQLite and PostgreSQL).

Every bad row is reported with its row number and nothing is written; valid files
are upserted, and importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import AgencyKind, ChangeAction, SiteKind, Source
from cmdb.demo.geo import admin_units_csv
from cmdb.errors import ValidationError
from cmdb.models import AdminUnit, Agency, ChangeLog, RecordSource, Site
from cmdb.services.importer import Format, ImportKind, ImportResult, import_text

HEADER = "level,code,name,parent_code,kind\n"
SMALL_TREE = HEADER + (
    "province,49,Tỉnh Quảng Nam,,Tỉnh\n"
    "district,502,Thành phố Tam Kỳ,49,Thành phố\n"
    "commune,20335,Phường Tân Thạnh,502,Phường\n"
    "commune,20359,Xã Tam Thanh,502,Xã\n"
)


def _units(session: Session, text: str, fmt: Format = Format.CSV) -> ImportResult:
    return import_text(session, ImportKind.ADMIN_UNITS, text, fmt)


def _sites(session: Session, text: str, fmt: Format = Format.CSV) -> ImportResult:
    return import_text(session, ImportKind.SITES, text, fmt)


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
        for model in (AdminUnit, Site, ChangeLog, RecordSource)
    )


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_written(
    session: Session,
) -> None:
    _units(session, SMALL_TREE)
    before = _counts(session)
    bad = HEADER + (
        "commune,20362,Xã Tam Thăng,502,Xã\n"  # row 2: fine
        "town,20371,Xã Tam Phú,502,Xã\n"  # row 3: bad level
        "commune,20375,Phường Hoà Thuận,99999,Phường\n"  # row 4: unknown parent
        "\n"  # row 5: blank, skipped but counted
        "commune,20362,Xã Tam Thăng lần hai,502,Xã\n"  # row 6: duplicate code
        "district,503,,20335,Thành phố\n"  # row 7: no name; a commune cannot hold a district
        "commune,20389,Xã Tam Ngọc,20390,Xã\n"  # row 8: parent only later in the file
        "commune,20390,Xã Sau,502,Xã\n"  # row 9: fine
    )
    with pytest.raises(ValidationError) as caught:
        _units(session, bad)
    errors = caught.value.errors
    assert sorted(errors) == ["row 3", "row 4", "row 6", "row 7", "row 8"]
    assert errors["row 3"] == ["level: 'town' is not one of province, district, commune"]
    assert "'99999' is not a known admin unit" in errors["row 4"][0]
    assert errors["row 6"] == ["code: '20362' is repeated (first in row 2)"]
    assert errors["row 7"] == [
        "name: required",
        "parent_code: '20335' is a commune, it cannot contain a district",
    ]
    assert errors["row 8"][0].startswith("parent_code: '20390' is not a known admin unit")
    assert "5 bad rows; nothing imported" in str(caught.value)
    assert _counts(session) == before


def test_a_parent_may_come_earlier_in_the_same_file(session: Session) -> None:
    result = _units(session, SMALL_TREE)
    assert result == ImportResult(created=4, updated=0, unchanged=0)
    commune = session.scalars(sa.select(AdminUnit).where(AdminUnit.code == "20359")).one()
    assert commune.parent is not None and commune.parent.code == "502"
    assert commune.parent.parent is not None and commune.parent.parent.code == "49"


def test_importing_the_package_file_twice_changes_nothing_the_second_time(
    session: Session,
) -> None:
    first = _units(session, admin_units_csv())
    assert first == ImportResult(created=260, updated=0, unchanged=0)
    after_first = _counts(session)
    second = _units(session, admin_units_csv())
    assert second == ImportResult(created=0, updated=0, unchanged=260)
    assert _counts(session) == after_first


def test_an_update_by_code_is_logged_with_before_and_after(session: Session) -> None:
    _units(session, SMALL_TREE)
    renamed = SMALL_TREE.replace("Xã Tam Thanh", "Xã Tam Thanh (mới)")
    assert _units(session, renamed) == ImportResult(created=0, updated=1, unchanged=3)
    entry = session.scalars(
        sa.select(ChangeLog).where(ChangeLog.action == ChangeAction.UPDATE)
    ).one()
    assert entry.actor == "import"
    assert (entry.before or {})["name"] == "Xã Tam Thanh"
    assert (entry.after or {})["name"] == "Xã Tam Thanh (mới)"
    source = session.scalars(
        sa.select(RecordSource).where(
            RecordSource.object_type == "admin_unit", RecordSource.external_id == "20359"
        )
    ).one()
    assert source.source == Source.MANUAL


def test_json_admin_units_and_sites(session: Session) -> None:
    units = [
        {"level": "province", "code": 49, "name": "Tỉnh Quảng Nam", "kind": "Tỉnh"},
        {
            "level": "district",
            "code": "502",
            "name": "TP Tam Kỳ",
            "parent_code": "49",
            "kind": "TP",
        },
        {
            "level": "commune",
            "code": "20335",
            "name": "P Tân Thạnh",
            "parent_code": "502",
            "kind": "P",
        },
    ]
    assert _units(session, json.dumps(units), Format.JSON).created == 3
    stttt = Agency(
        name="Sở Thông tin và Truyền thông", short_name="STTTT", kind=AgencyKind.DEPARTMENT
    )
    session.add(stttt)
    sites = [
        {
            "name": "Trung tâm Dữ liệu tỉnh",
            "slug": "ttdl",
            "kind": "data_centre",
            "admin_unit_code": "20335",
            "agency": "STTTT",
            "latitude": 15.57,
            "longitude": 108.47,
        }
    ]
    assert _sites(session, json.dumps(sites), Format.JSON) == ImportResult(1, 0, 0)
    assert _sites(session, json.dumps(sites), Format.JSON) == ImportResult(0, 0, 1)
    site = session.scalars(sa.select(Site).where(Site.slug == "ttdl")).one()
    assert site.kind == SiteKind.DATA_CENTRE
    assert site.agency is not None and site.agency.short_name == "STTTT"
    assert (site.latitude, site.longitude) == (15.57, 108.47)


def test_bad_site_rows_are_all_reported_and_nothing_is_written(session: Session) -> None:
    _units(session, SMALL_TREE)
    before = _counts(session)
    text = (
        "name,slug,kind,admin_unit_code,latitude,longitude\n"
        "Trụ sở UBND phường Tân Thạnh,ubnd-tan-thanh,commune_office,20335,15.57,108.47\n"
        "Trụ sở UBND xã Tam Thanh,ubnd-tam-thanh,commune_office,20359,abc,108.5\n"
        "Điểm X,Diem X,hub,77777,,\n"
        "Trụ sở trùng,ubnd-tan-thanh,commune_office,20335,95,\n"
    )
    with pytest.raises(ValidationError) as caught:
        _sites(session, text)
    errors = caught.value.errors
    assert sorted(errors) == ["row 3", "row 4", "row 5"]
    assert errors["row 3"] == ["latitude: 'abc' is not a number"]
    assert set(errors["row 4"]) == {
        "kind: 'hub' is not one of data_centre, agency_office, district_office, "
        "commune_office, pop",
        "admin_unit_code: '77777' is not a known admin unit",
        "slug: 'Diem X' must be lowercase letters, digits and single hyphens",
    }
    assert "slug: 'ubnd-tan-thanh' is repeated (first in row 2)" in errors["row 5"]
    assert "latitude: 95 is outside -90..90" in errors["row 5"]
    assert _counts(session) == before


def test_a_site_update_leaves_columns_the_file_does_not_have(session: Session) -> None:
    _units(session, SMALL_TREE)
    full = (
        "name,slug,kind,admin_unit_code,address\n"
        "Trụ sở UBND xã Tam Thanh,ubnd-tam-thanh,commune_office,20359,Thôn Hòa Bình\n"
    )
    assert _sites(session, full).created == 1
    rename = (
        "slug,name,kind,admin_unit_code\nubnd-tam-thanh,UBND xã Tam Thanh,commune_office,20359\n"
    )
    assert _sites(session, rename) == ImportResult(0, 1, 0)
    site = session.scalars(sa.select(Site).where(Site.slug == "ubnd-tam-thanh")).one()
    assert (site.name, site.address) == ("UBND xã Tam Thanh", "Thôn Hòa Bình")


def test_a_csv_header_with_a_missing_column_is_refused_before_any_row(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        _units(session, "level,code,name,parent\nprovince,49,Tỉnh Quảng Nam,\n")
    assert caught.value.errors == {"row 1": ["missing column 'kind'", "unknown column 'parent'"]}
