"""People in the admin, under the separation of the three administrators.

The system administrator (``change_user``) keeps accounts: names, the
department, the supervisor, whether the account is active. The security
administrator (``assign_roles``) gives others their roles, rights and the
admin flag. Nobody changes their own roles or flags, and the superuser flag
is on no page (security issue, item 6). Every change is in the audit log
with before and after (``audit.admin_site``).
"""

from django.contrib import admin
from django.contrib import messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ApiToken
from accounts.models import Department
from accounts.models import User
from accounts.permissions import ASSIGN_ROLES
from accounts.permissions import CHANGE_USERS
from accounts.tokens import REVOKE_ANY
from accounts.tokens import api_token_revoke
from accounts.tokens import api_tokens_end

ACCOUNT = (None, {"fields": ("username", "password")})
PERSON = (
    _("Person"),
    {"fields": ("display_name", "first_name", "last_name", "email", "is_active")},
)
ORGANISATION = (_("Organisation"), {"fields": ("department", "supervisor")})
ROLES = (_("Roles and rights"), {"fields": ("is_staff", "groups", "user_permissions")})
DATES = (_("Important dates"), {"fields": ("last_login", "date_joined")})
# Flags and roles a person never changes on their own account.
OWN_LOCKED = ("is_active", "is_staff", "groups", "user_permissions")

# A token is made by its owner on their own page, never here.
admin.site.unregister(TokenProxy)
# An authenticator is set up by its owner at login, never here; its key is
# on no admin page (django-otp's own admin shows it as a QR code).
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    """The security administrator removes a lost authenticator; the person
    sets up a new one at their next login."""

    list_display = ("user", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__display_name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "batch_check"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "department", "is_active", "is_staff"]
    list_filter = ["department", "groups", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "email"]
    autocomplete_fields = ["supervisor"]
    readonly_fields = ["last_login", "date_joined"]

    def has_change_permission(self, request, obj=None) -> bool:
        user = request.user
        return user.has_perm(CHANGE_USERS) or user.has_perm(ASSIGN_ROLES)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)  # the add form
        sections = []
        if request.user.has_perm(CHANGE_USERS):
            sections += [ACCOUNT, PERSON, ORGANISATION]
        else:
            sections += [(None, {"fields": ("username", "display_name", "department")})]
        if request.user.has_perm(ASSIGN_ROLES) or obj.pk == request.user.pk:
            sections.append(ROLES)
        return [*sections, DATES]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        user = request.user
        if obj.pk == user.pk:
            readonly += list(OWN_LOCKED)
        elif not user.has_perm(ASSIGN_ROLES):
            readonly += ["is_staff", "groups", "user_permissions"]
        if not user.has_perm(CHANGE_USERS):
            readonly += ["username", "display_name", "department", "is_active"]
        return list(dict.fromkeys(readonly))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            ended = api_tokens_end(user=obj, actor=request.user, reason="deactivated")
            if ended:
                messages.info(
                    request,
                    _("%(count)d API token(s) of this person were revoked.")
                    % {"count": ended},
                )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's tokens, by their first characters only; the security
    administrator revokes them. None is made here."""

    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    fields = [*list_display, "last_used_at", "revoked_by"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the chosen tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm(REVOKE_ANY)
