"""The roles and visibility rules declared once (``cmdb.actions.policy``), and no interface
declaring its own: the API, the UI and the CLI disagreed when each kept a copy (issue 18)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cmdb.actions.caller import Caller
from cmdb.actions.policy import GRANTS, Permission, may, may_act_for_agency, may_act_on
from cmdb.choices import Role
from cmdb.models import ResourceRequest, User

ROOT = Path(__file__).resolve().parents[3]


def user(role: Role, agency_id: int | None = None) -> User:
    return User(id=1, username=f"u-{role.value}", role=role, agency_id=agency_id)


@pytest.mark.parametrize("permission", list(Permission))
def test_an_admin_holds_every_permission_and_a_viewer_none(permission: Permission) -> None:
    assert may(user(Role.ADMIN), permission)
    assert not may(user(Role.VIEWER), permission)
    assert not may(None, permission)


def test_every_permission_is_granted_somewhere_or_is_the_admins() -> None:
    assert set(GRANTS) == set(Permission)
    assert GRANTS[Permission.ADMINISTER] == frozenset()


def test_a_requester_files_only_with_an_agency_and_only_for_it() -> None:
    own, lost = user(Role.REQUESTER, agency_id=7), user(Role.REQUESTER)
    assert may(own, Permission.FILE_REQUEST) and not may(lost, Permission.FILE_REQUEST)
    assert not may(own, Permission.DECIDE_REQUEST)
    assert may_act_for_agency(own, 7) and not may_act_for_agency(own, 8)
    assert may_act_for_agency(user(Role.PLANNER), 8)
    assert may_act_on(own, ResourceRequest(agency_id=7), Permission.FILE_REQUEST)
    assert not may_act_on(own, ResourceRequest(agency_id=8), Permission.FILE_REQUEST)


def test_the_console_operator_holds_everything_and_names_no_user() -> None:
    operator = Caller(None, "cli:root", "cli-x", operator=True)
    assert all(operator.may(p) for p in Permission)
    assert operator.sees(ResourceRequest(agency_id=8))
    context = operator.change_context()
    assert (context.actor, context.user_id, context.correlation_id) == ("cli:root", None, "cli-x")


ROLE_SET = re.compile(r"frozenset\(\{\s*Role\.|\.role (is|in|not in|is not) ")


def test_no_interface_declares_roles_of_its_own() -> None:
    """web/ and capacity/ ask the policy; a role named there would be a second copy."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for package in ("web", "capacity")
        for path in sorted((ROOT / package).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_SET.search(line)
    ]
    assert found == []
