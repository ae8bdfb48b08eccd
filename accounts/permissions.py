"""Permission names of accounts and roles, and who holds them."""

from accounts.roles import Role

ASSIGN_ROLES = "accounts.assign_roles"
REVOKE_ANY = "accounts.revoke_apitoken"
CHANGE_USERS = "accounts.change_user"

CHANGE_NOTICES = "accounts.change_noticetext"

# Who holds them (the role matrix, accounts.matrix).
GRANTS: dict[str, list[str]] = {
    # The head of archives words the archive's notices (issue 19, item 12).
    Role.ARCHIVE_HEAD: [CHANGE_NOTICES, "accounts.view_noticetext"],
    Role.ADMIN: [
        "accounts.add_department",
        "accounts.add_user",
        "accounts.change_department",
        CHANGE_USERS,
        "accounts.view_department",
        "accounts.view_user",
        "auth.view_group",
    ],
    Role.SECURITY_ADMIN: [
        ASSIGN_ROLES,
        REVOKE_ANY,
        "accounts.view_apitoken",
        "accounts.view_department",
        "accounts.view_user",
        "auth.view_group",
        # A lost phone: the person's authenticator removed (accounts.twofactor).
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
    ],
}
