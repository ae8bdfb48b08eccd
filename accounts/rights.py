"""A person's permission set, cached between requests (issue 22).

Django's ``ModelBackend`` reads a person's permissions from the database on
every request (two queries), and ``core.permissions.user_roles`` their role
names (one more). Both are kept in the cache under a key that holds
``User.rights_changed_at``, which is read with the person on every request
and moved forward whenever their roles, or the rights of any of their roles,
change (the receivers below, and the role matrix's own bulk writes). A
cached set is therefore never used after a change, even when the cache missed
the change (Redis down): the key it sits under is simply no longer asked for.
That is also why each process may keep the sets in its own memory in front
of Redis (``core.cache.kept``): no process can hold an old set under a new
key.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from core.cache import kept
from core.prepared import prepared

RIGHTS_SECONDS = 3600


def rights_key(user, kind: str) -> str | None:
    stamp = getattr(user, "rights_changed_at", None)
    if user.pk is None or stamp is None:
        return None
    return f"rights:{kind}:{user.pk}:{int(user.is_superuser)}:{stamp.timestamp()}"


class CachedModelBackend(ModelBackend):
    """``ModelBackend`` whose per-request permission sets come from the cache,
    and whose person of each request is read by a statement written once
    (``core.prepared``)."""

    def get_user(self, user_id):
        try:
            user = _person(pk=int(user_id))
        except (TypeError, ValueError):
            return None
        if user is None or not self.user_can_authenticate(user):
            return None
        return user

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, name):
            key = rights_key(user_obj, from_name)

            def read():
                return super(CachedModelBackend, self)._get_permissions(
                    user_obj, obj, from_name
                )

            perms = kept(key, read, RIGHTS_SECONDS) if key else read()
            setattr(user_obj, name, perms)
        return getattr(user_obj, name)


@prepared
def _person_by_key(pk: int):
    from accounts.models import User

    return User._default_manager.filter(pk=pk)


def _person(*, pk: int):
    found = _person_by_key(pk=pk)
    return found[0] if found else None


def rights_changed(*, user_ids=None) -> None:
    """Move the stamp of these people (everyone when None) forward."""
    from accounts.models import User

    people = (
        User.objects.all()
        if user_ids is None
        else User.objects.filter(pk__in=list(user_ids))
    )
    people.update(rights_changed_at=timezone.now())


def _users_of_groups(group_ids) -> list[int]:
    from accounts.models import User

    return list(
        User.objects.filter(groups__in=list(group_ids)).values_list("pk", flat=True)
    )


def on_user_groups(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A person's roles changed (``user.groups`` or ``group.user_set``)."""
    if not action.startswith("post_") and action != "pre_clear":
        return
    if action == "pre_clear" and reverse:
        rights_changed(user_ids=_users_of_groups([instance.pk]))
    elif not reverse:
        rights_changed(user_ids=[instance.pk])
    elif pk_set:
        rights_changed(user_ids=pk_set)


def on_user_permissions(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        rights_changed(user_ids=[instance.pk])
    else:
        rights_changed()  # a permission given to or taken from people: rare


def on_group_permissions(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A role's rights changed: everyone who holds it."""
    if not action.startswith("post_"):
        return
    if not reverse:
        rights_changed(user_ids=_users_of_groups([instance.pk]))
    else:
        rights_changed()


def on_group_or_permission_gone(sender, **kwargs) -> None:
    rights_changed()
