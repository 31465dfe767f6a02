"""failed log-ins and the user's session epoch

``login_failure``: each wrong password (or unknown user) with the client's
address and time, so the log-in throttle counts across every worker and server.
``user.session_epoch``: raised by logging out or a new password; a UI session
carries the epoch it began in and is refused once the user's has moved on
(issue 18). NetBox runs stored before URLs with credentials were refused lose them:
``user:password@`` and any query are taken out of their target, parameters and error.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:50:00
"""

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_IN_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")
QUERY_IN_URL = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s?#]*)[?#][^\s:]*")
RUN = sa.table(
    "discovery_run",
    sa.column("id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("target", sa.String),
    sa.column("error", sa.Text),
    sa.column("parameters", sa.JSON),
)


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    for column in ("username", "address", "at"):
        op.create_index(op.f(f"ix_login_failure_{column}"), "login_failure", [column])
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )
    _scrub_netbox_runs()


def _scrub_netbox_runs() -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(RUN).where(RUN.c.source == "netbox")).mappings():
        parameters = dict(row["parameters"] or {})
        if isinstance(parameters.get("url"), str):
            parameters["url"] = _bare_url(parameters["url"])
        clean = {
            "target": _bare_url(row["target"]) if row["target"] else row["target"],
            "error": _bare_urls_in(row["error"]) if row["error"] else row["error"],
            "parameters": parameters if row["parameters"] is not None else None,
        }
        if any(clean[k] != row[k] for k in clean):
            bind.execute(sa.update(RUN).where(RUN.c.id == row["id"]).values(**clean))


def _bare_urls_in(text: str) -> str:
    return QUERY_IN_URL.sub(r"\1", USER_IN_URL.sub(r"\1", text))


def _bare_url(url: str) -> Any:
    """The URL without user, password, query or fragment (not a URL: only the user out)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        netloc = f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return USER_IN_URL.sub(r"\1", url)
    if not parts.scheme:
        return USER_IN_URL.sub(r"\1", url)
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
    for column in ("username", "address", "at"):
        op.drop_index(op.f(f"ix_login_failure_{column}"), table_name="login_failure")
    op.drop_table("login_failure")
