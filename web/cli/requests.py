"""``cmdb request evaluate|approve|reject|list``: the capacity verdict from the command line.

The same actions as the API and the UI (``capacity.request_actions``), one unit of
work per command: bad input exits 1 with a message per field and leaves nothing
written. ``--as USER`` acts as a Headroom user, with their role and agency checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import yaml
from flask.cli import AppGroup

from cmdb.choices import RequestStatus, Verdict
from web.cli.attribution import AS_USER, cli_unit
from web.cli.tables import Column, format_table

if TYPE_CHECKING:  # the capacity model and the database: imported by each command
    from cmdb.models import ResourceRequest
    from cmdb.services.request_list import EvaluationSummary

LIST_COLUMNS = (
    Column("id", 4, right=True),
    Column("name", 36),
    Column("agency", 16),
    Column("status", 9),
    Column("go-live", 10),
    Column("last verdict", 16),
)


def read_document(file: str) -> Any:
    """A request document from FILE: JSON when it ends in ``.json``, else YAML (``-``: stdin).

    YAML is read for every other name because it also reads JSON.
    """
    try:
        with click.open_file(file, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror or exc}") from exc
    as_json = Path(file).suffix.lower() == ".json"
    try:
        return json.loads(text) if as_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if as_json else "YAML"
        raise click.ClickException(f"{file}: not valid {kind}: {exc}") from exc


@click.group("request", cls=AppGroup)
def request_group() -> None:
    """Resource requests: can the data centre host them?"""


@request_group.command("evaluate")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--save", is_flag=True, help="Store the request and its evaluation.")
@AS_USER
def evaluate(file: str, fmt: str, save: bool, as_user: str | None) -> None:
    """Evaluate the request in FILE (YAML or JSON; - reads stdin).

    Prints the verdict (HOST, HOST UNTIL a date, CANNOT HOST), the placement, the
    resources and failing links, and the expansion with its cost. Stores nothing
    unless --save. Exits 1 only on bad input, with a message per field.
    """
    from capacity import request_actions
    from web.api.presenters import present_evaluation
    from web.api.schemas.evaluation import StoredEvaluationSchema
    from web.cli.evaluation_text import format_evaluation
    from web.today import configured_today

    document = read_document(file)
    today = configured_today()
    with cli_unit("request-evaluate", as_user) as unit:
        if save:
            filed = request_actions.file_request(unit, document, today=today, evaluate=True)
            assert filed.evaluation is not None  # asked for
            result = StoredEvaluationSchema().dump(present_evaluation(filed.evaluation))
        else:
            evaluation = request_actions.evaluate_document(unit, document, today=today)
            result = evaluation.to_dict()
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_evaluation(result))
    if save:
        click.echo(f"stored as request {result['request_id']} (evaluated)", err=True)


@request_group.command("approve")
@click.argument("request_id", metavar="ID", type=int)
@click.option(
    "--accept-until", is_flag=True, help="Approve a HOST UNTIL verdict too, not only HOST."
)
@AS_USER
def approve(request_id: int, accept_until: bool, as_user: str | None) -> None:
    """Approve request ID: re-evaluate it and reserve its capacity, atomically.

    Exits 1 when it no longer fits (another approval may have taken the capacity).
    """
    from capacity import request_actions
    from web.cli.evaluation_text import verdict_words
    from web.today import configured_today

    with cli_unit("request-approve", as_user) as unit:
        stored = request_actions.approve_request(
            unit, request_id, today=configured_today(), accept_until=accept_until
        )
        verdict = verdict_words(stored.result)
    click.echo(f"request {request_id} approved: {verdict}")


@request_group.command("reject")
@click.argument("request_id", metavar="ID", type=int)
@click.option("--reason", required=True, help="Why: the project team reads it.")
@AS_USER
def reject(request_id: int, reason: str, as_user: str | None) -> None:
    """Reject request ID with a reason; nothing is reserved. Exits 1 once it is decided."""
    from capacity import request_actions

    with cli_unit("request-reject", as_user) as unit:
        request_actions.reject_request(unit, request_id, reason)
    click.echo(f"request {request_id} rejected")


@request_group.command("list")
@click.option(
    "--status", type=click.Choice([s.value for s in RequestStatus]), help="Only this status."
)
def list_requests(status: str | None) -> None:
    """Every request: id, name, agency, status, go-live and its last verdict."""
    from cmdb.db import transaction
    from cmdb.services.request_list import load_latest_evaluations, load_requests
    from web.db import get_db

    with transaction(get_db().sessions) as session:
        total, rows = load_requests(session, status=RequestStatus(status) if status else None)
        latest = load_latest_evaluations(session, [r.id for r in rows])
        cells = [_list_cells(r, latest.get(r.id)) for r in rows]
    click.echo(format_table(LIST_COLUMNS, cells))
    click.echo(f"{total} request(s)")


def _list_cells(req: ResourceRequest, latest: EvaluationSummary | None) -> list[str]:
    agency = (req.agency.short_name or req.agency.name) if req.agency else "—"
    return [
        str(req.id),
        req.name,
        agency,
        req.status.value,
        req.go_live.isoformat(),
        _short_verdict(latest),
    ]


def _short_verdict(latest: EvaluationSummary | None) -> str:
    if latest is None:
        return "—"
    if latest.verdict == Verdict.HOST_UNTIL and latest.until is not None:
        return f"UNTIL {latest.until.isoformat()}"
    return latest.verdict.value.replace("_", " ").upper()
