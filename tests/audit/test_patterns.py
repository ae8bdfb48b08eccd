"""The daily check reads the audit log for unusual patterns (S3 §6.2)."""

import datetime

import time_machine
from django.utils import timezone

from accounts.models import Notification
from audit import services
from audit.models import AuditEntry
from retention.models import CheckRun
from retention.services.checks import check_execute
from retention.services.checks import check_request

Action = AuditEntry.Action


def test_denials_bursts_of_downloads_and_night_reading_are_reported(world, settings):
    settings.ARCHIVE_ALERT_DENIALS = 10
    settings.ARCHIVE_ALERT_DOWNLOADS_PER_HOUR = 50
    settings.ARCHIVE_WORKING_HOURS = (7, 21)
    tz = timezone.get_current_timezone()
    ten = datetime.datetime.combine(timezone.localdate(), datetime.time(10), tz)
    with time_machine.travel(ten - datetime.timedelta(hours=8)):  # 02:00
        services.log(Action.RECORD_VIEWED, actor=world.staff2, target=world.own)
    with time_machine.travel(ten - datetime.timedelta(hours=1), tick=False):
        for _n in range(10):
            services.log(Action.DENIED, actor=world.staff, outcome="denied")
        for _n in range(50):
            services.log(
                Action.FILE_DOWNLOADED, actor=world.archivist, target=world.own
            )
        for _n in range(9):  # below the threshold
            services.log(Action.DENIED, actor=world.cs1_head, outcome="denied")
    with time_machine.travel(ten):
        run = check_request(kind=CheckRun.Kind.DAILY)
        summary = check_execute(run_id=run.pk)
        texts = sorted(
            str(f)
            for f in run.findings.filter(
                code__in=["many_denials", "many_downloads", "odd_hours"]
            )
        )
        assert summary["unusual_patterns"] == 3
        assert texts == [
            "li downloaded, printed or exported 50 time(s) in the hour from "
            f"{ten.date()} 09:00.",
            "zhang was refused 10 time(s) in a day.",
            "zhao opened records 1 time(s) outside working hours.",
        ]
        heads = Notification.objects.filter(key="unusual_patterns")
        assert {n.user for n in heads} == {world.archive_head, world.archive_head2}
        check_execute(run_id=check_request(kind=CheckRun.Kind.DAILY).pk)
        assert heads.count() == 2  # told once a day
