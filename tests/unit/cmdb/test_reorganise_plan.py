"""Planning a reorganisation on hand-made rows, without a database.

The little province: 91 → districts 911 (communes 91101, 91102) and 912 (91201).
Offices: one per commune (its committee), the district 911 office in 91101, the
DC in 91101. The reform makes city 92 with communes 92001 (← 91101 + 91102) and
92002 (← 91201), no district level.
"""

from __future__ import annotations

from datetime import date

import pytest

from cmdb.choices import AdminLevel, AgencyKind, SiteKind
from cmdb.errors import ValidationError
from cmdb.services.import_rows import Format, parse_table
from cmdb.services.reorganise_model import AgencyNow, Current, LinkNow, SiteNow, UnitNow
from cmdb.services.reorganise_plan import plan_reorganisation
from cmdb.services.reorganise_rows import read_mapping_rows, read_unit_rows
from cmdb.services.requests import COMMITTEE_AGENCY_KINDS

EFFECTIVE = date(2025, 7, 1)
P, D = AdminLevel.PROVINCE, AdminLevel.DISTRICT
C = AdminLevel.COMMUNE
UNITS_CSV = """level,code,name,parent_code,kind
province,92,Thành phố Mới,,Thành phố
commune,92001,Phường Một,92,Phường
commune,92002,Xã Hai,92,Xã
"""
MAPPING_CSV = "old_code,new_code\n91101,92001\n91102,92001\n91201,92002\n"


def current(*, extra_sites: tuple[SiteNow, ...] = ()) -> Current:
    units = [
        UnitNow(1, "91", "Tỉnh Cũ", P, "Tỉnh", None),
        UnitNow(2, "911", "Huyện Một", D, "Huyện", 1),
        UnitNow(3, "912", "Huyện Hai", D, "Huyện", 1),
        UnitNow(4, "91101", "Thị trấn Một", C, "Thị trấn", 2),
        UnitNow(5, "91102", "Xã Một Hai", C, "Xã", 2),
        UnitNow(6, "91201", "Xã Hai Một", C, "Xã", 3),
    ]
    agencies = [
        AgencyNow(10, "UBND huyện Một", AgencyKind.DISTRICT_COMMITTEE, 2),
        AgencyNow(11, "UBND thị trấn Một", AgencyKind.COMMUNE_COMMITTEE, 4),
        AgencyNow(12, "UBND xã Một Hai", AgencyKind.COMMUNE_COMMITTEE, 5),
        AgencyNow(13, "UBND xã Hai Một", AgencyKind.COMMUNE_COMMITTEE, 6),
        AgencyNow(14, "Sở Thử", AgencyKind.DEPARTMENT, 1),
    ]
    sites = [
        SiteNow(20, "dc", "DC", SiteKind.DATA_CENTRE, 4, 14),
        SiteNow(21, "ubnd-911", "UBND huyện", SiteKind.DISTRICT_OFFICE, 4, 10),
        SiteNow(22, "ubnd-91101", "UBND TT", SiteKind.COMMUNE_OFFICE, 4, 11),
        SiteNow(23, "ubnd-91102", "UBND X12", SiteKind.COMMUNE_OFFICE, 5, 12),
        SiteNow(24, "ubnd-91201", "UBND X21", SiteKind.COMMUNE_OFFICE, 6, 13),
        *extra_sites,
    ]
    links = [
        LinkNow(30, "o1-d", 22, 21),
        LinkNow(31, "o2-d", 23, 21),
        LinkNow(32, "d-dc", 21, 20),
        LinkNow(33, "o3-dc", 24, 20),
    ]
    return Current({u.id: u for u in units}, sites, agencies, links)


def plan(units: str = UNITS_CSV, mapping: str = MAPPING_CSV, now: Current | None = None):
    return plan_reorganisation(
        now or current(),
        read_unit_rows(parse_table(units, Format.CSV)),
        read_mapping_rows(parse_table(mapping, Format.CSV)),
        EFFECTIVE,
    )


def errors_of(**kwargs: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        plan(**kwargs)  # type: ignore[arg-type]
    return caught.value.errors


def test_units_are_created_and_every_old_unit_dissolved_with_its_successor() -> None:
    p = plan()
    assert [c.code for c in p.creations] == ["92", "92001", "92002"]
    ends = {d.unit.code: d.successor_code for d in p.dissolutions}
    # the districts and the province go with their communes, without a successor
    assert ends == {"91": None, "911": None, "912": None, "91101": "92001", "91102": "92001",
                    "91201": "92002"}  # fmt: skip
    assert p.merges == {"92001": ("91101", "91102")}
    assert p.counts()["units_created"] == 3 and p.counts()["units_dissolved"] == 6


def test_every_site_moves_with_its_commune_including_the_district_office() -> None:
    moves = {c.site.slug: c.to_code for c in plan().moves}
    assert moves == {"dc": "92001", "ubnd-911": "92001", "ubnd-91101": "92001",
                     "ubnd-91102": "92001", "ubnd-91201": "92002"}  # fmt: skip


def test_one_office_becomes_the_new_committees_seat_and_the_others_agency_offices() -> None:
    p = plan()
    change = {c.site.slug: (c.committee_of, c.kind) for c in p.site_changes}
    assert change["ubnd-91101"] == ("92001", SiteKind.COMMUNE_OFFICE)  # lowest old code
    assert change["ubnd-91102"] == ("92001", SiteKind.AGENCY_OFFICE)
    assert change["ubnd-911"] == ("92001", SiteKind.AGENCY_OFFICE)  # the district is gone
    assert change["ubnd-91201"] == ("92002", SiteKind.COMMUNE_OFFICE)
    assert change["dc"] == (None, SiteKind.DATA_CENTRE)  # not a committee's: only moves
    assert [(c.unit_code, c.name) for c in p.committees] == [
        ("92001", "Ủy ban nhân dân phường Một, thành phố Mới"),
        ("92002", "Ủy ban nhân dân xã Hai, thành phố Mới"),
    ]
    # The committees of the dissolved district and communes end with them; the Sở stays.
    assert [a.id for a in p.ended_committees] == [10, 11, 12, 13]


def test_the_office_of_the_unit_whose_code_the_new_unit_keeps_is_the_seat() -> None:
    units = UNITS_CSV.replace("92001", "91102")
    mapping = MAPPING_CSV.replace("92001", "91102")
    change = {c.site.slug: c.kind for c in plan(units, mapping).site_changes}
    assert change["ubnd-91102"] == SiteKind.COMMUNE_OFFICE
    assert change["ubnd-91101"] == SiteKind.AGENCY_OFFICE


def test_links_between_merged_units_become_internal() -> None:
    internal = {(i.link.name, i.unit_code) for i in plan().internal_links}
    # o2's office (91102) and the district office (in 91101) now stand in one unit;
    # o1 → district office was already inside 91101, the DC link too.
    assert internal == {("o2-d", "92001")}


def test_a_site_in_a_unit_dissolved_without_successor_is_refused_and_listed() -> None:
    orphan = SiteNow(25, "kho-huyen", "Kho huyện", SiteKind.AGENCY_OFFICE, 2, 10)
    errors = errors_of(now=current(extra_sites=(orphan,)))
    assert list(errors) == ["site kho-huyen"]
    assert "911 Huyện Một" in errors["site kho-huyen"][0]
    assert "without a successor" in errors["site kho-huyen"][0]


def test_mapping_a_district_gives_its_sites_a_successor() -> None:
    orphan = SiteNow(25, "kho-huyen", "Kho huyện", SiteKind.AGENCY_OFFICE, 2, 10)
    p = plan(mapping=MAPPING_CSV + "911,92001\n", now=current(extra_sites=(orphan,)))
    assert {c.site.slug: c.to_code for c in p.moves}["kho-huyen"] == "92001"


@pytest.mark.parametrize(
    ("mapping", "where", "message"),
    [
        ("old_code,new_code\n99999,92001\n", "mapping row 2", "'99999' is not an admin unit"),
        ("old_code,new_code\n91101,99999\n", "mapping row 2", "'99999' is neither in the units"),
        ("old_code,new_code\n91101,92001\n91101,92002\n", "mapping row 3", "is repeated"),
        ("old_code,new_code\n91101,\n", "mapping row 2", "new_code: required"),
        ("old_code,new_code\n91101,91102\n91102,92001\n", "mapping row 2", "itself dissolved"),
        ("old_code,new_code\n91201,912\n", "mapping row 2", "'912' is dissolved by this"),
    ],
)
def test_bad_mapping_rows_are_refused_with_their_row(
    mapping: str, where: str, message: str
) -> None:
    errors = errors_of(mapping=mapping)
    assert where in errors, errors
    assert any(message in m for m in errors[where]), errors[where]


def test_a_cycle_names_every_row_in_it() -> None:
    errors = errors_of(mapping="old_code,new_code\n91101,91102\n91102,91201\n91201,91101\n")
    assert set(errors) == {"mapping row 2", "mapping row 3", "mapping row 4"}
    assert (
        "cycle 91101 → 91102 → 91201 → 91101 (mapping rows 2, 3, 4)" in errors["mapping row 2"][0]
    )


@pytest.mark.parametrize(
    ("units", "where", "message"),
    [
        (UNITS_CSV + "commune,92009,Xã Chín,93,Xã\n", "units row 5", "'93' is not an earlier row"),
        (UNITS_CSV + "commune,92009,Xã Chín,911,Xã\n", "units row 5", "'911' is dissolved"),
        (UNITS_CSV + "province,92009,Xã Chín,92,Xã\n", "units row 5", "a province has no parent"),
        (UNITS_CSV + "district,92009,Huyện Chín,92001,Huyện\n", "units row 5",
         "it cannot contain a district"),
        (UNITS_CSV + "commune,92001,Phường Lặp,92,Phường\n", "units row 5", "is repeated"),
    ],
)  # fmt: skip
def test_bad_unit_rows_are_refused_with_their_row(units: str, where: str, message: str) -> None:
    errors = errors_of(units=units)
    assert any(message in m for m in errors.get(where, [])), errors


def test_a_units_file_row_may_repeat_a_unit_in_force_but_not_contradict_it() -> None:
    now = current()
    units = {**now.units, 7: UnitNow(7, "92", "Thành phố Mới", P, "Thành phố", None)}
    kept = Current(units, now.sites, now.agencies, now.links)
    assert "92" not in [c.code for c in plan(now=kept).creations]
    clash = Current({**units, 7: UnitNow(7, "92", "Khác", P, "Tỉnh", None)}, now.sites)
    errors = errors_of(now=clash)
    assert "is in force as 'Khác'" in errors["units row 2"][0]


def test_a_plan_on_what_it_produced_is_empty() -> None:
    """After the reform: old units end on the effective date, new ones start on it,
    sites stand in the new units and belong to the new committees."""
    now = current()
    old = {
        uid: UnitNow(u.id, u.code, u.name, u.level, u.kind, u.parent_id, None, EFFECTIVE,
                     {4: 7, 5: 7, 6: 8}.get(uid))
        for uid, u in now.units.items()
    }  # fmt: skip
    new = {
        9: UnitNow(9, "92", "Thành phố Mới", P, "Thành phố", None, EFFECTIVE),
        7: UnitNow(7, "92001", "Phường Một", C, "Phường", 9, EFFECTIVE),
        8: UnitNow(8, "92002", "Xã Hai", C, "Xã", 9, EFFECTIVE),
    }
    ended = [
        AgencyNow(a.id, a.name, a.kind, a.admin_unit_id,
                  EFFECTIVE if a.kind in COMMITTEE_AGENCY_KINDS else None)
        for a in now.agencies
    ]  # fmt: skip
    agencies = [*ended, AgencyNow(15, "UBND P1", AgencyKind.COMMUNE_COMMITTEE, 7),
                AgencyNow(16, "UBND X2", AgencyKind.COMMUNE_COMMITTEE, 8)]  # fmt: skip
    sites = [
        SiteNow(20, "dc", "DC", SiteKind.DATA_CENTRE, 7, 14, EFFECTIVE),
        SiteNow(21, "ubnd-911", "UBND huyện", SiteKind.AGENCY_OFFICE, 7, 15, EFFECTIVE),
        SiteNow(22, "ubnd-91101", "UBND TT", SiteKind.COMMUNE_OFFICE, 7, 15, EFFECTIVE),
        SiteNow(23, "ubnd-91102", "UBND X12", SiteKind.AGENCY_OFFICE, 7, 15, EFFECTIVE),
        SiteNow(24, "ubnd-91201", "UBND X21", SiteKind.COMMUNE_OFFICE, 8, 16, EFFECTIVE),
    ]
    again = plan(now=Current(old | new, sites, agencies, now.links))
    assert again.is_empty
    assert again.counts() == {"units_created": 0, "units_dissolved": 0, "sites_moved": 0,
                              "sites_reassigned": 0, "committees_created": 0,
                              "committees_ended": 0}  # fmt: skip


def test_an_empty_mapping_is_refused() -> None:
    errors = errors_of(mapping="old_code,new_code\n")
    assert errors == {"mapping file": ["no rows: nothing to reorganise"]}


def test_a_mapping_without_its_columns_is_a_header_error() -> None:
    errors = errors_of(mapping="old,new\n91101,92001\n")
    assert "missing column 'old_code'" in errors["mapping row 1"]
