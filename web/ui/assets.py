"""plotly.js, served from the ``plotly`` Python package rather than committed.

The DC network may have no Internet, so nothing may load from a CDN; the Python
package already ships the matching plotly.min.js. The version in the URL lets
browsers cache it safely across upgrades.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from flask import Flask, Response, send_file, url_for

from web.ui import bp


@cache
def plotly_js_path() -> Path:
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


@cache
def plotly_version() -> str:
    return version("plotly")


@bp.get("/vendor/plotly.min.js")
def plotly_js() -> Response:
    return send_file(plotly_js_path(), mimetype="text/javascript", conditional=True)


def plotly_js_url() -> str:
    return url_for("ui.plotly_js", v=plotly_version())


def init_app(app: Flask) -> None:
    app.add_template_global(plotly_js_url)
