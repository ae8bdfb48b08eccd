"""Permission names of the audit log, and who holds them."""

READ_LOG = "audit.view_auditentry"
READ_WHOLE_LOG = "audit.view_whole_log"

# Who holds them (the role matrix, accounts.matrix). Audit sits below
# accounts, so the roles are named by their names here.
GRANTS: dict[str, list[str]] = {
    "archive_head": [
        READ_LOG,
    ],
    "auditor": [
        READ_LOG,
        READ_WHOLE_LOG,
    ],
    "security_auditor": [
        READ_LOG,
        READ_WHOLE_LOG,
    ],
}
