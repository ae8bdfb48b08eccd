"""Permission names of retention, destruction, incidents and the checks."""

from accounts.roles import Role

ORGANISE_APPRAISAL = "retention.organise_appraisal"
APPROVE_DESTRUCTION = "retention.approve_destruction"
EXECUTE_DESTRUCTION = "retention.execute_destruction"
PLACE_HOLD = "retention.add_hold"
RELEASE_HOLD = "retention.change_hold"
VIEW_HOLDS = "retention.view_hold"
VIEW_APPRAISALS = "retention.view_appraisal"
RUN_CHECKS = "retention.run_checks"
VIEW_CHECKS = "retention.view_checkrun"
OPEN_INCIDENT = "retention.add_incident"
HANDLE_INCIDENT = "retention.change_incident"
VIEW_INCIDENTS = "retention.view_incident"
# Complaints about the archive's own work: everyone may make one; the heads
# of archives follow them to closure; the auditor reads them.
REPORT_COMPLAINT = "retention.add_complaint"
HANDLE_COMPLAINT = "retention.change_complaint"
VIEW_COMPLAINTS = "retention.view_complaint"

# Who holds them (the role matrix, accounts.matrix).
GRANTS: dict[str, list[str]] = {
    Role.ARCHIVIST: [
        REPORT_COMPLAINT,
        OPEN_INCIDENT,
        HANDLE_INCIDENT,
        EXECUTE_DESTRUCTION,
        RUN_CHECKS,
        VIEW_APPRAISALS,
        VIEW_CHECKS,
        VIEW_HOLDS,
        VIEW_INCIDENTS,
    ],
    Role.ARCHIVE_HEAD: [
        REPORT_COMPLAINT,
        HANDLE_COMPLAINT,
        VIEW_COMPLAINTS,
        PLACE_HOLD,
        OPEN_INCIDENT,
        RELEASE_HOLD,
        HANDLE_INCIDENT,
        EXECUTE_DESTRUCTION,
        ORGANISE_APPRAISAL,
        RUN_CHECKS,
        VIEW_APPRAISALS,
        VIEW_CHECKS,
        VIEW_HOLDS,
        VIEW_INCIDENTS,
    ],
    Role.CS_SUPERVISOR: [
        REPORT_COMPLAINT,
        VIEW_CHECKS,
    ],
    Role.CS_STAFF: [REPORT_COMPLAINT],
    Role.DEPT_HEAD: [REPORT_COMPLAINT],
    Role.FRONT_DESK: [REPORT_COMPLAINT],
    Role.EXECUTIVE: [
        REPORT_COMPLAINT,
        APPROVE_DESTRUCTION,
        VIEW_APPRAISALS,
    ],
    Role.AUDITOR: [
        VIEW_COMPLAINTS,
        VIEW_APPRAISALS,
        VIEW_CHECKS,
        VIEW_HOLDS,
        VIEW_INCIDENTS,
    ],
    Role.ADMIN: [
        "retention.add_facilityitem",
        "retention.change_facilityitem",
        "retention.change_retentionrule",
        "retention.view_facilityitem",
        "retention.view_retentionrule",
    ],
}
