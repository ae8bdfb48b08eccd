"""Who sees the statistics; who imports (SPEC §12, §13)."""

from accounts.roles import Role

VIEW_STATISTICS = "reports.view_statistics"

IMPORT_BULK = "reports.import_bulk"

# Who holds them (the role matrix, accounts.matrix).
GRANTS: dict[str, list[str]] = {
    Role.ARCHIVIST: [
        IMPORT_BULK,
        "reports.view_monthlyreport",
        VIEW_STATISTICS,
    ],
    Role.ARCHIVE_HEAD: [
        "reports.view_monthlyreport",
        VIEW_STATISTICS,
    ],
    Role.CS_SUPERVISOR: [
        IMPORT_BULK,
    ],
    Role.EXECUTIVE: [
        "reports.view_monthlyreport",
        VIEW_STATISTICS,
    ],
    Role.AUDITOR: [
        "reports.view_monthlyreport",
        VIEW_STATISTICS,
    ],
    Role.ADMIN: [
        IMPORT_BULK,
    ],
}
