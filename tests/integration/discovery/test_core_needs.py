"""What a plan needs of the inventory (``needs_of`` → ``load_needed``): an incremental
NetBox sync that read a site and a circuit plans exactly as it would against the whole
inventory, without reading the devices or the interfaces it does not name."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from cmdb.choices import Source
from cmdb.models import Interface, RecordSource
from discovery.core.coverage import Coverage
from discovery.core.needs import needs_of
from discovery.core.observations import Identity, Observation, RecordKind, SourceRef
from discovery.core.planner import plan_observations
from discovery.core.snapshot import load_needed, load_snapshot
from tests import factories as f
from tests.integration.discovery.audit_data import NOW, observe, run

SITE, LINK, INTERFACE = RecordKind.SITE, RecordKind.LINK, RecordKind.INTERFACE
EVERY_KIND = tuple(RecordKind)


def _netbox(session: Session, obj: object, netbox_id: str) -> None:
    session.add(
        RecordSource(
            object_type=obj.__tablename__,  # type: ignore[attr-defined]
            object_id=obj.id,  # type: ignore[attr-defined]
            source=Source.NETBOX,
            external_id=netbox_id,
            first_seen_at=NOW - timedelta(days=3),
            last_seen_at=NOW - timedelta(days=1),
        )
    )


def test_an_incremental_plan_reads_what_it_names_and_plans_as_against_everything(
    session: Session,
) -> None:
    dc, office = f.site(session, name="TTDL"), f.site(session, name="UBND xã A")
    ends: list[Interface] = []
    for n, site in enumerate((office, dc)):
        device = f.server(session, name=f"sw{n}", site=site, serial=f"SN{n}")
        ends += [f.interface(session, device=device, name=p) for p in ("Gi0/1", "Gi0/2")]
        _netbox(session, device, f"d{n}")
    for n, interface in enumerate(ends):
        _netbox(session, interface, f"i{n}")
    link = f.link(session, a_site=office, b_site=dc, a_interface=ends[0], b_interface=ends[2])
    for obj, netbox_id in ((dc, "s1"), (office, "s2"), (link, "c1")):
        _netbox(session, obj, netbox_id)
    sync = run(session, Source.NETBOX, NOW - timedelta(days=1))
    observe(session, sync, link, commit_rate_mbps=20.0)
    session.flush()

    site = Observation(
        Source.NETBOX,
        SITE,
        Identity(source_id="s2"),
        NOW,
        "sites s2",
        declared={"name": "UBND xã A (mới)"},
    )
    circuit = Observation(
        Source.NETBOX,
        LINK,
        Identity(source_id="c1"),
        NOW,
        "links c1",
        declared={"commit_rate_mbps": 50.0},
        refs={
            "a_site_id": SourceRef(SITE, "s2"),
            "b_site_id": SourceRef(SITE, "s1"),
            "a_interface_id": SourceRef(INTERFACE, "i0"),
            "b_interface_id": SourceRef(INTERFACE, "i2"),
        },
    )
    read = frozenset({(SITE, "s2"), (LINK, "c1"), (INTERFACE, "i3")})  # i3: deleted in NetBox
    coverage = Coverage(Source.NETBOX, source_ids=read)
    observations = [site, circuit]

    needs = needs_of(observations, coverage)
    assert needs.whole == {SITE, LINK}
    assert needs.named == {INTERFACE: {"i0", "i2", "i3"}}
    needed = load_needed(session, needs, Source.NETBOX)
    assert {r.kind for r in needed.records} == {SITE, LINK, INTERFACE}
    assert {r.id for r in needed.of_kind(INTERFACE)} == {ends[0].id, ends[2].id, ends[3].id}

    whole = load_snapshot(session, EVERY_KIND)
    plan = plan_observations(observations, needed, coverage)
    assert plan == plan_observations(observations, whole, coverage)
    assert [(u.ref.kind, [c.field for c in u.changes]) for u in plan.updates] == [
        (SITE, ["name"]),
        (LINK, ["commit_rate_mbps"]),
    ]
    assert [(g.ref.kind, g.ref.id) for g in plan.not_seen] == [(INTERFACE, ends[3].id)]
    assert not plan.refused
