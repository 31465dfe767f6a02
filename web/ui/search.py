"""``/search/?q=``: every kind of record at once, grouped by kind (``cmdb.services.search``)."""

from __future__ import annotations

from flask import render_template, request

from cmdb.services.search import MAX_QUERY, search_all
from web.db import get_session
from web.ui import bp
from web.ui.catalog import LIST_PAGES

#: Each kind's list page, which titles its group and shows all of its matches.
LISTS = {page.key: page for page in LIST_PAGES}


@bp.get("/search/")
def search() -> str:
    text = request.args.get("q", "").strip()[:MAX_QUERY]
    found = search_all(get_session(), text) if text else []
    return render_template("search.html", q=text, found=found, lists=LISTS)
