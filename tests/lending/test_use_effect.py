"""利用效果 (issue 20, item 4): once a viewing or loan has ended, the requester
or the desk tells what it achieved, and the statistics count it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from lending.models import AccessRequest
from reports.figures import statistics_tables
from reports.selectors import Period
from reports.selectors import statistics_for
from tests.lending.test_viewing import ask
from tests.lending.test_viewing import own_record_returned
from tests.lending.test_viewing import sign_all


def test_the_requester_tells_the_effect_once_the_use_has_ended(client, world, window):
    request = own_record_returned(world, window)
    assert request.status == AccessRequest.Status.CLOSED
    asked = Notification.objects.get(user=world.finance_clerk, key="use_effect_asked")
    assert asked.url == request.get_absolute_url()
    url = reverse("lending:request-effect", args=[request.pk])
    client.force_login(world.finance_clerk)
    page = client.get(request.get_absolute_url()).content.decode()
    assert url in page  # the form is offered
    other = client.post(url, {"effect": "other", "note": ""})
    assert other.status_code == 400
    assert "Say what the use achieved." in other.content.decode()
    done = client.post(url, {"effect": "dispute", "note": "证实了送货时间，投诉结案"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert (request.use_effect, request.use_effect_by) == (
        "dispute",
        world.finance_clerk,
    )
    page = client.get(request.get_absolute_url()).content.decode()
    assert "证实了送货时间" in page and url not in page
    # Counted in the statistics of the period it ended in.
    day = request.closed_at.date()
    figures = statistics_for(Period(day, day))
    assert figures["use_effects"] == {"by_effect": [["dispute", 1]], "not_told": 0}
    table = next(t for t in statistics_tables(figures) if t.key == "use_effects")
    assert table.rows == [["Settled a complaint or dispute", 1]]


def test_nobody_tells_the_effect_of_a_use_still_running(client, world, window):
    request = sign_all(
        ask(world.finance_clerk, [world.own], window),
        world.finance_head,
        world.archive_head,
    )
    client.force_login(world.finance_clerk)
    url = reverse("lending:request-effect", args=[request.pk])
    assert url not in client.get(request.get_absolute_url()).content.decode()
    early = client.post(url, {"effect": "dispute"}, follow=True)
    assert "The effect is told once the use has ended" in early.content.decode()
    request.refresh_from_db()
    assert request.use_effect == ""
    client.force_login(world.staff2)  # neither the requester nor the desk
    assert client.post(url, {"effect": "dispute"}).status_code == 404
    day = timezone.localdate()
    assert statistics_for(Period(day, day))["use_effects"]["by_effect"] == []
