"""Cached reference data is dropped when its tables change."""

from django.db.models.signals import post_delete
from django.db.models.signals import post_save

from accounts.models import Department
from archives.models import Category
from archives.models import Storeroom
from archives.models import Subcode
from archives.models import SubcodeDimension
from archives.selectors import filter_options_changed

for model in (Category, SubcodeDimension, Subcode, Department, Storeroom):
    for signal in (post_save, post_delete):
        signal.connect(
            filter_options_changed,
            sender=model,
            dispatch_uid=f"filter-options-{model._meta.label}-{signal}",
        )
