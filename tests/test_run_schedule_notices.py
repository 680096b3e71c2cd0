"""The daily run's e-mails: the 72-hour breach deadline to the data-protection officers,
and tasks that came due to their assignee. Each is sent once (a `Notice` with a unique
key), in German for German-speaking staff, with a link and without participants' data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from bruecke.cases.models import Case, Task
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role
from bruecke.participants.models import Participant
from bruecke.privacy import services as breach_services
from bruecke.privacy.models import Breach, BreachRisk
from bruecke.reminders.models import Notice, NoticeKind
from bruecke.reminders.schedule import ScheduleReport, run_schedule

Capture = Callable[..., Any]


def _breach(demo: DemoNetwork, *, hours_ago: float, **fields: Any) -> Breach:
    detected = timezone.now() - datetime.timedelta(hours=hours_ago)
    return breach_services.breach_record(
        actor=demo.users["dpo"],
        breach=Breach(
            organisation=demo.partners["A"],
            detected_at=detected,
            title="Vermerk zu Frau Rahimi falsch versandt",
            description="Ein Vermerk ging an eine falsche Adresse.",
            **fields,
        ),
    )


def _run(capture: Capture, step: str, **kwargs: Any) -> ScheduleReport:
    with capture(execute=True):
        report = run_schedule(only=[step], **kwargs)
    assert report.ok, report.steps
    return report


def _no_participant_data(text: str) -> None:
    for participant in Participant.objects.all():
        assert participant.family_name not in text and participant.given_names not in text


def test_a_breach_whose_deadline_ends_within_24_hours_is_mailed_to_the_officers_once(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    breach = _breach(demo, hours_ago=50)  # deadline in 22 hours
    report = _run(django_capture_on_commit_callbacks, "breach_deadlines")
    assert report.steps["breach_deadlines"].counts == {"sent": 1}
    [message] = mail.outbox
    assert message.to == [demo.users["dpo"].email]
    assert "Meldefrist einer Datenpanne" in message.subject and "24 Stunden" in message.subject
    assert "Art. 33 DSGVO" in message.body
    assert timezone.localtime(breach.notification_due).strftime("%d.%m.%Y %H:%M") in message.body
    assert f"http://127.0.0.1:8000/privacy/breaches/{breach.pk}/" in message.body
    text = f"{message.subject}\n{message.body}"
    assert breach.title not in text  # free text: may name people
    _no_participant_data(text)
    notice = Notice.objects.get(kind=NoticeKind.BREACH_DEADLINE, object_id=str(breach.pk))
    assert notice.recipients == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="reminders.notice", object_id=str(notice.pk), actor=None
    ).exists()

    again = _run(django_capture_on_commit_callbacks, "breach_deadlines")
    assert again.steps["breach_deadlines"].counts == {"already_sent": 1}
    assert len(mail.outbox) == 1


def test_an_overdue_breach_is_mailed_as_overdue(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    _breach(demo, hours_ago=80, risk=BreachRisk.HIGH)
    _run(django_capture_on_commit_callbacks, "breach_deadlines")
    [message] = mail.outbox
    assert "abgelaufen" in message.subject and "unverzüglich" in message.body


@pytest.mark.parametrize(
    "fields",
    [
        {"hours_ago": 30},  # deadline in 42 hours: a later run
        {"hours_ago": 60, "risk": BreachRisk.NONE},  # exempt from notification
    ],
)
def test_breaches_not_due_or_not_to_be_notified_get_no_mail(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture, fields: dict[str, Any]
) -> None:
    _breach(demo, **fields)
    report = _run(django_capture_on_commit_callbacks, "breach_deadlines")
    assert report.steps["breach_deadlines"].counts == {}
    assert mail.outbox == []


def test_a_notified_breach_gets_no_mail(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    breach = _breach(demo, hours_ago=60)
    Breach.objects.filter(pk=breach.pk).update(authority_notified_at=timezone.now())
    _run(django_capture_on_commit_callbacks, "breach_deadlines")
    assert mail.outbox == []


def test_without_an_officer_nothing_is_recorded_and_the_next_run_sends(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    breach = _breach(demo, hours_ago=50)
    officers = Membership.objects.filter(
        organisation=demo.partners["A"], role=Role.DATA_PROTECTION_OFFICER, ended_on__isnull=True
    )
    ended = list(officers.values_list("pk", flat=True))
    officers.update(ended_on=timezone.localdate())
    report = _run(django_capture_on_commit_callbacks, "breach_deadlines")
    assert report.steps["breach_deadlines"].counts == {"no_recipient": 1}
    assert not Notice.objects.filter(object_id=str(breach.pk)).exists()

    Membership.objects.filter(pk__in=ended).update(ended_on=None)
    assert _run(django_capture_on_commit_callbacks, "breach_deadlines").steps["breach_deadlines"].counts == {
        "sent": 1
    }
    assert len(mail.outbox) == 1


def test_officers_get_the_mail_in_their_own_language(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    officer = demo.users["dpo"]
    type(officer).objects.filter(pk=officer.pk).update(language="en")
    _breach(demo, hours_ago=50)
    _run(django_capture_on_commit_callbacks, "breach_deadlines")
    [message] = mail.outbox
    assert message.subject.startswith("Brücke: the deadline for notifying a data breach")


@override_settings(EMAIL_BACKEND="tests.test_run_schedule_notices.RefusingBackend")
def test_a_mail_the_server_refuses_is_sent_by_the_next_run(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    """The notice is released when the mail server refuses (here: a backend that raises
    like an unreachable SMTP server), so that the next run tries again."""
    breach = _breach(demo, hours_ago=50)
    with pytest.raises(ConnectionRefusedError), django_capture_on_commit_callbacks(execute=True):
        run_schedule(only=["breach_deadlines"])
    assert not Notice.objects.filter(object_id=str(breach.pk)).exists()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _run(django_capture_on_commit_callbacks, "breach_deadlines")
    assert len(mail.outbox) == 1 and Notice.objects.filter(object_id=str(breach.pk)).count() == 1


class RefusingBackend:
    """A mail backend like an SMTP server that does not answer."""

    def __init__(self, **_kwargs: Any) -> None:
        pass

    def send_messages(self, _messages: Any) -> int:
        raise ConnectionRefusedError("mail server unreachable")


def test_tasks_that_came_due_are_announced_once_per_assignee(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    """Anna Berger's demo tasks: one overdue, one due today (a plan step overdue for longer
    than a week was due before any run that could have missed it)."""
    anna, today = demo.users["cm_a"], timezone.localdate()
    open_tasks = Task.objects.filter(assignee=anna, done_on__isnull=True)
    due = open_tasks.filter(due_on__range=(today - datetime.timedelta(days=7), today))
    expected = due.count()
    assert expected >= 2 and open_tasks.filter(due_on__lt=today - datetime.timedelta(days=7)).exists()

    report = _run(django_capture_on_commit_callbacks, "task_due_notices", today=today)
    assert report.steps["task_due_notices"].counts == {"tasks_announced": expected, "mails": 1}
    [message] = mail.outbox
    assert message.to == [anna.email]
    assert message.subject == f"Brücke: {expected} Aufgaben sind fällig geworden"
    assert "http://127.0.0.1:8000/cases/tasks/" in message.body
    for task in due:
        assert task.title not in message.body  # titles are free text about participants
    _no_participant_data(str(message.body))

    # Again today, and tomorrow: nothing new came due.
    assert (
        _run(django_capture_on_commit_callbacks, "task_due_notices", today=today)
        .steps["task_due_notices"]
        .counts
        == {}
    )
    _run(django_capture_on_commit_callbacks, "task_due_notices", today=today + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1

    # A task moved to a later day is announced again on that day.
    moved = due.order_by("pk").first()
    assert moved is not None
    later = today + datetime.timedelta(days=3)
    Task.objects.filter(pk=moved.pk).update(due_on=later)
    report = _run(django_capture_on_commit_callbacks, "task_due_notices", today=later)
    assert report.steps["task_due_notices"].counts == {"tasks_announced": 1, "mails": 1}
    assert mail.outbox[-1].subject == "Brücke: 1 Aufgabe ist fällig geworden"


def test_done_tasks_and_tasks_of_closed_cases_are_not_announced(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    anna, today = demo.users["cm_a"], timezone.localdate()
    open_due = Task.objects.filter(assignee=anna, done_on__isnull=True, due_on__lte=today)
    assert open_due.exists()
    Case.objects.filter(pk__in=open_due.values("case_id")).update(status="closed")
    open_due.filter(case__isnull=True).update(done_on=today)
    _run(django_capture_on_commit_callbacks, "task_due_notices", today=today)
    assert [m for m in mail.outbox if m.to == [anna.email]] == []


def test_inactive_staff_get_no_announcement(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    anna = demo.users["cm_a"]
    type(anna).objects.filter(pk=anna.pk).update(is_active=False)
    _run(django_capture_on_commit_callbacks, "task_due_notices", today=timezone.localdate())
    assert [m for m in mail.outbox if m.to == [anna.email]] == []
