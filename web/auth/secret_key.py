"""The key that signs UI sessions: configured, or generated once and kept in the data directory.

A fixed default key would let anyone who read the source forge a session of any
user, so there is none. Without ``CMDB_SECRET_KEY`` the first start writes a
random key to ``<CMDB_DATA_DIR>/secret_key`` (mode 0600) and says so on stderr;
every later start, and every process sharing that directory, reads the same one.
Several machines serving the app need the same key: set ``CMDB_SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from cmdb.errors import CmdbError

# The key every earlier version used when none was set: sessions signed with it are
# forgeries now, and nobody may configure it.
PUBLISHED_KEY = "dev-only-change-me"
KEY_FILE = "secret_key"


class SecretKeyError(CmdbError):
    """No usable key: the message says what to set."""


def ensure_secret_key(config: dict[str, Any]) -> None:
    """Set ``SECRET_KEY`` in the app's config from the setting or the kept file."""
    configured = config.get("SECRET_KEY")
    if configured == PUBLISHED_KEY:
        raise SecretKeyError(
            "CMDB_SECRET_KEY is the development key published with Headroom's source: "
            "set a random one (python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    if not configured:
        config["SECRET_KEY"] = kept_key(Path(config["CMDB_DATA_DIR"]))


def kept_key(data_dir: Path) -> str:
    """The key kept in ``data_dir``, written there first if there is none yet.

    Written to a private temporary file and then linked into place, so two
    processes starting at once agree on one key and neither reads half of one.
    """
    path = data_dir / KEY_FILE
    try:
        if path.exists():
            return _read(path)
        created = _write_once(data_dir, path)
        key = _read(path)
    except OSError as exc:
        raise SecretKeyError(
            f"no CMDB_SECRET_KEY, and cannot keep a generated one in {path}: {exc.strerror}; "
            "set CMDB_SECRET_KEY"
        ) from exc
    if created:
        print(
            f"headroom: no CMDB_SECRET_KEY set: generated one into {path.resolve()} (mode 0600), "
            "used from now on; set CMDB_SECRET_KEY when several machines serve Headroom",
            file=sys.stderr,
        )
    return key


def _write_once(data_dir: Path, path: Path) -> bool:
    """Write a new key to ``path`` unless one is there; whether this call wrote it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    temporary = data_dir / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as stream:
        stream.write(secrets.token_hex(32) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False  # another process was first: its key is the one
    finally:
        temporary.unlink()
    return True


def _read(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise SecretKeyError(
            f"{path} is empty: delete it to generate a key, or set CMDB_SECRET_KEY"
        )
    return key
