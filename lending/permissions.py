"""Permission names of viewing and lending, and who may file requests."""

from accounts.roles import Role
from accounts.roles import user_roles

HANDLE = "lending.handle_accessrequest"
VIEW_ALL_REQUESTS = "lending.view_accessrequest"
VIEW_REGISTERS = "lending.view_registers"
CLEAR_DEPARTURE = "lending.clear_departure"
REGISTER_OWNERS = "lending.add_ownerrequest"
VIEW_OWNERS = "lending.view_ownerrequest"
APPROVE_OWNERS = "lending.approve_ownerrequest"
SERVE_OWNERS = "lending.serve_ownerrequest"

# Owners do not log in; the front desk, auditors and administrators do not
# use records for their own work (SPEC §1).
NON_READERS = {Role.ADMIN, Role.AUDITOR, Role.FRONT_DESK}


def can_request(user) -> bool:
    roles = user_roles(user)
    return bool(roles - NON_READERS)
