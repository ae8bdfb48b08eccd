"""The company directory's settings, from the environment (issue 21, item 5).

``ARCHIVE_LDAP_URI`` turns on login through LDAP or Active Directory
(django-auth-ldap): the person's directory password is checked by the
directory, their account is made on the first login, and at every login and
every night (``accounts.directory``) their name, e-mail, department and
roles follow the directory. Read by ``config/settings/base.py``; nothing here
touches the database.

    ARCHIVE_LDAP_URI=ldaps://ad.example.com
    ARCHIVE_LDAP_BIND_DN / ARCHIVE_LDAP_BIND_PASSWORD   a reader's account
    ARCHIVE_LDAP_USER_BASE=ou=people,dc=example,dc=com
    ARCHIVE_LDAP_USER_FILTER=(uid=%(user)s)             AD: (sAMAccountName=%(user)s)
    ARCHIVE_LDAP_GROUP_BASE=ou=groups,dc=example,dc=com
    ARCHIVE_LDAP_GROUP_TYPE=groupOfNames                or activeDirectory, posix
    ARCHIVE_LDAP_REQUIRE_GROUP=cn=archive-users,ou=groups,dc=example,dc=com
    ARCHIVE_LDAP_ROLES=archivist=cn=archivists,ou=groups,...;cs_staff=cn=...
    ARCHIVE_LDAP_DEPARTMENT_ATTR=departmentNumber       its value: a department's code
    ARCHIVE_LDAP_START_TLS=1
"""

from __future__ import annotations

from collections.abc import Mapping

# The three administrators are never made by the directory: they stand
# outside it (三员分立), log in with a local password and a second factor.
NOT_FROM_DIRECTORY = {"admin", "security_admin", "security_auditor"}


class DirectoryMisconfigured(ValueError):
    pass


def role_groups(text: str, setting: str = "ARCHIVE_LDAP_ROLES") -> dict[str, str]:
    """``role=group;role=group`` as {role: group} (a group's DN, or its name
    in the single sign-on's claim)."""
    from accounts.roles import Role

    mapping: dict[str, str] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        role, sep, dn = part.partition("=")
        role, dn = role.strip(), dn.strip()
        if not sep or not dn:
            raise DirectoryMisconfigured(f"{setting}: {part!r} is not role=group")
        if role not in Role.values:
            raise DirectoryMisconfigured(
                f"{setting}: {role!r} is not a role ({', '.join(Role.values)})"
            )
        if role in NOT_FROM_DIRECTORY:
            raise DirectoryMisconfigured(
                f"{setting}: {role!r} is one of the three administrators, "
                "who are never made by the directory"
            )
        mapping[role] = dn
    return mapping


def directory_settings(env: Mapping[str, str]) -> dict:
    """django-auth-ldap's AUTH_LDAP_* settings, and ARCHIVE_LDAP_* of ours."""
    uri = env.get("ARCHIVE_LDAP_URI", "").strip()
    if not uri:
        return {
            "ARCHIVE_LDAP_ENABLED": False,
            "ARCHIVE_LDAP_ROLES": {},
            "ARCHIVE_LDAP_DEPARTMENT_ATTR": "departmentNumber",
        }
    import ldap
    from django_auth_ldap.config import ActiveDirectoryGroupType
    from django_auth_ldap.config import GroupOfNamesType
    from django_auth_ldap.config import LDAPSearch
    from django_auth_ldap.config import PosixGroupType

    group_types = {
        "groupOfNames": GroupOfNamesType,
        "activeDirectory": ActiveDirectoryGroupType,
        "posix": PosixGroupType,
    }
    kind = env.get("ARCHIVE_LDAP_GROUP_TYPE", "groupOfNames")
    if kind not in group_types:
        raise DirectoryMisconfigured(
            f"ARCHIVE_LDAP_GROUP_TYPE: {kind!r} is not one of {', '.join(group_types)}"
        )
    for name in ("ARCHIVE_LDAP_USER_BASE", "ARCHIVE_LDAP_GROUP_BASE"):
        if not env.get(name, "").strip():
            raise DirectoryMisconfigured(f"{name} is not set (ARCHIVE_LDAP_URI is)")
    group_class = {
        "groupOfNames": "(objectClass=groupOfNames)",
        "activeDirectory": "(objectClass=group)",
        "posix": "(objectClass=posixGroup)",
    }[kind]
    found = {
        "ARCHIVE_LDAP_ENABLED": True,
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": env.get("ARCHIVE_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("ARCHIVE_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": env.get("ARCHIVE_LDAP_START_TLS", "") in ("1", "true"),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            env["ARCHIVE_LDAP_USER_BASE"],
            ldap.SCOPE_SUBTREE,
            env.get("ARCHIVE_LDAP_USER_FILTER", "(uid=%(user)s)"),
        ),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            env["ARCHIVE_LDAP_GROUP_BASE"], ldap.SCOPE_SUBTREE, group_class
        ),
        "AUTH_LDAP_GROUP_TYPE": group_types[kind](),
        "AUTH_LDAP_USER_ATTR_MAP": {
            "first_name": env.get("ARCHIVE_LDAP_FIRST_NAME_ATTR", "givenName"),
            "last_name": env.get("ARCHIVE_LDAP_LAST_NAME_ATTR", "sn"),
            "email": env.get("ARCHIVE_LDAP_EMAIL_ATTR", "mail"),
            "display_name": env.get("ARCHIVE_LDAP_NAME_ATTR", "cn"),
        },
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_FIND_GROUP_PERMS": False,
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_REFERRALS: 0,
            ldap.OPT_NETWORK_TIMEOUT: 5,
            ldap.OPT_TIMEOUT: 10,
        },
        "ARCHIVE_LDAP_ROLES": role_groups(env.get("ARCHIVE_LDAP_ROLES", "")),
        "ARCHIVE_LDAP_DEPARTMENT_ATTR": env.get(
            "ARCHIVE_LDAP_DEPARTMENT_ATTR", "departmentNumber"
        ),
    }
    if env.get("ARCHIVE_LDAP_REQUIRE_GROUP", "").strip():
        found["AUTH_LDAP_REQUIRE_GROUP"] = env["ARCHIVE_LDAP_REQUIRE_GROUP"].strip()
    if env.get("ARCHIVE_LDAP_CA_FILE", "").strip():
        found["AUTH_LDAP_GLOBAL_OPTIONS"] = {
            ldap.OPT_X_TLS_CACERTFILE: env["ARCHIVE_LDAP_CA_FILE"].strip()
        }
    return found


def single_sign_on_settings(env: Mapping[str, str]) -> dict:
    """mozilla-django-oidc's OIDC_* settings from ARCHIVE_OIDC_* (OpenID
    Connect, for a company with a single sign-on service):

        ARCHIVE_OIDC_CLIENT_ID / ARCHIVE_OIDC_CLIENT_SECRET
        ARCHIVE_OIDC_AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT,
        _USERINFO_ENDPOINT, _JWKS_ENDPOINT      the provider's addresses
        ARCHIVE_OIDC_USERNAME_CLAIM=preferred_username
        ARCHIVE_OIDC_GROUPS_CLAIM=groups        its values map to roles:
        ARCHIVE_OIDC_ROLES=archivist=archive-archivists;cs_staff=cs-staff
        ARCHIVE_OIDC_REQUIRE_GROUP=archive-users
        ARCHIVE_OIDC_DEPARTMENT_CLAIM=department   a department's code
    """
    client = env.get("ARCHIVE_OIDC_CLIENT_ID", "").strip()
    if not client:
        return {"ARCHIVE_OIDC_ENABLED": False}
    found = {
        "ARCHIVE_OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": client,
        "OIDC_RP_CLIENT_SECRET": env.get("ARCHIVE_OIDC_CLIENT_SECRET", ""),
        "OIDC_RP_SIGN_ALGO": env.get("ARCHIVE_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env.get("ARCHIVE_OIDC_SCOPES", "openid email profile"),
        "OIDC_TIMEOUT": 10,
        "ARCHIVE_OIDC_USERNAME_CLAIM": env.get(
            "ARCHIVE_OIDC_USERNAME_CLAIM", "preferred_username"
        ),
        "ARCHIVE_OIDC_GROUPS_CLAIM": env.get("ARCHIVE_OIDC_GROUPS_CLAIM", "groups"),
        "ARCHIVE_OIDC_DEPARTMENT_CLAIM": env.get(
            "ARCHIVE_OIDC_DEPARTMENT_CLAIM", "department"
        ),
        "ARCHIVE_OIDC_ROLES": role_groups(
            env.get("ARCHIVE_OIDC_ROLES", ""), "ARCHIVE_OIDC_ROLES"
        ),
        "ARCHIVE_OIDC_REQUIRE_GROUP": env.get("ARCHIVE_OIDC_REQUIRE_GROUP", ""),
    }
    for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
        key = "USERINFO" if name == "USER" else name
        value = env.get(f"ARCHIVE_OIDC_{key}_ENDPOINT", "").strip()
        if not value:
            raise DirectoryMisconfigured(
                f"ARCHIVE_OIDC_{key}_ENDPOINT is not set (ARCHIVE_OIDC_CLIENT_ID is)"
            )
        found[f"OIDC_OP_{name}_ENDPOINT"] = value
    return found
