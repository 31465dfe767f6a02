"""Why a request's evaluation, approval or rejection was refused, in the user's language.

The actions raise ``DecisionRefusedError`` with an English message (what the API and
the CLI show) and a reason code with its values; a page says the same in the
language it is rendered in, instead of the internal text.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from cmdb.errors import CmdbError, DecisionRefusedError, ValidationError
from web.ui.formatting import format_day
from web.ui.labels import REQUEST_STATUS
from web.ui.request_view import resource_label

STEPS = {
    "evaluated": lambda: _("evaluated again"),
    "approved": lambda: _("approved"),
    "rejected": lambda: _("rejected"),
}


def explain_refusal(error: CmdbError) -> str:
    """The refusal in the page's language; the English message for anything unforeseen."""
    if isinstance(error, ValidationError):
        return _(
            "The request names records that are no longer in the inventory (%(fields)s): "
            "edit it, then evaluate it again.",
            fields=", ".join(error.errors) or "—",
        )
    if not isinstance(error, DecisionRefusedError):
        return str(error)
    params = error.params
    if error.reason == "status":
        status = REQUEST_STATUS.get(params["status"], params["status"])
        step = STEPS.get(params["step"], lambda: params["step"])()
        return _(
            "The request is %(status)s: it can no longer be %(step)s.", status=status, step=step
        )
    where = _shortfall(params)
    if error.reason == "cannot_host":
        return _(
            "It cannot be approved: against today's inventory the verdict is CANNOT HOST%(where)s.",
            where=where,
        )
    if error.reason == "host_until":
        return _(
            "It cannot be approved as it is: the verdict is HOST UNTIL%(where)s. Tick "
            "“Accept a HOST UNTIL verdict” to approve it anyway.",
            where=where,
        )
    return str(error)


def _shortfall(params: dict[str, str]) -> str:
    """ " (PROD-CL01 · RAM short from 1/3/2028)", or nothing when no resource is named."""
    if not params.get("resource"):
        return ""
    what = (
        resource_label({"kind": params["kind"], "name": params["name"]})
        if params.get("kind")
        else params["resource"]
    )
    when = format_day(date.fromisoformat(params["date"])) if params.get("date") else "—"
    return _(" (%(resource)s short from %(date)s)", resource=what, date=when)
