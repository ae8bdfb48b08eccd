"""Django's admin, on the archive's own site (``audit.admin_site``)."""

from django.contrib.admin.apps import AdminConfig


class ArchiveAdminConfig(AdminConfig):
    default_site = "audit.admin_site.ArchiveAdminSite"
