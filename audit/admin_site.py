"""The admin site, every change of it in the audit log with before and after.

Every ModelAdmin registered here (ours and third-party ones) is given
``AuditedAdminMixin``: a change writes who changed which object, each changed
field's value before and after, and whom it concerns; a change of a person's
roles, rights or flags is an "access changed" entry, anything else a
"setting changed" one. The request is marked so the audit middleware does
not add its generic entry as well.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from audit import services as audit

ACCESS_FIELDS = {"groups", "user_permissions", "is_staff", "is_superuser", "is_active"}
# Never written to the log, whatever the form holds.
SECRET_FIELDS = {"password", "password1", "password2", "key", "key_hash"}


def _plain(value):
    """A form value as short JSON: names for objects, sorted lists for sets."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        items = []
        for v in value:
            items.append(str(v) if isinstance(v, models.Model) else _plain(v))
        return sorted(str(i) for i in items)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _initial(form, name):
    value = form.initial.get(name)
    field = form.fields.get(name)
    choices = getattr(field, "queryset", None)
    if choices is not None and value is not None:
        if isinstance(value, list | tuple | set | models.QuerySet):
            ids = [v.pk if isinstance(v, models.Model) else v for v in value]
            return _plain(list(choices.model._default_manager.filter(pk__in=ids)))
        pk = value.pk if isinstance(value, models.Model) else value
        return _plain(choices.model._default_manager.filter(pk=pk).first())
    return _plain(value)


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request._admin_changes = {
            name: [
                _initial(form, name) if change else None,
                _plain(form.cleaned_data.get(name)),
            ]
            for name in form.changed_data
            if name not in SECRET_FIELDS
        }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes = getattr(request, "_admin_changes", {})
        for formset in formsets:
            if formset.has_changed():
                changes[formset.prefix] = ["", "changed"]
        obj = form.instance
        action = (
            audit.Action.ACCESS_CHANGED
            if ACCESS_FIELDS & set(changes)
            else audit.Action.SETTING_CHANGED
        )
        audit.log(
            action,
            actor=request.user,
            target=obj,
            model=obj._meta.label_lower,
            object_id=str(obj.pk),
            change="changed" if change else "added",
            changes=changes,
        )
        request._admin_audited = True

    def delete_model(self, request, obj):
        label, pk, name = obj._meta.label_lower, str(obj.pk), str(obj)
        super().delete_model(request, obj)
        audit.log(
            audit.Action.SETTING_CHANGED,
            actor=request.user,
            model=label,
            object_id=pk,
            change="deleted",
            deleted=name,
        )
        request._admin_audited = True


class ArchiveAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
