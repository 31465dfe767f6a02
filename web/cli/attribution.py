"""Who the change log names for a command typed at the console, and its unit of work.

A person runs the CLI on the server under their own account; the log names
that account (``cli:<login>``), and every change one command writes shares a
correlation id, as the changes of one API request do.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the database is imported by the command that opens one, not by --help
    from sqlalchemy.orm import Session


def cli_actor() -> str:
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        login = "unknown"
    return f"cli:{login}"


@contextmanager
def cli_transaction(command: str) -> Iterator[Session]:
    """A session committed when the command's block ends, its changes attributed."""
    from cmdb.db import transaction
    from cmdb.services.provenance import ChangeContext, attribute_changes
    from web.db import get_db

    with transaction(get_db().sessions) as session:
        context = ChangeContext(cli_actor(), None, f"cli-{command}-{uuid.uuid4().hex[:12]}")
        attribute_changes(session, context)
        yield session
