"""``/admin-units/``: the administrative tree down to communes, with sites and links
(each with how full it was on its last measured day).

``?as_of=YYYY-MM-DD`` shows the tree as it stood that day (units in force, each
site where it stood); without it, today's. A unit page for a code that is not in
force today (a commune dissolved by a reform) redirects to its last day, so old
links and bookmarks keep working.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from capacity.inputs import load_link_peaks
from cmdb.services.admin_tree import get_unit_path, load_admin_tree
from cmdb.services.as_of import latest_unit_version
from web.db import get_session
from web.today import today_or_real
from web.ui import bp
from web.ui.catalog import ADMIN_UNITS
from web.ui.inventory import render_list

#: Levels of the tree shown open; deeper units start collapsed. Two levels show
#: every commune both before (province → district → commune) and after the reform.
OPEN_DEPTH = 2


def _as_of() -> tuple[date, str | None]:
    """The day asked for (default today) and the ``as_of`` argument to keep in links."""
    raw = request.args.get("as_of", "").strip()
    if not raw:
        return today_or_real(), None
    try:
        return date.fromisoformat(raw), raw
    except ValueError:
        abort(400, description=f"as_of: {raw!r} is not a date (YYYY-MM-DD)")


@bp.get("/admin-units/")
def admin_units() -> str | tuple[str, int] | Response:
    if request.args.get("view") == "list":  # the units as a list, like every other kind
        return render_list(ADMIN_UNITS)
    day, as_of = _as_of()
    session = get_session()
    roots = load_admin_tree(session, as_of=day)
    return render_template(
        "admin_units/tree.html", roots=roots, path=[], open_depth=OPEN_DEPTH, day=day,
        as_of=as_of, usage=load_link_peaks(session, None, at=today_or_real()),
    )  # fmt: skip


@bp.get("/admin-units/<code>")
def admin_unit(code: str) -> str | Response:
    session = get_session()
    day, as_of = _as_of()
    path = get_unit_path(session, code, day)
    if not path:
        unit = latest_unit_version(session, code)
        if unit is None or as_of is not None:
            abort(404)
        then = unit.valid_to - timedelta(days=1) if unit.valid_to else unit.valid_from or day
        return redirect(url_for("ui.admin_unit", code=code, as_of=then.isoformat()))
    roots = load_admin_tree(session, root_id=path[-1].id, as_of=day)
    return render_template(
        "admin_units/tree.html", roots=roots, path=path, open_depth=OPEN_DEPTH + 1, day=day,
        as_of=as_of, usage=load_link_peaks(session, None, at=today_or_real()),
    )  # fmt: skip
