"""CSV/JSON import of admin units, agencies and sites: every row valid, or nothing written.

The one entry point the CLI (and later the API) uses. A file is read into labelled
rows (``import_rows``), every row is checked against the file itself and the
database, and only when all rows are good are records created or updated (upsert
by admin-unit code / site slug), with a change-log entry per change and a record
source per row. Importing the same file twice changes nothing the second time.
Like every service it never commits: the caller does, or rolls back (``--dry-run``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from cmdb.choices import Source
from cmdb.errors import ValidationError
from cmdb.services.import_admin_units import COLUMNS as ADMIN_UNIT_COLUMNS
from cmdb.services.import_admin_units import import_admin_units
from cmdb.services.import_agencies import COLUMNS as AGENCY_COLUMNS
from cmdb.services.import_agencies import import_agencies
from cmdb.services.import_rows import (
    FILE_LABEL,
    Format,
    ImportResult,
    Row,
    Table,
    format_of,
    parse_table,
)
from cmdb.services.import_sites import COLUMNS as SITE_COLUMNS
from cmdb.services.import_sites import import_sites

__all__ = [
    "ADMIN_UNIT_COLUMNS",
    "AGENCY_COLUMNS",
    "SITE_COLUMNS",
    "Format",
    "ImportKind",
    "ImportResult",
    "Row",
    "Table",
    "import_admin_units",
    "import_agencies",
    "import_file",
    "import_sites",
    "import_text",
    "parse_table",
]


class ImportKind(StrEnum):
    ADMIN_UNITS = "admin-units"
    AGENCIES = "agencies"
    SITES = "sites"


_IMPORTERS: dict[ImportKind, Callable[..., ImportResult]] = {
    ImportKind.ADMIN_UNITS: import_admin_units,
    ImportKind.AGENCIES: import_agencies,
    ImportKind.SITES: import_sites,
}


def import_text(
    session: Session,
    kind: ImportKind,
    text: str,
    fmt: Format,
    *,
    actor: str = "import",
    source: Source = Source.MANUAL,
) -> ImportResult:
    """Import a file's text; raises ``ValidationError`` (nothing written) on any bad row."""
    return _IMPORTERS[kind](session, parse_table(text, fmt), actor=actor, source=source)


def import_file(
    session: Session,
    kind: ImportKind,
    path: Path,
    fmt: str | None = None,
    *,
    actor: str = "import",
) -> ImportResult:
    """Import a file; its format is ``fmt`` or its suffix. UTF-8, with or without a BOM."""
    chosen = format_of(path, fmt)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({FILE_LABEL: [f"not UTF-8 text: {exc}"]}) from None
    return import_text(session, kind, text, chosen, actor=actor)
