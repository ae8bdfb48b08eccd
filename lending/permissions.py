"""Permission names of viewing and lending, and who may file requests."""

from accounts.roles import Role

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
# Partners under a confidentiality agreement (issue 20, item 1).
MANAGE_PARTNERS = "lending.change_partner"
VIEW_PARTNERS = "lending.view_partner"

# Who holds them (the role matrix, accounts.matrix).
GRANTS: dict[str, list[str]] = {
    Role.ARCHIVIST: [
        VIEW_PARTNERS,
        "lending.view_partneragreement",
        REQUEST,
        CLEAR_DEPARTURE,
        HANDLE,
        SERVE_OWNERS,
        SIGN,
        VIEW_ALL_REQUESTS,
        VIEW_OWNERS,
        VIEW_REGISTERS,
        "lending.view_usageevent",
    ],
    Role.ARCHIVE_HEAD: [
        "lending.add_partner",
        MANAGE_PARTNERS,
        VIEW_PARTNERS,
        "lending.add_partneragreement",
        "lending.change_partneragreement",
        "lending.view_partneragreement",
        REQUEST,
        CLEAR_DEPARTURE,
        DECIDE_EXTENSIONS,
        REVEAL_OWNERS,
        SIGN,
        VIEW_ALL_REQUESTS,
        "lending.view_approvalrule",
        VIEW_OWNERS,
        VIEW_REGISTERS,
        "lending.view_usageevent",
    ],
    Role.CS_STAFF: [
        REQUEST,
    ],
    Role.CS_SUPERVISOR: [
        REQUEST,
        APPROVE_OWNERS,
        SIGN,
        VIEW_OWNERS,
    ],
    Role.DEPT_HEAD: [
        REQUEST,
        SIGN,
    ],
    Role.EXECUTIVE: [
        REQUEST,
        SIGN,
    ],
    # People of an outside organisation ask to view what their
    # confidentiality agreement covers.
    Role.PARTNER: [
        REQUEST,
    ],
    Role.FRONT_DESK: [
        REGISTER_OWNERS,
        REVEAL_OWNERS,
        VIEW_OWNERS,
    ],
    Role.AUDITOR: [
        VIEW_PARTNERS,
        "lending.view_partneragreement",
        VIEW_ALL_REQUESTS,
        "lending.view_approvalrule",
        VIEW_OWNERS,
        VIEW_REGISTERS,
        "lending.view_usageevent",
    ],
    Role.ADMIN: [
        "lending.add_approvalrule",
        "lending.add_approvalrulestep",
        "lending.add_holiday",
        "lending.change_approvalrule",
        "lending.change_approvalrulestep",
        "lending.change_holiday",
        "lending.delete_approvalrulestep",
        "lending.delete_holiday",
        "lending.view_approvalrule",
        "lending.view_approvalrulestep",
        "lending.view_holiday",
    ],
}
