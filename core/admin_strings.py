"""Words of Django's admin that its own catalogues do not translate yet
(new in Django 5.x): listed here so ``makemessages`` keeps them in ours, and
the admin reads whole in zh-hans and zh-hant (issue 19, item 18)."""

from django.utils.translation import gettext_noop

ADMIN_STRINGS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop(
        "After you’ve created a user, you’ll be able to edit more user options."
    ),
]
