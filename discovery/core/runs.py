"""How a run ended, from what it tried and what failed: the one rule for every kind of run.

Every run — SNMP discovery, poll, NetBox sync and push, Ansible fact sync, audit —
counts what it *attempted* (targets it asked, objects it mapped or wrote) and lists
each *failure* with its reason. It ends:

- ``succeeded``: nothing failed (a run with nothing to do succeeded; commands refuse
  to start one with no targets before it exists);
- ``failed``: a fatal error stopped it (NetBox unreachable, the transaction rolled
  back, the worker died), or every attempt failed;
- ``partial``: some attempts failed — how many and which, every one of them, with
  its reason (no cap: the last failure matters as much as the first) — or some were
  done only in part (*incomplete*: an agent that answered but not every table); an
  incomplete attempt is done, so it never makes a run ``failed`` on its own.

Exit codes of every ``cmdb`` command that runs one (and the ``status`` of its
``--json``), distinct so a cron job or CI step can tell them apart:

==========  =====  ==========================================================
status      code   meaning
==========  =====  ==========================================================
succeeded   0      everything attempted was done
failed      1      nothing was done (or the run stopped); the first line says why
(usage)     2      click's own: a bad option, nothing was run
partial     3      some targets or objects failed; the report lists each one
==========  =====  ==========================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from cmdb.choices import RunStatus
from discovery.core.plan import Plan

EXIT_SUCCEEDED = 0
EXIT_FAILED = 1
EXIT_PARTIAL = 3
EXIT_CODES = {
    RunStatus.SUCCEEDED: EXIT_SUCCEEDED,
    RunStatus.FAILED: EXIT_FAILED,
    RunStatus.PARTIAL: EXIT_PARTIAL,
}


@dataclass(frozen=True)
class Failure:
    """One target or object that failed: what it was (an address, "device 12") and why."""

    item: str
    reason: str

    @property
    def line(self) -> str:
        return f"{self.item}: {self.reason}"


class FailureJson(TypedDict):
    item: str
    reason: str


class VerdictJson(TypedDict):
    """What ``--json`` says of a run's end (the same as the exit code)."""

    status: str
    exit_code: int
    attempted: int
    failed: int
    failures: list[FailureJson]
    incomplete: list[FailureJson]
    error: str | None


@dataclass(frozen=True)
class RunVerdict:
    """A run's end: its status, its exit code, and every failure."""

    status: RunStatus
    attempted: int
    failures: tuple[Failure, ...]
    fatal: str | None = None
    incomplete: tuple[Failure, ...] = ()

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    @property
    def summary(self) -> str:
        """One line: what a command prints last (and the first line of the run's error)."""
        if self.fatal is not None:
            return f"failed: {self.fatal}"
        if self.status is RunStatus.SUCCEEDED:
            return f"succeeded: {self.attempted} of {self.attempted} done"
        first = (self.failures or self.incomplete)[0].line
        done = self.attempted - len(self.failures)
        counts = f"{len(self.failures)} failed"
        if self.incomplete:
            counts += f", {len(self.incomplete)} incomplete"
        return f"{self.status}: {done} of {self.attempted} done, {counts} ({first})"

    @property
    def error(self) -> str | None:
        """The run's stored error: the summary, then every failure on a line of its own."""
        if self.status is RunStatus.SUCCEEDED:
            return None
        lines = [f.line for f in self.failures] + [f.line for f in self.incomplete]
        return "\n".join([self.summary, *lines])

    def as_json(self) -> VerdictJson:
        return {
            "status": str(self.status),
            "exit_code": self.exit_code,
            "attempted": self.attempted,
            "failed": len(self.failures),
            "failures": [{"item": f.item, "reason": f.reason} for f in self.failures],
            "incomplete": [{"item": f.item, "reason": f.reason} for f in self.incomplete],
            "error": self.error,
        }


@dataclass(frozen=True)
class Attempt:
    """One target or object a run attempted, and how it went (partial: done in part)."""

    item: str
    status: RunStatus
    error: str | None = None


def classify_attempts(attempts: Sequence[Attempt], fatal: str | None = None) -> RunVerdict:
    """``classify_run`` over attempts: the failed ones fail, the partial ones are incomplete."""
    failures = [_failure(a) for a in attempts if a.status is RunStatus.FAILED]
    incomplete = [_failure(a) for a in attempts if a.status is RunStatus.PARTIAL]
    return classify_run(len(attempts), failures, fatal, incomplete)


def _failure(attempt: Attempt) -> Failure:
    return Failure(attempt.item, attempt.error or str(attempt.status))


def refusals(plan: Plan) -> tuple[Failure, ...]:
    """The observations a plan refused, as the run's failures."""
    return tuple(Failure(r.label, r.reason) for r in plan.refused)


def classify_run(
    attempted: int,
    failures: Sequence[Failure],
    fatal: str | None = None,
    incomplete: Sequence[Failure] = (),
) -> RunVerdict:
    """The verdict of a run that attempted ``attempted`` targets or objects.

    ``failures`` are among the attempted (one per failed target or object); ``fatal``
    is what stopped the whole run, when something did; ``incomplete`` are attempts done
    in part (among the attempted too, none of them a failure).
    """
    if attempted < 0 or len(failures) + len(incomplete) > attempted:
        raise ValueError(f"{len(failures) + len(incomplete)} failures of {attempted} attempted")
    if fatal is not None or (attempted and len(failures) == attempted):
        status = RunStatus.FAILED
    elif failures or incomplete:
        status = RunStatus.PARTIAL
    else:
        status = RunStatus.SUCCEEDED
    return RunVerdict(status, attempted, tuple(failures), fatal, tuple(incomplete))
