"""``cmdb serve`` will not start with a session key anyone can know (issue 18): the old
published development key, or none when none can be kept; it says why, without a
traceback."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli_db import run_cmdb


def test_serve_refuses_the_published_development_key(tmp_path: Path) -> None:
    env = {
        "CMDB_DATABASE_URL": f"sqlite:///{tmp_path / 'any.db'}",
        "CMDB_SECRET_KEY": "dev-only-change-me",
    }
    result = run_cmdb("serve", "--port", "5998", env=env, timeout=60)
    assert result.returncode == 1
    assert "published with Headroom's source" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_key_it_cannot_keep_says_to_set_one(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    env = {
        "CMDB_DATABASE_URL": f"sqlite:///{tmp_path / 'any.db'}",
        "CMDB_DATA_DIR": str(blocked / "data"),
        "CMDB_SECRET_KEY": "",
    }
    result = run_cmdb("serve", "--port", "5998", env=env, timeout=60)
    assert result.returncode == 1
    assert "set CMDB_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
