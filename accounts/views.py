"""A person's own pages: the inbox, the password, the second factor, the
active sessions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import notifications as notices
from accounts import passwordreset
from accounts import people_import as people_import_service
from accounts import twofactor
from accounts.forms import NoticeTextForm
from accounts.forms import TokenForm
from accounts.models import ApiToken
from accounts.models import User
from accounts.permissions import CHANGE_NOTICES
from accounts.sessions import session_end
from accounts.sessions import sessions_end_others
from accounts.sessions import sessions_of
from accounts.tokens import api_token_create
from accounts.tokens import api_token_revoke
from audit import services as audit
from core.addresses import client_address
from core.chinese import contains_any
from core.errors import ArchiveError
from core.views import add_service_errors
from core.views import paginate


@login_required
def notifications(request):
    """The inbox; opening it marks what was shown as read."""
    inbox = request.user.notifications.all()
    if request.method == "POST":
        inbox.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("accounts:notifications")
    page = paginate(request, inbox)
    response = render(request, "accounts/notifications.html", {"page": page})
    shown = [n.pk for n in page if n.read_at is None]
    if shown:
        inbox.filter(pk__in=shown).update(read_at=timezone.now())
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password logs every other browser out, and is logged."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-changed")

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions_end_others(
            actor=self.request.user, keep_key=self.request.session.session_key
        )
        audit.log(audit.Action.PASSWORD_CHANGED, actor=self.request.user)
        return response


@login_required
def session_list(request):
    """The person's active sessions, with the option to end them."""
    if request.method == "POST":
        current = request.session.session_key
        if request.POST.get("all_others"):
            ended = sessions_end_others(actor=request.user, keep_key=current)
        else:
            chosen = sessions_of(request.user).filter(pk=request.POST.get("session"))
            chosen = chosen.exclude(session_key=current).first()
            if chosen is None:
                messages.error(request, _("That session has already ended."))
                return redirect("accounts:sessions")
            session_end(actor=request.user, user_session=chosen)
            ended = 1
        messages.success(request, _("%(count)d session(s) ended.") % {"count": ended})
        return redirect("accounts:sessions")
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions_of(request.user),
            "current_key": request.session.session_key,
            "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@login_required
def token_list(request):
    """The person's own API tokens: make one (its key shown once), end one."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                scope=form.cleaned_data["scope"],
            )
        except ArchiveError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm()
            messages.success(
                request,
                _("Token %(prefix)s… is made. Copy its key now: it is not shown again.")
                % {"prefix": token.prefix},
            )
    tokens = list(request.user.api_tokens.select_related("user"))
    now = timezone.now()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "rows": [(t, t.ended_because(now)) for t in tokens],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("Token %(prefix)s… is revoked.") % {"prefix": token.prefix}
    )
    return redirect("accounts:tokens")


@login_required
@permission_required(CHANGE_NOTICES, raise_exception=True)
def notice_texts(request):
    """The notices the archive sends, as the reader's language words them."""
    own = notices.own_texts()
    rows = [
        {
            "key": key,
            "name": notices.name_of(key),
            "text": notices.template_for(key),
            "changed": sorted(lang for (k, lang) in own if k == key),
            "values": notices.placeholders(key),
        }
        for key in notices.EDITABLE
    ]
    return render(request, "accounts/notice_texts.html", {"rows": rows})


@login_required
@permission_required(CHANGE_NOTICES, raise_exception=True)
def notice_text_edit(request, key: str):
    if key not in notices.EDITABLE:
        raise Http404
    form = NoticeTextForm(request.POST or None, key=key)
    if request.method == "POST" and form.is_valid():
        try:
            notices.notice_texts_save(actor=request.user, key=key, texts=form.texts())
        except ValidationError as error:
            fields = dict(form.languages)
            for language, problems in error.message_dict.items():
                form.add_error(fields.get(language), problems)
        else:
            messages.success(request, _("The notice's wording is saved."))
            return redirect("accounts:notice-texts")
    return render(
        request,
        "accounts/notice_text_form.html",
        {
            "form": form,
            "key": key,
            "name": notices.name_of(key),
            "values": [
                (value, notices.VALUE_NAMES.get(value, ""))
                for value in notices.placeholders(key)
            ],
        },
        status=400 if form.errors else 200,
    )


@login_required
def pick_people(request):
    """Active people matching what was typed, as <option>s for a picker."""
    text = (request.GET.get("picker_q") or "").strip()[:50]
    # People only: a company system's account is no one to pick.
    people = User.objects.filter(is_active=True, is_system=False).order_by("username")
    if text:
        people = people.filter(
            Q(username__icontains=text) | contains_any("display_name", text)
        )
    name = request.GET.get("picker_name", "")
    if not name.isidentifier():
        return render(
            request,
            "includes/picker_options.html",
            {"options": [(p.pk, str(p)) for p in people[:30]]},
        )
    # Ticked boxes (core.forms.PickerCheckboxes): those ticked, then matches.
    ticked = [int(v) for v in request.GET.getlist(name) if v.isdigit()][:200]
    chosen = list(User.objects.filter(pk__in=ticked).order_by("username"))
    matches = [p for p in people.exclude(pk__in=ticked)[:30]]
    options = [(p.pk, str(p), True) for p in chosen]
    options += [(p.pk, str(p), False) for p in matches]
    return render(
        request, "includes/picker_checks.html", {"name": name, "options": options}
    )


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return str(settings.LOGIN_REDIRECT_URL)


@login_required
def second_factor(request):
    """The code from the authenticator app; the first time, setting it up."""
    if not twofactor.needs_second_factor(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    device = twofactor.confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = twofactor.device_to_set_up(request.user)
    wrong = False
    if request.method == "POST":
        if twofactor.code_check(request, device, request.POST.get("code", "")):
            return redirect(_next_url(request))
        wrong = True
    context = {
        "setting_up": setting_up,
        "wrong": wrong,
        "next": _next_url(request),
    }
    if setting_up:
        context["secret"] = twofactor.secret_of(device)
        context["qr"] = twofactor.qr_svg(device, request.user)
    return render(request, "accounts/second_factor.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link: the same answer whoever asks."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form):
        passwordreset.reset_request(
            email=form.cleaned_data["email"],
            base_url=self.request.build_absolute_uri("/"),
            address=client_address(self.request),
        )
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.log(audit.Action.PASSWORD_CHANGED, actor=form.user, by="reset by e-mail")
        return response


@login_required
@permission_required("accounts.add_user", raise_exception=True)
def people_import(request):
    """Many accounts from a CSV file: a dry run, then the import."""
    checked, token = None, ""
    try:
        if request.method == "POST" and "confirm" in request.POST:
            made = people_import_service.people_import_checked(
                actor=request.user,
                token=request.POST.get("stored", ""),
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s account made; the security administrator gives "
                    "the roles.",
                    "%(count)s accounts made; the security administrator gives "
                    "the roles.",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect("accounts:people-import")
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                raise ArchiveError(_("Choose a CSV file."))
            if upload.size > people_import_service.MAX_BYTES:
                raise ArchiveError(
                    _("The file is larger than %(mb)d MB.")
                    % {"mb": people_import_service.MAX_BYTES // 2**20}
                )
            checked, token = people_import_service.people_check(upload.read())
    except ArchiveError as error:
        messages.error(request, str(error))
    return render(
        request,
        "accounts/people_import.html",
        {"checked": checked, "stored": token},
    )
