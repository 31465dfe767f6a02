"""How every run ends, and the exit code its command returns: failures are all listed."""

from __future__ import annotations

import pytest

from cmdb.choices import RunStatus
from discovery.core.runs import (
    EXIT_FAILED,
    EXIT_PARTIAL,
    EXIT_SUCCEEDED,
    Failure,
    classify_run,
)


def failures(n: int) -> list[Failure]:
    return [Failure(f"10.0.0.{i}:161", "timeout") for i in range(1, n + 1)]


@pytest.mark.parametrize(
    ("attempted", "failed", "status", "code"),
    [
        (3, 0, RunStatus.SUCCEEDED, EXIT_SUCCEEDED),
        (3, 1, RunStatus.PARTIAL, EXIT_PARTIAL),
        (3, 3, RunStatus.FAILED, EXIT_FAILED),
        (1, 1, RunStatus.FAILED, EXIT_FAILED),
        (0, 0, RunStatus.SUCCEEDED, EXIT_SUCCEEDED),
    ],
)
def test_the_status_and_exit_code_follow_the_counts(
    attempted: int, failed: int, status: RunStatus, code: int
) -> None:
    verdict = classify_run(attempted, failures(failed))
    assert (verdict.status, verdict.exit_code) == (status, code)
    assert verdict.as_json()["status"] == status.value
    assert verdict.as_json()["exit_code"] == code


def test_the_exit_codes_are_distinct_and_leave_two_to_click() -> None:
    assert (EXIT_SUCCEEDED, EXIT_FAILED, EXIT_PARTIAL) == (0, 1, 3)


def test_a_fatal_error_fails_the_run_whatever_was_done() -> None:
    verdict = classify_run(10, [], fatal="NetBox answered 503")
    assert verdict.status is RunStatus.FAILED
    assert verdict.summary == "failed: NetBox answered 503"
    assert verdict.error == "failed: NetBox answered 503"


def test_nothing_answering_is_a_failed_run_with_a_one_line_reason() -> None:
    verdict = classify_run(1, [Failure("127.0.0.1:1", "no answer (timeout 1.0 s, 2 retries)")])
    assert verdict.exit_code == EXIT_FAILED
    assert verdict.summary == (
        "failed: 0 of 1 done, 1 failed (127.0.0.1:1: no answer (timeout 1.0 s, 2 retries))"
    )


def test_every_failure_is_kept_with_its_reason_no_cap() -> None:
    verdict = classify_run(200, failures(120))
    assert verdict.status is RunStatus.PARTIAL
    assert verdict.summary.startswith("partial: 80 of 200 done, 120 failed (10.0.0.1:161")
    assert verdict.error is not None
    lines = verdict.error.splitlines()
    assert len(lines) == 121 and lines[-1] == "10.0.0.120:161: timeout"
    assert len(verdict.as_json()["failures"]) == 120


def test_a_succeeded_run_has_no_error() -> None:
    assert classify_run(5, []).error is None


def test_more_failures_than_attempts_is_a_bug_not_a_verdict() -> None:
    with pytest.raises(ValueError, match="2 failures of 1 attempted"):
        classify_run(1, failures(2))


def test_a_target_read_in_part_makes_the_run_partial_never_failed() -> None:
    incomplete = [Failure("10.0.0.9:161", "ifTable: timeout")]
    verdict = classify_run(1, [], incomplete=incomplete)
    assert (verdict.status, verdict.exit_code) == (RunStatus.PARTIAL, EXIT_PARTIAL)
    assert (
        verdict.summary
        == "partial: 1 of 1 done, 0 failed, 1 incomplete (10.0.0.9:161: ifTable: timeout)"
    )
    both = classify_run(2, failures(1), incomplete=incomplete)
    assert both.status is RunStatus.PARTIAL
    assert both.as_json()["incomplete"] == [{"item": "10.0.0.9:161", "reason": "ifTable: timeout"}]
