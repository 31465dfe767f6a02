"""The security headers of every answer (pages, JSON, static files), and the proxies trusted.

The policy allows only what the app itself serves: its scripts are files under
``/static`` (no inline script, no ``eval``), so an injected ``<script>`` never
runs. Inline *styles* stay allowed: the templates set widths of bars with
``style=`` and plotly.js styles its charts from script.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",  # Bootstrap's icons are data: SVGs; plotly's PNG export
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",  # no other site frames a page (clickjacking)
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",  # query strings (searches, ids) stay on the site
}
HSTS = "max-age=31536000"


def add_security_headers(response: Response, tls: bool) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if tls:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    tls = bool(app.config.get("CMDB_TLS"))
    app.after_request(lambda response: add_security_headers(response, tls))
    hops = int(app.config.get("CMDB_PROXY_HOPS") or 0)
    if hops:  # the client's address and scheme as the proxies saw them, not the proxy's
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
