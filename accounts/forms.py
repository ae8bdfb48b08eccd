"""Forms of a person's own pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What it is for"),
        max_length=100,
        help_text=_("The system or script that will use it, e.g. “呼叫中心录音归档”."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, initial=30)
    scope = forms.ChoiceField(
        label=_("It may"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.ALL,
        help_text=_("A system that only files records needs no more than that."),
        required=False,
    )

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or ApiToken.Scope.ALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].widget.attrs["max"] = settings.ARCHIVE_API_TOKEN_MAX_DAYS

    def clean_days(self) -> int:
        days = self.cleaned_data["days"]
        longest = settings.ARCHIVE_API_TOKEN_MAX_DAYS
        if days > longest:
            raise forms.ValidationError(
                _("A token lasts at most %(days)d days.") % {"days": longest}
            )
        return days


class NoticeTextForm(forms.Form):
    """A notice's wording in each language; empty keeps the product's own."""

    def __init__(self, *args, key: str, **kwargs):
        from django.utils import translation

        from accounts.notifications import EDITABLE
        from accounts.notifications import own_texts

        super().__init__(*args, **kwargs)
        own = own_texts()
        self.languages = []
        for code, name in settings.LANGUAGES:
            field = f"text_{code.replace('-', '_')}"
            with translation.override(code):
                default = str(EDITABLE[key])
            self.fields[field] = forms.CharField(
                label=name,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4, "placeholder": default}),
                help_text=_("Left empty: “%(text)s”") % {"text": default},
            )
            self.initial.setdefault(field, own.get((key, code), ""))
            self.languages.append((code, field))

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data[field] for code, field in self.languages}
