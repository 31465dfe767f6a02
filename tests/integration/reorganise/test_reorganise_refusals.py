"""What a reorganisation refuses, and that a refusal or a dry run writes nothing.

On the demo province, SQLite only: nothing here depends on the backend (the plan
is complete before the first write), and the happy path runs on both backends in
``test_reform_2025_on_demo``.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import SiteKind
from cmdb.db import Base, make_engine
from cmdb.demo.reform import MAPPING_FILE, REFORM_2025, UNITS_FILE, reform_2025_tables
from cmdb.errors import ValidationError
from cmdb.models import AdminUnit, Site
from cmdb.services.import_rows import Format, Table, parse_table
from cmdb.services.reorganise import read_table, reorganise
from tests.demo_databases import demo_sqlite_url

OFFICIAL_MAPPING = Path(__file__).parents[2] / "fixtures" / "reform" / "official-mapping.csv"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    engine = make_engine(demo_sqlite_url(tmp_path_factory.mktemp("demo") / "demo.db"))
    with engine.connect() as conn:
        outer = conn.begin()
        sess = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield sess
        finally:
            sess.close()
            outer.rollback()
    engine.dispose()


def row_counts(session: Session) -> dict[str, int]:
    session.flush()
    return {
        t.name: session.scalar(sa.select(sa.func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }


def edited_mapping(drop: set[str], append: str) -> Table:
    """The package's mapping without the rows of ``drop`` and with ``append``'s rows last."""
    text = (files("cmdb") / "data" / MAPPING_FILE).read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if line.split(",")[0] not in drop]
    return parse_table("\n".join(kept) + "\n" + append, Format.CSV)


def refused(session: Session, units: Table, mapping: Table) -> dict[str, list[str]]:
    before = row_counts(session)
    with pytest.raises(ValidationError) as caught:
        reorganise(session, units, mapping, REFORM_2025)
    assert row_counts(session) == before  # nothing written
    return caught.value.errors


def test_a_dry_run_prints_the_plan_and_writes_nothing(session: Session) -> None:
    before = row_counts(session)
    result = reorganise(session, *reform_2025_tables(), REFORM_2025, dry_run=True)
    assert not result.applied
    assert result.plan.counts()["sites_moved"] == 262
    assert len(result.plan.merges) == 75  # 3 of the 78 take over a single old commune
    assert len(result.plan.internal_links) == 47
    assert row_counts(session) == before


def test_the_official_mapping_row_for_a_code_the_inventory_never_had_is_refused(
    session: Session,
) -> None:
    units, _ = reform_2025_tables()
    before = row_counts(session)
    with pytest.raises(ValidationError) as caught:
        reorganise(session, units, read_table(OFFICIAL_MAPPING, "mapping"), REFORM_2025)
    assert row_counts(session) == before
    assert caught.value.errors == {
        "mapping row 125": ["old_code: '20674' is not an admin unit of the inventory"]
    }
    assert "--skip-unknown applies the other rows" in str(caught.value.args[0])


def test_skip_unknown_applies_every_other_row_of_the_official_mapping(session: Session) -> None:
    units, package_mapping = reform_2025_tables()
    official = read_table(OFFICIAL_MAPPING, "mapping")
    expected = reorganise(session, units, package_mapping, REFORM_2025, dry_run=True).plan

    plan = reorganise(session, units, official, REFORM_2025, dry_run=True, skip_unknown=True).plan

    assert [(r.label, r.old_code, r.reason) for r in plan.skipped] == [
        ("mapping row 125", "20674", "old_code: '20674' is not an admin unit of the inventory")
    ]
    assert plan.counts() == expected.counts()  # the 241 rows of the package's file, all of them
    assert plan.counts()["units_dissolved"] == 241 + 18 + 1  # communes, districts, the province


def test_unknown_codes_and_cycles_are_refused_with_their_rows(session: Session) -> None:
    units, _ = reform_2025_tables()
    bad = edited_mapping(
        {"20338", "20347", "20344"},  # codes the new units do not reuse
        "20338,,20347,,\n20347,,20338,,\n99999,,20341,,\n20344,,77777,,\n",
    )
    errors = refused(session, units, bad)
    # 238 rows kept (rows 2–239), then the four bad ones
    assert set(errors) == {f"mapping row {n}" for n in (240, 241, 242, 243)}
    assert "cycle 20338 → 20347 → 20338 (mapping rows 240, 241)" in errors["mapping row 240"][0]
    assert "'99999' is not an admin unit" in errors["mapping row 242"][0]
    assert "'77777' is neither in the units file" in errors["mapping row 243"][0]


def test_row_errors_of_both_files_are_reported_together(session: Session) -> None:
    text = (files("cmdb") / "data" / UNITS_FILE).read_text(encoding="utf-8")
    units = parse_table(text + "commune,20999,,48,Xã\n", Format.CSV)
    mapping = edited_mapping({"20335"}, "20335,,20335,,\n20341,,20350,,\n99999,,20335,,\n")
    errors = refused(session, units, mapping)
    assert errors == {
        "units row 97": ["name: required"],
        "mapping row 244": ["old_code: '99999' is not an admin unit of the inventory"],
        "mapping row 243": ["old_code: '20341' is repeated (first in mapping row 3); "
                            "a unit split between several new units is not supported"],
    }  # fmt: skip


def test_a_site_left_in_an_abolished_district_is_refused_and_listed(session: Session) -> None:
    district = session.scalar(sa.select(AdminUnit).where(AdminUnit.code == "502"))
    session.add(Site(slug="kho-tam-ky", name="Kho lưu trữ Tam Kỳ", kind=SiteKind.AGENCY_OFFICE,
                     admin_unit=district))  # fmt: skip
    session.flush()
    errors = refused(session, *reform_2025_tables())
    assert list(errors) == ["site kho-tam-ky"]
    assert "502 Thành phố Tam Kỳ" in errors["site kho-tam-ky"][0]
