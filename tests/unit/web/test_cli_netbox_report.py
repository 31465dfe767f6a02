"""What ``cmdb sync netbox`` prints of a run: the first failures, each with its NetBox
page, and where the rest are (the run keeps every one); the skipped objects the same way."""

from __future__ import annotations

import click
from click.testing import CliRunner

from cmdb.models import DiscoveryRun
from web.cli.netbox import SHOWN_FAILURES, _print_listed


def _failure(n: int) -> dict[str, object]:
    return {
        "kind": "links",
        "external_id": f"circuit:{n}",
        "label": f"C-{n}",
        "reason": f"circuit C-{n} has no termination at a site",
        "url": f"http://nb/circuits/circuits/{n}/",
    }


def _printed(failures: list[dict[str, object]], key: str = "failures") -> list[str]:
    run = DiscoveryRun(id=7, stats={key: failures})

    @click.command()
    def show() -> None:
        _print_listed(run, "failures", "failed")
        _print_listed(run, "skipped", "skipped")

    return CliRunner().invoke(show).stderr.splitlines()


def test_the_first_failures_are_shown_with_their_netbox_page_and_the_rest_counted() -> None:
    lines = _printed([_failure(n) for n in range(1, SHOWN_FAILURES + 6)])
    assert len(lines) == SHOWN_FAILURES + 1
    assert lines[0] == (
        "failed: links C-1 (http://nb/circuits/circuits/1/): circuit C-1 has no termination"
        " at a site"
    )
    assert lines[-1] == "… and 5 more failed: every one is in run 7 (--json)"


def test_a_few_failures_are_all_shown() -> None:
    assert len(_printed([_failure(1), _failure(2)])) == 2
    assert _printed([]) == []


def test_skipped_objects_are_shown_like_failures_with_their_reason() -> None:
    console = {
        "kind": "links",
        "external_id": "cable:9",
        "label": "sw con0 – esx ttyS1",
        "reason": "a console cable",
        "url": "http://nb/dcim/cables/9/",
    }
    lines = _printed([console] * (SHOWN_FAILURES + 2), key="skipped")
    assert lines[0] == (
        "skipped: links sw con0 – esx ttyS1 (http://nb/dcim/cables/9/): a console cable"
    )
    assert lines[-1] == "… and 2 more skipped: every one is in run 7 (--json)"
