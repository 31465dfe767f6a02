"""Passwords made by the tests are hashed with a smaller scrypt work factor.

Production hashes with scrypt at n = 2**14 (``cmdb.services.users``): about 70 ms of
CPU a hash, on purpose. The quick tier hashes about 180 passwords (users made by
fixtures, logins, the throttle's wrong tries), about 13 s of its ~160. A stored hash
names its own parameters and checking reads them from it, so with n = 2**10 every
code path is production's and only the work per hash (~4 ms) differs. Tests about the
cost itself — an unknown username must cost a hash too — ask for the production factor
with the ``production_hash_cost`` fixture. Processes the tests start (a served app, a
``cmdb`` command) are not touched: they hash at production cost.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cmdb.services import users

PRODUCTION_N = users.SCRYPT_N
TEST_N = 2**10


def set_work_factor(n: int) -> None:
    users.SCRYPT_N = n
    users._dummy_hash.cache_clear()  # an unknown user's hash is made with today's factor


def pytest_configure(config: pytest.Config) -> None:
    set_work_factor(TEST_N)


@pytest.fixture
def production_hash_cost() -> Iterator[None]:
    """Hashes made during the test cost what they cost in production."""
    set_work_factor(PRODUCTION_N)
    try:
        yield
    finally:
        set_work_factor(TEST_N)
