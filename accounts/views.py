"""A person's own pages: the notification inbox."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone

from archives.views.common import paginate


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
