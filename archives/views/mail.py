"""E-mail in, for the archivist: the mailboxes read, the rules that send
mail to another category, and what was taken or refused (issue 18)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from archives import permissions
from archives import selectors
from archives.models import Category
from archives.models import MailMessage
from archives.models import MailRule
from archives.services import mailin
from core.views import add_service_errors
from core.views import paginate


class MailRuleForm(forms.Form):
    """A rule for one of the mailboxes listed on the page (given, so that
    the page reads them once)."""

    mailbox = forms.TypedChoiceField(label=gettext_lazy("mailbox"), coerce=int)
    field = forms.ChoiceField(
        label=gettext_lazy("when the"), choices=MailRule.Field.choices
    )
    contains = forms.CharField(label=gettext_lazy("contains"), max_length=200)
    category = forms.ModelChoiceField(
        label=gettext_lazy("file as"), queryset=Category.objects.filter(active=True)
    )

    def __init__(self, *args, boxes, **kwargs):
        super().__init__(*args, **kwargs)
        self.boxes = {box.pk: box for box in boxes}
        self.fields["mailbox"].choices = [("", "---------")] + [
            (box.pk, box.name) for box in boxes
        ]


@login_required
@permission_required(permissions.VIEW_MAIL, raise_exception=True)
def mail(request):
    may_set = request.user.has_perm(permissions.MANAGE_MAIL_RULES)
    boxes = selectors.mailboxes()
    form = None
    if may_set:
        only = boxes[0].pk if len(boxes) == 1 else None
        form = MailRuleForm(
            request.POST or None, initial={"mailbox": only}, boxes=list(boxes)
        )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            mailin.mail_rule_add(
                actor=request.user,
                mailbox=form.boxes[form.cleaned_data["mailbox"]],
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rule added."))
            return redirect("archives:mail")
    state = request.GET.get("state", "")
    if state not in MailMessage.State.values:
        state = ""
    page = paginate(request, selectors.mail_messages_taken(state=state))
    for taken in page:
        taken.reason_text = mailin.reason_text(taken) if taken.reason else ""
    return render(
        request,
        "archives/mail.html",
        {
            "mailboxes": boxes,
            "form": form,
            "page": page,
            "state": state,
            "states": MailMessage.State.choices,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
@permission_required(permissions.MANAGE_MAIL_RULES, raise_exception=True)
def mail_rule_delete(request, pk: int):
    rule = MailRule.objects.filter(pk=pk).first()
    if rule is None:  # removed already (a second click, another archivist)
        messages.info(request, _("This rule was removed already."))
    else:
        mailin.mail_rule_delete(actor=request.user, rule=rule)
        messages.success(request, _("Rule removed."))
    return redirect("archives:mail")
