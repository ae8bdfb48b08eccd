"""Password strength rules beyond Django's own validators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharacterValidator:
    """A password must mix letters with digits or symbols."""

    def validate(self, password: str, user=None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_other = any(not c.isalpha() for c in password)
        if not (has_letter and has_other):
            raise ValidationError(
                _("The password must contain letters and digits or symbols."),
                code="password_not_mixed",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain letters and digits or symbols.")
