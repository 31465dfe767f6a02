"""Following dissolved units to the units that took them over, without a database."""

from __future__ import annotations

from datetime import date

from cmdb.services.as_of import UnitSpan, compute_successors, is_in_force

REFORM, LATER = date(2025, 7, 1), date(2030, 1, 1)


def spans() -> dict[int, UnitSpan]:
    """Province 1 → districts 2, 3 → communes 4, 5 (in 2) and 6 (in 3), all ending on
    REFORM; 4 and 5 went into 8, 6 into 9, both under the new province 7. 9 itself
    goes into 10 at LATER."""
    rows = [
        UnitSpan(1, None, None, REFORM, None),
        UnitSpan(2, 1, None, REFORM, None),
        UnitSpan(3, 1, None, REFORM, None),
        UnitSpan(4, 2, None, REFORM, 8),
        UnitSpan(5, 2, None, REFORM, 8),
        UnitSpan(6, 3, None, REFORM, 9),
        UnitSpan(7, None, REFORM, None, None),
        UnitSpan(8, 7, REFORM, None, None),
        UnitSpan(9, 7, REFORM, LATER, 10),
        UnitSpan(10, 7, LATER, None, None),
    ]
    return {u.id: u for u in rows}


def test_validity_is_inclusive_from_and_exclusive_to() -> None:
    assert is_in_force(REFORM, None, REFORM)
    assert not is_in_force(None, REFORM, REFORM)
    assert is_in_force(None, REFORM, date(2025, 6, 30))


def test_a_unit_in_force_is_its_own_successor() -> None:
    assert compute_successors(spans(), 8, date(2026, 1, 1)) == [8]


def test_a_commune_is_followed_to_the_unit_that_received_it() -> None:
    assert compute_successors(spans(), 4, date(2026, 1, 1)) == [8]


def test_an_abolished_district_is_answered_by_its_communes_successors() -> None:
    assert compute_successors(spans(), 2, date(2026, 1, 1)) == [8]
    assert compute_successors(spans(), 1, date(2026, 1, 1)) == [8, 9]


def test_successors_are_followed_through_later_reforms() -> None:
    assert compute_successors(spans(), 1, LATER) == [8, 10]


def test_a_unit_asked_before_it_ended_has_no_successor_yet() -> None:
    assert compute_successors(spans(), 10, date(2026, 1, 1)) == []
