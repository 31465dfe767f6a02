"""DESIGN §5's identity rule over hand-built snapshots: id → serial → address + port →
hostname, where a different known serial (or, without serials, a different hostname)
at the same address is a different device, and an ambiguity is refused, not guessed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cmdb.choices import Source
from discovery.core.identity import (
    Conflict,
    IdentityIndex,
    MatchedBy,
    Resolution,
    answering,
    resolve_identity,
    resolve_part,
    same_endpoint,
)
from discovery.core.known import KnownRecord, SourceMark
from discovery.core.normalize import clean_serial, normalize_hostname
from discovery.core.observations import Endpoint, Identity, RecordKind

AT = datetime(2026, 11, 1, tzinfo=UTC)
HERE = Endpoint("127.0.0.1", 1161)


def rec(id: int, name: str | None = None, serial: str | None = None, **kw) -> KnownRecord:
    return KnownRecord(id, RecordKind.DEVICE, name=name, serial=serial, **kw)


def mark(source: Source, source_id: str | None) -> SourceMark:
    return SourceMark(source, source_id, AT)


def resolve(identity: Identity, *records: KnownRecord, source: Source = Source.SNMP) -> Resolution:
    return resolve_identity(identity, source, IdentityIndex(records))


# -- the order of the keys ---------------------------------------------------------------


def test_the_source_id_comes_before_every_other_key() -> None:
    a = rec(1, "sw1", "SN1", address=HERE, marks=(mark(Source.NETBOX, "17"),))
    b = rec(2, "sw2", "SN2", address=Endpoint("10.0.0.2"))
    found = resolve(Identity(source_id="17", serial="SN2", name="sw2"), a, b, source=Source.NETBOX)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.SOURCE_ID)


def test_another_sources_id_is_not_this_sources() -> None:
    a = rec(1, "sw1", marks=(mark(Source.ANSIBLE, "17"),))
    found = resolve(Identity(source_id="17"), a, source=Source.NETBOX)
    assert found.record_id is None and not found.refused


def test_a_serial_finds_a_device_that_moved_to_another_address() -> None:
    a = rec(1, "sw1", "SN1", address=Endpoint("10.0.0.1", 161))
    found = resolve(Identity(serial="sn1 ", address=HERE, name="other"), a)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.SERIAL)


def test_the_address_and_port_find_a_device_whose_serial_was_never_read() -> None:
    a = rec(1, "sw1", None, address=HERE)
    found = resolve(Identity(serial="SN9", address=HERE, name="sw1"), a)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.ADDRESS)


def test_a_port_tells_two_agents_on_one_host_apart() -> None:
    a = rec(1, None, address=Endpoint("127.0.0.1", 1161))
    b = rec(2, None, address=Endpoint("127.0.0.1", 1162))
    assert resolve(Identity(address=Endpoint("127.0.0.1", 1162)), a, b).record_id == 2
    assert resolve(Identity(address=Endpoint("127.0.0.1", 1163)), a, b).record_id is None


def test_an_address_without_port_matches_any_port() -> None:
    """NetBox and Ansible know the address, not the port the agent answers on."""
    a = rec(1, "sw1", address=HERE)
    found = resolve(Identity(address=Endpoint("127.0.0.1")), a, source=Source.NETBOX)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.ADDRESS)


def test_the_hostname_is_the_last_key() -> None:
    a = rec(1, "core-sw1.ttdl.gov.vn", address=Endpoint("10.9.9.9"))
    found = resolve(Identity(address=HERE, name="CORE-SW1"), a)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.HOSTNAME)


def test_nothing_known_is_a_new_record() -> None:
    found = resolve(Identity(serial="SN1", address=HERE, name="sw1"), rec(1, "sw2", "SN2"))
    assert (found.record_id, found.matched_by, found.refused) == (None, None, False)


# -- an address reused by another device ---------------------------------------------------


def test_a_different_known_serial_at_the_same_address_is_another_device() -> None:
    old = rec(1, "sw1", "SN1", address=HERE)
    found = resolve(Identity(serial="SN2", address=HERE, name="sw1"), old)
    assert found.record_id is None and not found.refused


def test_an_snmp_mark_at_the_address_does_not_make_the_new_device_the_old_one() -> None:
    """SNMP's mark keeps its agent's endpoint; an endpoint is an address, not an id."""
    old = rec(1, "sw1", "SN1", address=HERE, marks=(mark(Source.SNMP, HERE.text),))
    assert resolve(Identity(serial="SN2", address=HERE), old).record_id is None


def test_without_serials_a_different_hostname_at_the_address_is_another_device() -> None:
    old = rec(1, "sw1", None, address=HERE)
    assert resolve(Identity(address=HERE, name="sw2"), old).record_id is None


def test_a_name_the_source_itself_gave_the_record_is_no_contradiction() -> None:
    """A new device whose name was taken in its site was written as ``sw1-127.0.0.1``; the
    agent that calls itself sw1 is still that record, not a third device."""
    renamed = rec(1, "sw1-127.0.0.1", address=HERE, said={Source.SNMP: {"name": "sw1"}})
    found = resolve(Identity(address=HERE, name="sw1"), renamed)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.ADDRESS)
    other = resolve(Identity(address=HERE, name="sw1"), rec(1, "sw1-127.0.0.1", address=HERE))
    assert other.record_id is None


def test_answering_is_the_record_the_source_saw_last_at_the_endpoint() -> None:
    old = rec(1, "sw1", "SN1", address=HERE, marks=(SourceMark(Source.SNMP, HERE.text, AT),))
    later = datetime(2026, 11, 2, tzinfo=UTC)
    new = rec(2, "sw2", "SN2", address=HERE, marks=(SourceMark(Source.SNMP, HERE.text, later),))
    netbox_only = rec(3, "sw3", address=Endpoint("10.0.0.3"), marks=(mark(Source.NETBOX, "3"),))
    assert answering([new, old, netbox_only], Source.SNMP) == {HERE: 2}
    assert answering([old, new], Source.SNMP) == {HERE: 2}


def test_a_serial_on_one_side_only_leaves_the_hostname_to_decide() -> None:
    old = rec(1, "sw1", "SN1", address=HERE)
    assert resolve(Identity(address=HERE, name="sw2"), old).record_id is None
    assert resolve(Identity(address=HERE, name="SW1.lan"), old).record_id == 1


def test_without_serial_or_hostname_nothing_contradicts_the_address() -> None:
    old = rec(1, "sw1", "SN1", address=HERE)
    assert resolve(Identity(address=HERE), old).record_id == 1


def test_after_a_swap_each_device_finds_its_own_record_at_the_shared_address() -> None:
    old = rec(1, "sw1", "SN1", address=HERE)
    new = rec(2, "sw2", "SN2", address=HERE)
    assert resolve(Identity(serial="SN2", address=HERE), old, new).record_id == 2
    assert resolve(Identity(serial="SN1", address=HERE), old, new).record_id == 1
    by_name = resolve(Identity(address=HERE, name="sw2"), old, new)
    assert (by_name.record_id, by_name.matched_by) == (2, MatchedBy.ADDRESS)
    assert resolve(Identity(address=HERE, name="sw3"), old, new).record_id is None


def test_two_records_at_an_address_and_nothing_to_tell_them_apart_is_refused() -> None:
    old, new = rec(1, "sw1", address=HERE), rec(2, "sw2", address=HERE)
    found = resolve(Identity(address=HERE), old, new)
    assert found.refused and found.record_id is None
    assert "records 1, 2" in found.reason


# -- hostnames -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("known", "seen"),
    [
        ("sw1", "SW1"),
        ("sw1", "sw1.ttdl.gov.vn"),
        ("SW1.ttdl.gov.vn", "sw1.other.domain"),
        ("  sw1 ", "sw1"),
        ("Máy-Chủ-1", "MÁY-CHỦ-1.local"),
    ],
)
def test_hostnames_match_without_case_or_domain(known: str, seen: str) -> None:
    found = resolve(Identity(name=seen), rec(1, known))
    assert (found.record_id, found.matched_by) == (1, MatchedBy.HOSTNAME)


@pytest.mark.parametrize(
    ("known", "seen"),
    [("sw1", "sw10"), ("10", "10.0.0.1"), ("10.0.0.2", "10.0.0.1"), ("sw1-a", "sw1")],
)
def test_hostnames_that_differ_do_not_match(known: str, seen: str) -> None:
    assert resolve(Identity(name=seen), rec(1, known)).record_id is None


def test_a_hostname_match_is_vetoed_by_a_different_serial() -> None:
    """Two switches called sw1 in two communes are two devices."""
    assert resolve(Identity(serial="SN2", name="sw1"), rec(1, "sw1", "SN1")).record_id is None


def test_normalize_hostname() -> None:
    assert normalize_hostname(" Core-SW1.TTDL.gov.vn ") == "core-sw1"
    assert normalize_hostname("10.0.0.1") == "10.0.0.1"
    assert normalize_hostname("fe80::1") == "fe80::1"
    assert normalize_hostname("") is None
    assert normalize_hostname(None) is None
    assert normalize_hostname(".local") is None


# -- serials -------------------------------------------------------------------------------


@pytest.mark.parametrize("bogus", ["", " ", "0", "N/A", "unknown", "To be filled by O.E.M."])
def test_placeholder_serials_are_no_serial(bogus: str) -> None:
    assert clean_serial(bogus) is None
    twins = rec(1, "a", bogus, address=HERE), rec(2, "b", bogus)
    assert resolve(Identity(serial=bogus, name="b"), *twins).record_id == 2


def test_a_serial_shared_by_two_records_is_narrowed_by_the_address() -> None:
    a, b = rec(1, "a", "SN1", address=HERE), rec(2, "b", "SN1", address=Endpoint("10.0.0.2"))
    found = resolve(Identity(serial="SN1", address=HERE), a, b)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.SERIAL)
    assert resolve(Identity(serial="SN1"), a, b).refused


# -- ids: the source's and Headroom's ------------------------------------------------------


def test_when_the_source_id_and_the_serial_disagree_the_id_wins_and_says_so() -> None:
    """NetBox object 17 is record A; the serial NetBox now gives it is record B's.

    The id wins (NetBox documents that object; a serial changed there is a replaced
    box or a typo, which the planner shows as a serial discrepancy on A), and the
    resolution names B as a conflict so the run reports it. A and B stay two records.
    """
    a = rec(1, "sw1", "SN1", marks=(mark(Source.NETBOX, "17"),))
    b = rec(2, "sw2", "SN2")
    found = resolve(Identity(source_id="17", serial="SN2"), a, b, source=Source.NETBOX)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.SOURCE_ID)
    assert found.conflicts == (Conflict(MatchedBy.SERIAL, 2),)
    assert "serial names record 2" in found.reason


def test_an_unknown_source_id_never_takes_a_record_another_object_holds() -> None:
    """NetBox object 9 is not NetBox object 5's record, whatever their serials say."""
    held = rec(1, "sw1", "SN1", marks=(mark(Source.NETBOX, "5"),))
    found = resolve(Identity(source_id="9", serial="SN1"), held, source=Source.NETBOX)
    assert found.record_id is None and not found.refused
    snmp_only = rec(2, "sw2", "SN2", marks=(mark(Source.SNMP, "10.0.0.2"),))
    found = resolve(Identity(source_id="9", serial="SN2"), held, snmp_only, source=Source.NETBOX)
    assert (found.record_id, found.matched_by) == (2, MatchedBy.SERIAL)


def test_a_source_id_on_two_records_is_refused() -> None:
    twins = (rec(i, f"sw{i}", marks=(mark(Source.NETBOX, "5"),)) for i in (1, 2))
    found = resolve(Identity(source_id="5"), *twins, source=Source.NETBOX)
    assert found.refused and "records 1, 2" in found.reason


def test_headroom_ids_name_the_record_exactly() -> None:
    a, b = rec(1, "sw1", "SN1"), rec(2, "sw2", "SN2")
    found = resolve(Identity(record_id=1, serial="SN2"), a, b, source=Source.ANSIBLE)
    assert (found.record_id, found.matched_by) == (1, MatchedBy.RECORD_ID)
    assert found.conflicts == (Conflict(MatchedBy.SERIAL, 2),)
    assert resolve(Identity(record_id=9), a, b, source=Source.ANSIBLE).refused


# -- endpoints and parts -------------------------------------------------------------------


def test_same_endpoint() -> None:
    assert same_endpoint(Endpoint("2001:DB8::1", 161), Endpoint("2001:db8:0::1", 161))
    assert same_endpoint(Endpoint("SW1.lan"), Endpoint("sw1.lan", 1161))
    assert not same_endpoint(Endpoint("10.0.0.1", 161), Endpoint("10.0.0.1", 1161))
    assert not same_endpoint(Endpoint("10.0.0.1"), Endpoint("10.0.0.10"))


def part(id: int, name: str, if_index: int | None = None, **kw) -> KnownRecord:
    values = {"if_index": if_index} if if_index is not None else {}
    return KnownRecord(id, RecordKind.INTERFACE, name=name, parent_id=1, values=values, **kw)


def test_parts_are_found_by_source_id_then_name_then_index() -> None:
    eth0 = part(10, "eth0", 1, marks=(mark(Source.NETBOX, "100"),))
    eth1 = part(11, "eth1", 2)
    parts = (eth0, eth1)
    by_id = resolve_part(Identity(source_id="100", name="eth9"), None, Source.NETBOX, parts)
    assert by_id == (eth0, MatchedBy.SOURCE_ID)
    assert resolve_part(Identity(name="eth1"), 7, Source.SNMP, parts) == (eth1, MatchedBy.NAME)
    renamed = resolve_part(Identity(name="ens2"), 2, Source.SNMP, parts)
    assert renamed == (eth1, MatchedBy.INDEX)
    assert resolve_part(Identity(name="ens3"), 3, Source.SNMP, parts) == (None, None)
