"""Permission names of viewing and lending, and who may file requests."""

HANDLE = "lending.handle_accessrequest"
VIEW_ALL_REQUESTS = "lending.view_accessrequest"
VIEW_REGISTERS = "lending.view_registers"
CLEAR_DEPARTURE = "lending.clear_departure"
REGISTER_OWNERS = "lending.add_ownerrequest"
VIEW_OWNERS = "lending.view_ownerrequest"
APPROVE_OWNERS = "lending.approve_ownerrequest"
SERVE_OWNERS = "lending.serve_ownerrequest"
REVEAL_OWNERS = "lending.reveal_ownerrequest"

# Who may ask to view or borrow: the roles that use records for their work;
# owners do not log in, and front desk, auditors and administrators do not
# read records (SPEC §1).
REQUEST = "lending.add_accessrequest"
# Who stands in approval chains (the chain itself says which step is whose).
SIGN = "lending.sign_accessrequest"
DECIDE_EXTENSIONS = "lending.decide_extension"
