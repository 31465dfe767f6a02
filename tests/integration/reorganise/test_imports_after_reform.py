"""Imports after a reform that reused a code: the code names the unit in force.

Before: province 91 → district 911 → communes 91101, 91102. After 2025-07-01:
city 92 → commune 91101 (a new unit reusing the code) ← both old communes.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel
from cmdb.models import AdminUnit, Site
from cmdb.services.import_rows import Format, parse_table
from cmdb.services.importer import ImportKind, import_text
from cmdb.services.reorganise import reorganise
from tests import factories as f

UNITS = "level,code,name,parent_code,kind\nprovince,92,Thành phố Mới,,Thành phố\n" \
        "commune,91101,Phường Một Mới,92,Phường\n"  # fmt: skip
MAPPING = "old_code,new_code\n91101,91101\n91102,91101\n"


def reformed(session: Session) -> tuple[AdminUnit, AdminUnit]:
    province = f.admin_unit(session, code="91", name="Tỉnh Cũ", level=AdminLevel.PROVINCE,
                            kind="Tỉnh")  # fmt: skip
    district = f.admin_unit(session, code="911", name="Huyện Một", level=AdminLevel.DISTRICT,
                            kind="Huyện", parent=province)  # fmt: skip
    old = f.admin_unit(session, code="91101", name="Xã Một", parent=district)
    f.admin_unit(session, code="91102", name="Xã Hai", parent=district)
    reorganise(session, parse_table(UNITS, Format.CSV), parse_table(MAPPING, Format.CSV),
               date(2025, 7, 1))  # fmt: skip
    new = session.scalars(
        sa.select(AdminUnit).where(AdminUnit.code == "91101", AdminUnit.valid_to.is_(None))
    ).one()
    return old, new


def test_a_site_imported_with_a_reused_code_lands_in_the_unit_in_force(session: Session) -> None:
    old, new = reformed(session)
    text = "name,slug,kind,admin_unit_code\nTrạm mới,tram-moi,pop,91101\n"
    import_text(session, ImportKind.SITES, text, Format.CSV)
    site = session.scalars(sa.select(Site).where(Site.slug == "tram-moi")).one()
    assert site.admin_unit_id == new.id != old.id


def test_re_importing_a_unit_updates_the_one_in_force_not_its_namesake(session: Session) -> None:
    old, new = reformed(session)
    text = "level,code,name,parent_code,kind\ncommune,91101,Phường Một (sửa),92,Phường\n"
    result = import_text(session, ImportKind.ADMIN_UNITS, text, Format.CSV)
    assert (result.created, result.updated) == (0, 1)
    session.refresh(old)
    session.refresh(new)
    assert (old.name, new.name) == ("Xã Một", "Phường Một (sửa)")
