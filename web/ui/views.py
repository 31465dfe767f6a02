"""Minimal pages; replaced by the full UI in a later issue."""

from __future__ import annotations

from flask import render_template_string

from web.ui import bp


@bp.get("/")
def overview() -> str:
    return render_template_string("<h1>Headroom</h1>")
