"""Bodies for the generated write tests: a copy of a stored record, renamed where it must be.

Every writable resource is exercised from the demo itself: the body of a create
is an existing record's writable fields, with the members of each unique group
that are text given a new suffix, so it is valid and free of conflicts without a
hand-written example per resource.
"""

from __future__ import annotations

import enum
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from cmdb.models import ChangeLog
from cmdb.services.integrity import unique_groups
from tests.integration.api.conftest import DEMO_TODAY
from web import create_app
from web.api.resource import Resource
from web.api.resources import RESOURCES
from web.db import get_db

WRITABLE = tuple(r for r in RESOURCES if r.write is not None)


def as_json(value: Any) -> Any:
    if isinstance(value, date):  # a JSON body carries a day as YYYY-MM-DD
        return value.isoformat()
    return value.value if isinstance(value, enum.Enum) else value


def first_row(session: Session, resource: Resource) -> Any:
    row = session.scalars(sa.select(resource.model).order_by(resource.model.id)).first()
    assert row is not None, f"the demo has no {resource.path}"
    return row


def copy_body(row: Any, resource: Resource) -> dict[str, Any]:
    """The writable fields of ``row``, as a create body (empty values left out)."""
    assert resource.write is not None
    names = resource.write().fields
    values = {name: as_json(getattr(row, name)) for name in names}
    return {k: v for k, v in values.items() if v is not None}


def unique_text_fields(resource: Resource) -> set[str]:
    """The text members of the resource's unique groups: what a copy must change."""
    table = resource.model.__table__
    return {
        name
        for group in unique_groups(resource.model)
        for name in group
        if isinstance(table.columns[name].type, sa.String)
    }


def renamed(body: dict[str, Any], resource: Resource, suffix: str | None = None) -> dict[str, Any]:
    """``body`` with every unique text field made new (within its column's length)."""
    suffix = suffix or uuid.uuid4().hex[:6]
    table = resource.model.__table__
    out = dict(body)
    for name in unique_text_fields(resource):
        length = table.columns[name].type.length or 200
        out[name] = f"{str(body.get(name) or name)[: length - len(suffix) - 1]}-{suffix}"
    return out


def new_body(app: Flask, resource: Resource) -> dict[str, Any]:
    """A valid create body for ``resource`` on the app's database."""
    with app.app_context(), get_db().sessions() as session:
        return renamed(copy_body(first_row(session, resource), resource), resource)


def row_counts(app: Flask, resource: Resource) -> tuple[int, int]:
    """Rows of the resource's table and of the change log."""
    with app.app_context(), get_db().sessions() as session:
        count = sa.select(sa.func.count()).select_from
        return (
            session.scalar(count(resource.model)) or 0,
            session.scalar(count(ChangeLog)) or 0,
        )


@contextmanager
def unchanged(app: Flask, resource: Resource) -> Iterator[None]:
    """Assert that the block writes nothing: no row, no change-log entry."""
    before = row_counts(app, resource)
    yield
    assert row_counts(app, resource) == before


@contextmanager
def demo_copy_app(demo_db_file: Path, directory: Path) -> Iterator[Flask]:
    """An app on a copy of the demo that a whole module shares.

    Its tests write only records they create, so one copy serves them all.
    """
    path = directory / "demo-copy.db"
    shutil.copyfile(demo_db_file, path)
    config = {"TESTING": True, "CMDB_DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "test"}
    app = create_app({**config, "CMDB_TODAY": DEMO_TODAY})
    yield app
    with app.app_context():
        get_db().engine.dispose()
    path.unlink()
