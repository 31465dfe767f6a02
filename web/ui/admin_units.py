"""``/admin-units/``: the administrative tree down to communes, with sites and links."""

from __future__ import annotations

from flask import abort, render_template

from cmdb.services.admin_tree import get_unit_path, load_admin_tree
from web.db import get_session
from web.ui import bp

#: Levels of the tree shown open; deeper units start collapsed. Two levels show
#: every commune both before (province → district → commune) and after the reform.
OPEN_DEPTH = 2


@bp.get("/admin-units/")
def admin_units() -> str:
    roots = load_admin_tree(get_session())
    return render_template("admin_units/tree.html", roots=roots, path=[], open_depth=OPEN_DEPTH)


@bp.get("/admin-units/<code>")
def admin_unit(code: str) -> str:
    session = get_session()
    path = get_unit_path(session, code)
    if not path:
        abort(404)
    roots = load_admin_tree(session, root_id=path[-1].id)
    return render_template(
        "admin_units/tree.html", roots=roots, path=path, open_depth=OPEN_DEPTH + 1
    )
