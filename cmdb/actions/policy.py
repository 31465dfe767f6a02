"""Who may do what: the roles of every write and the visibility of requests, declared once.

The API's route table names a ``Permission`` per write route, the UI's pages and
buttons ask ``may``, the CLI acting as a user asks the same, and the actions refuse
with ``ForbiddenError`` (403) whatever called them. Admins may do everything; a
permission not granted to any other role is an admin's alone.
"""

from __future__ import annotations

from enum import StrEnum

from cmdb.choices import Role
from cmdb.models import ResourceRequest, User
from cmdb.services.request_visibility import is_agency_bound, may_see_request


class Permission(StrEnum):
    FILE_REQUEST = "file_request"  # create, evaluate, revise, withdraw (a requester: own agency)
    DECIDE_REQUEST = "decide_request"  # approve (reserve) or reject
    EDIT_INVENTORY = "edit_inventory"
    KEEP_AGENCIES = "keep_agencies"  # who owns what, which requests name
    KEEP_CATALOGUE = "keep_catalogue"  # the expansion catalogue's prices
    KEEP_ADMIN_TREE = "keep_admin_tree"  # the administrative units a request targets
    KEEP_CAPACITY_SETTINGS = "keep_capacity_settings"  # each network's DC-uplink rule
    INGEST_SAMPLES = "ingest_samples"  # a collector has an engineer's token of its own
    ACKNOWLEDGE_DISCREPANCY = "acknowledge_discrepancy"
    POST_FACTS = "post_facts"
    RUN_DISCOVERY = "run_discovery"
    ADMINISTER = "administer"  # users and tokens


GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.FILE_REQUEST: frozenset({Role.REQUESTER, Role.PLANNER}),
    Permission.DECIDE_REQUEST: frozenset({Role.PLANNER}),
    Permission.EDIT_INVENTORY: frozenset({Role.ENGINEER}),
    Permission.KEEP_AGENCIES: frozenset({Role.PLANNER}),
    Permission.KEEP_CATALOGUE: frozenset({Role.PLANNER}),
    Permission.KEEP_ADMIN_TREE: frozenset({Role.PLANNER}),
    Permission.KEEP_CAPACITY_SETTINGS: frozenset({Role.PLANNER}),
    Permission.INGEST_SAMPLES: frozenset({Role.ENGINEER}),
    Permission.ACKNOWLEDGE_DISCREPANCY: frozenset({Role.ENGINEER}),
    Permission.POST_FACTS: frozenset({Role.ENGINEER}),
    Permission.RUN_DISCOVERY: frozenset({Role.ENGINEER}),
    Permission.ADMINISTER: frozenset(),
}


def roles_with(permission: Permission) -> frozenset[Role]:
    """Every role that holds ``permission``, admin included."""
    return GRANTS[permission] | {Role.ADMIN}


def may(user: User | None, permission: Permission) -> bool:
    """Whether ``user`` holds ``permission``. A requester files only for an agency: one
    without an agency holds no request permission (there is nothing it could file for)."""
    if user is None or user.role not in roles_with(permission):
        return False
    return not (is_agency_bound(user) and user.agency_id is None)


def may_act_on(user: User | None, req: ResourceRequest, permission: Permission) -> bool:
    """``may``, and the request is one the user sees (a requester: their agency's)."""
    return may(user, permission) and may_see_request(user, req)


def may_act_for_agency(user: User | None, agency_id: int | None) -> bool:
    """Whether ``user`` may file or move a request for ``agency_id`` (a requester: their own)."""
    return not is_agency_bound(user) or (user is not None and agency_id == user.agency_id)


OTHER_AGENCY = "a requester may only act on their own agency's requests"
