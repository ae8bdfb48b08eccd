"""Incidents: record, follow up, close."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives.selectors import records_by_numbers
from core.views import paginate
from core.views import run_service
from retention import permissions
from retention import selectors
from retention.forms import CloseForm
from retention.forms import IncidentActionForm
from retention.forms import IncidentForm
from retention.models import Incident
from retention.services.incidents import incident_act
from retention.services.incidents import incident_close
from retention.services.incidents import incident_open

view_incidents = permission_required(permissions.VIEW_INCIDENTS, raise_exception=True)


def _numbers(text: str):
    return records_by_numbers(text) if (text or "").strip() else []


@login_required
@view_incidents
def incident_list(request):
    return render(
        request,
        "retention/incident_list.html",
        {
            "page": paginate(request, selectors.incident_list()),
            "can_open": request.user.has_perm(permissions.OPEN_INCIDENT),
        },
    )


@login_required
@permission_required(permissions.OPEN_INCIDENT, raise_exception=True)
def incident_create(request):
    form = IncidentForm(request.POST or None)
    opened = {}
    if request.method == "POST":

        def action(data):
            opened["incident"] = incident_open(
                actor=request.user,
                kind=data["kind"],
                summary=data["summary"],
                description=data["description"],
                records=_numbers(data["numbers"]),
                effect=data["effect"],
                told=list(data["told"]),
                told_outside=data["told_outside"],
            )

        if run_service(request, form, action, _("Incident recorded.")):
            return redirect(opened["incident"])
    return render(
        request,
        "retention/incident_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _incident(pk: int) -> Incident:
    try:
        return selectors.incident_detail(pk=pk)
    except Incident.DoesNotExist:
        raise Http404 from None


def _detail(request, incident, status=200, **forms):
    return render(
        request,
        "retention/incident_detail.html",
        {
            "incident": incident,
            "action_form": forms.get("action_form") or IncidentActionForm(),
            "close_form": forms.get("close_form") or CloseForm(),
            "can_handle": request.user.has_perm(permissions.HANDLE_INCIDENT),
        },
        status=status,
    )


@login_required
@view_incidents
def incident_detail(request, pk: int):
    return _detail(request, _incident(pk))


@login_required
@require_POST
@view_incidents
def incident_action(request, pk: int):
    incident = _incident(pk)
    form = IncidentActionForm(request.POST)

    def action(data):
        incident_act(
            actor=request.user,
            incident=incident,
            kind=data["kind"],
            description=data["description"],
            records=_numbers(data["numbers"]),
        )

    if run_service(request, form, action, _("Action recorded.")):
        return redirect(incident)
    return _detail(request, incident, status=400, action_form=form)


@login_required
@require_POST
@view_incidents
def incident_close_view(request, pk: int):
    incident = _incident(pk)
    form = CloseForm(request.POST)
    if run_service(
        request,
        form,
        lambda d: incident_close(
            actor=request.user, incident=incident, outcome=d["outcome"]
        ),
        _("Incident closed."),
    ):
        return redirect(incident)
    return _detail(request, incident, status=400, close_form=form)
