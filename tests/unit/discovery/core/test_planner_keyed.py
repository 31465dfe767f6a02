"""The planner over the kinds a natural key names (admin units, agencies, sites, racks,
clusters, systems, links) and the references between records, as a NetBox sync states
them: the source's id first, then the natural key among records no other object of the
source holds; references to known records, to records the same plan creates, or refused
with why; links turned so their b end is the DC; absence only inside what the run read;
planning again after applying is empty."""

from __future__ import annotations

from cmdb.choices import Source
from discovery.core.coverage import Coverage
from discovery.core.identity import MatchedBy
from discovery.core.known import KnownRecord, Snapshot, SourceMark
from discovery.core.observations import (
    KEYED_KINDS,
    Facts,
    Identity,
    Observation,
    RecordKind,
    SourceRef,
)
from discovery.core.plan import Change, NotSeen, Plan, Ref
from discovery.core.planner import plan_observations
from tests.unit.discovery.core.memory import apply_in_memory, at

SITE, RACK, LINK = RecordKind.SITE, RecordKind.RACK, RecordKind.LINK
UNIT, AGENCY, DEVICE = RecordKind.ADMIN_UNIT, RecordKind.AGENCY, RecordKind.DEVICE
FULL = Coverage(Source.NETBOX, kinds=frozenset({*KEYED_KINDS, DEVICE}))


def nb(
    kind: RecordKind,
    source_id: str,
    declared: Facts | None = None,
    refs: dict[str, SourceRef | None] | None = None,
    **kw: object,
) -> Observation:
    """What the NetBox adapter gives for one object."""
    return Observation(
        Source.NETBOX,
        kind,
        Identity(source_id=source_id, name=str((declared or {}).get("name") or source_id)),
        at(1),
        f"{kind} {source_id}",
        declared=declared or {},
        refs=refs or {},
        **kw,  # type: ignore[arg-type]
    )


def site(source_id: str = "1", slug: str = "ttdl", kind: str = "data_centre") -> Observation:
    return nb(SITE, source_id, {"name": slug.upper(), "slug": slug, "kind": kind})


def known(
    record_kind: RecordKind, record_id: int, netbox: str | None = None, **values: object
) -> KnownRecord:
    marks = (SourceMark(Source.NETBOX, netbox, at(1)),) if netbox is not None else ()
    return KnownRecord(record_id, record_kind, values={"id": record_id, **values}, marks=marks)  # type: ignore[dict-item]


def plan(observations: list[Observation], snapshot: Snapshot, coverage: Coverage = FULL) -> Plan:
    return plan_observations(observations, snapshot, coverage)


def replanned(observations: list[Observation], snapshot: Snapshot) -> Plan:
    """Plan, apply in memory, and check that planning again changes nothing."""
    first = plan(observations, snapshot)
    again = plan(observations, apply_in_memory(snapshot, first))
    assert again.is_empty, again
    return first


def test_a_rack_names_the_site_the_same_plan_creates() -> None:
    rack = nb(RACK, "7", {"name": "R01"}, {"site_id": SourceRef(SITE, "1")})
    result = replanned([site(), rack], Snapshot())
    new_site, new_rack = result.creates
    assert new_site.ref == Ref(SITE, new="site 1") and new_site.values["slug"] == "ttdl"
    assert new_rack.pending == {"site_id": new_site.ref}
    assert [s.source_id for s in result.seen] == ["1", "7"]


def test_a_site_without_netbox_id_is_matched_by_slug_and_takes_netboxs_name() -> None:
    snapshot = Snapshot((known(SITE, 5, slug="ttdl", name="Old name", kind="data_centre"),))
    result = replanned([site()], snapshot)
    assert result.creates == ()
    [seen] = result.seen
    assert (seen.ref, seen.matched_by, seen.new_mark) == (Ref(SITE, 5), MatchedBy.KEY, True)
    [update] = result.updates
    assert update.changes == (Change("name", "Old name", "TTDL"),)


def test_a_record_another_netbox_id_holds_is_not_matched_by_key() -> None:
    snapshot = Snapshot((known(SITE, 5, netbox="99", slug="ttdl", kind="data_centre"),))
    result = plan([site()], snapshot)
    assert [c.ref for c in result.creates] == [Ref(SITE, new="site 1")]
    assert result.not_seen == (NotSeen(Ref(SITE, 5), Source.NETBOX, at(1)),)  # 99 is gone


def test_references_to_unknown_or_refused_records_refuse_with_the_reason() -> None:
    broken = nb(SITE, "2", unmapped="site 'X' has no region, group or code")
    rack_of_broken = nb(RACK, "8", {"name": "R02"}, {"site_id": SourceRef(SITE, "2")})
    rack_of_none = nb(RACK, "9", {"name": "R03"}, {"site_id": SourceRef(SITE, "404")})
    result = plan([broken, rack_of_broken, rack_of_none], Snapshot())
    assert result.creates == ()
    assert [(r.label, r.reason) for r in result.refused] == [
        ("site 2", "site 'X' has no region, group or code"),
        ("rack 8", "its site 2 failed: site 'X' has no region, group or code"),
        ("rack 9", "its site 404 is unknown to Headroom"),
    ]


def test_an_admin_unit_is_named_by_its_code_among_the_units_in_force() -> None:
    snapshot = Snapshot(
        (
            known(UNIT, 1, code="49", name="Quảng Nam", valid_to="2025-07-01"),
            known(UNIT, 2, code="48", name="Đà Nẵng"),
        )
    )
    tenant = nb(AGENCY, "3", {"name": "Sở TT&TT"}, {"admin_unit_id": SourceRef(UNIT, key="48")})
    dissolved = nb(AGENCY, "4", {"name": "UBND"}, {"admin_unit_id": SourceRef(UNIT, key="49")})
    result = plan([tenant, dissolved], snapshot)
    [create] = result.creates
    assert create.values["admin_unit_id"] == 2
    assert [r.reason for r in result.refused] == ["no admin unit has code 49"]


def test_a_unit_and_its_parent_of_the_same_sync() -> None:
    province = nb(UNIT, "region:1", observed={"code": "49"})
    district = nb(
        UNIT, "region:2", observed={"code": "509"}, refs={"parent_id": SourceRef(UNIT, "region:1")}
    )
    result = replanned([province, district], Snapshot())
    assert result.creates[1].pending == {"parent_id": result.creates[0].ref}


def test_a_link_is_turned_so_its_b_end_is_the_data_centre() -> None:
    commune = site("2", "ubnd-duy-son", "commune_office")
    circuit = nb(
        LINK,
        "circuit:5",
        {"circuit_id": "TSLCD-01", "commit_rate_mbps": 100.0},
        {"a_site_id": SourceRef(SITE, "1"), "b_site_id": SourceRef(SITE, "2")},
    )
    snapshot = Snapshot((known(SITE, 1, netbox="1", slug="ttdl", kind="data_centre"),))
    result = replanned([site(), commune, circuit], snapshot)
    link = next(c for c in result.creates if c.ref.kind is LINK)
    assert link.values["b_site_id"] == 1 and "a_site_id" not in link.values
    assert link.pending == {"a_site_id": Ref(SITE, new="site 2")}


def test_a_new_link_without_any_capacity_is_refused() -> None:
    bare = nb(LINK, "circuit:6", {"circuit_id": "WAN-9"})
    result = plan([bare], Snapshot())
    assert [r.reason for r in result.refused] == [
        "no commit rate and no port speed (are the interfaces' speeds documented?)"
    ]


def test_a_cable_matches_the_link_found_between_its_interfaces_either_way_round() -> None:
    snapshot = Snapshot((known(LINK, 4, a_interface_id=20, b_interface_id=10, name="lldp"),))
    cable = nb(
        LINK,
        "cable:3",
        {"a_interface_id": 10, "b_interface_id": 20, "port_speed_mbps": 10000.0},
    )
    [seen] = plan([cable], snapshot).seen
    assert (seen.ref, seen.matched_by) == (Ref(LINK, 4), MatchedBy.KEY)


def test_a_declared_none_clears_the_value_and_an_observed_none_says_nothing() -> None:
    record = known(DEVICE, 3, netbox="11", name="esx-01", asset_tag="QN-1", cores=64, site_id=1)
    device = nb(DEVICE, "11", {"name": "esx-01", "asset_tag": None}, observed={"cores": None})
    [update] = plan([device], Snapshot((record,))).updates
    assert update.changes == (Change("asset_tag", "QN-1", None),)


def test_absence_only_inside_what_the_run_read() -> None:
    snapshot = Snapshot(
        (
            known(SITE, 1, netbox="1", slug="ttdl", kind="data_centre"),
            known(SITE, 2, netbox="2", slug="gone"),
            known(SITE, 3, netbox="3", slug="unread"),
        )
    )
    deleted = Coverage(Source.NETBOX, source_ids=frozenset({(SITE, "1"), (SITE, "2")}))
    incremental = plan([site()], snapshot, deleted)
    assert [n.ref for n in incremental.not_seen] == [Ref(SITE, 2)]
    listed = Coverage(Source.NETBOX, kinds=frozenset({SITE}), present=frozenset({(SITE, "3")}))
    assert [n.ref for n in plan([site()], snapshot, listed).not_seen] == [Ref(SITE, 2)]
    assert [n.ref for n in plan([site()], snapshot).not_seen] == [Ref(SITE, 2), Ref(SITE, 3)]
