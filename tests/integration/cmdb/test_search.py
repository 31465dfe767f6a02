"""Global search on SQLite and PostgreSQL: any case, with or without Vietnamese marks."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel
from cmdb.folding import TRANSLATE_FROM, TRANSLATE_TO, fold
from cmdb.models import Device, Site
from cmdb.services.listing import ListQuery, load_page
from cmdb.services.search import PER_KIND, search_all
from tests import factories as f


def _found(session: Session, text: str) -> dict[str, list[str]]:
    return {
        group.kind.key: [getattr(r, "name", None) or str(r.id) for r in group.records]
        for group in search_all(session, text)
    }


def test_fold_strips_marks_and_case() -> None:
    assert fold("Quảng Nam") == "quang nam"
    assert fold("ĐIỆN BÀN đường") == "dien ban duong"
    assert fold("Thăng Bình ơ ư") == "thang binh o u"
    assert len(TRANSLATE_FROM) == len(TRANSLATE_TO)
    assert "ả" in TRANSLATE_FROM and "Đ" in TRANSLATE_FROM


def test_quang_nam_without_marks_finds_units_and_sites_with_them(session: Session) -> None:
    province = f.admin_unit(session, code="49", name="Tỉnh Quảng Nam", level=AdminLevel.PROVINCE)
    f.site(session, name="UBND tỉnh Quảng Nam", admin_unit=province)
    f.site(session, name="UBND xã Tam Thăng", address="Đường Quang Trung")
    session.flush()

    found = _found(session, "quang nam")

    assert found["admin-units"] == ["Tỉnh Quảng Nam"]
    assert found["sites"] == ["UBND tỉnh Quảng Nam"]
    assert _found(session, "QUẢNG NAM") == found
    assert _found(session, "duong quang")["sites"] == ["UBND xã Tam Thăng"]  # by address


def test_finds_devices_by_serial_asset_tag_and_links_by_circuit(session: Session) -> None:
    f.server(session, name="esx-01", serial="CZ2026A", asset_tag="TS-0042")
    f.link(session, name="TSLCD Tam Kỳ", circuit_id="VNPT-QNM-778")
    session.flush()

    assert _found(session, "cz2026a") == {"devices": ["esx-01"]}
    assert _found(session, "ts-0042") == {"devices": ["esx-01"]}
    assert _found(session, "S-004") == {"devices": ["esx-01"]}  # a part of the tag, any case
    assert _found(session, "qnm-778") == {"links": ["TSLCD Tam Kỳ"]}
    assert _found(session, "tam ky")["links"] == ["TSLCD Tam Kỳ"]


def test_a_wildcard_is_literal_and_groups_are_capped(session: Session) -> None:
    for n in range(PER_KIND + 2):
        f.cluster(session, name=f"CL-{n:02d}")
    session.flush()

    groups = search_all(session, "cl-")
    assert [(g.kind.key, len(g.records), g.more) for g in groups] == [("clusters", PER_KIND, True)]
    assert search_all(session, "%") == []
    assert search_all(session, "   ") == []


def test_a_lists_q_folds_named_kinds_and_matches_identifiers_as_typed(session: Session) -> None:
    f.site(session, name="UBND xã Điện Bàn", slug="dien-ban")
    f.site(session, name="UBND xã Tam Thăng", slug="tam-thang")
    f.server(session, name="Đà-core-01")
    session.flush()

    def page(model: type, text: str, columns: tuple[str, ...]) -> list[str]:
        query = ListQuery(search=text, search_columns=columns)
        return [r.name for r in load_page(session, model, query)[1]]

    assert page(Site, "dien BAN", ("name", "slug")) == ["UBND xã Điện Bàn"]
    assert page(Site, "Điện", ("name",)) == ["UBND xã Điện Bàn"]
    assert page(Site, "50%", ("name",)) == []  # a wildcard is a letter
    # a device's name is an identifier: matched in any case, marks as typed
    assert page(Device, "Đà-CORE", ("name",)) == ["Đà-core-01"]  # SQLite: ASCII case only
    assert page(Device, "da-core", ("name",)) == []
