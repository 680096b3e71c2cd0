"""The daily run (`bruecke.reminders`, decision 0031): each step creates what is missing
once; running it twice on the same day, or on the next day, creates nothing twice.

Residence reminders, the ESF follow-up task, housekeeping and the run record. The
e-mails (breach deadline, tasks due) are in test_run_schedule_notices.py, the command as a
process and concurrent runs in test_run_schedule_command.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

from bruecke.accounts import throttle
from bruecke.accounts.models import ThrottleCounter
from bruecke.cases.models import Case, CaseStatus, Task, TaskSource
from bruecke.cases.services.tasks import task_complete
from bruecke.core.models import AuditAction, AuditEvent, SubmissionToken
from bruecke.esf.exit_models import ExitRecord, FollowUp
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant, ResidenceStatus, ResidenceStatusType
from bruecke.participants.services import refresh_current_status, residence_status_add
from bruecke.reminders.models import RunOutcome, ScheduleRun
from bruecke.reminders.schedule import run_schedule

RESIDENCE = ResidenceStatus._meta.label_lower


def _mohammed() -> Participant:
    """Demo participant with an open case (Anna Berger) whose document expires in 10 days."""
    return Participant.objects.get(family_name="Al-Hassan")


def _document(participant: Participant) -> ResidenceStatus:
    return participant.residence_statuses.order_by("-issued_on", "-id")[0]


def _reminders() -> list[Task]:
    return list(Task.objects.filter(source=TaskSource.RESIDENCE_EXPIRY).order_by("pk"))


def _residence_step(today: datetime.date) -> dict[str, int]:
    report = run_schedule(today=today, only=["residence_reminders"])
    assert report.ok
    return report.steps["residence_reminders"].counts


def _today() -> datetime.date:
    return timezone.localdate()


def test_a_document_expiring_in_the_window_gets_one_task_for_the_case_manager(demo: DemoNetwork) -> None:
    today, participant = _today(), _mohammed()
    document = _document(participant)
    assert document.valid_until is not None and document.valid_until <= today + datetime.timedelta(days=42)

    assert _residence_step(today) == {"created": 1}
    [task] = _reminders()
    case = Case.objects.get(participant=participant)
    assert (task.source_type, task.source_id) == (RESIDENCE, str(document.pk))
    assert task.case == case and task.assignee == demo.users["cm_a"] == case.case_manager
    assert task.due_on == max(document.valid_until - datetime.timedelta(days=42), today)
    assert (
        document.valid_until.strftime("%d.%m.%Y") in task.title and participant.family_name not in task.title
    )
    assert task.title.startswith("Aufenthaltsdokument läuft am")  # German, the installation's language
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="cases.task", object_id=str(task.pk), actor=None
    ).exists()

    # The same day again, and the next days: nothing new, nothing changed.
    assert _residence_step(today) == {"unchanged": 1}
    assert _residence_step(today + datetime.timedelta(days=1)) == {"unchanged": 1}
    assert [t.pk for t in _reminders()] == [task.pk]
    assert Task.objects.get(pk=task.pk).version == task.version


def test_participants_without_an_open_case_and_documents_outside_the_window_get_none(
    demo: DemoNetwork,
) -> None:
    """Amina Rahimi's document expires in 35 days, but she has no case."""
    amina = Participant.objects.get(family_name="Rahimi")
    assert not Case.objects.filter(participant=amina).exists()
    with override_settings(RESIDENCE_REMINDER_DAYS=5):  # Mohammed's 10 days lie outside
        assert _residence_step(_today()) == {}
    assert _reminders() == []
    Case.objects.filter(participant=_mohammed()).update(status=CaseStatus.CLOSED)
    assert _residence_step(_today()) == {}
    assert _reminders() == []


def test_a_corrected_date_updates_the_task_and_a_new_case_manager_gets_it(demo: DemoNetwork) -> None:
    today, participant = _today(), _mohammed()
    _residence_step(today)
    [task] = _reminders()
    document = _document(participant)
    ResidenceStatus.objects.filter(pk=document.pk).update(valid_until=today + datetime.timedelta(days=20))
    Case.objects.filter(participant=participant).update(case_manager=demo.users["team_lead"])
    refresh_current_status(participant)

    assert _residence_step(today) == {"updated": 1}
    [moved] = _reminders()
    assert moved.pk == task.pk and moved.version == task.version + 1
    assert moved.assignee == demo.users["team_lead"]
    assert (today + datetime.timedelta(days=20)).strftime("%d.%m.%Y") in moved.title


def test_a_done_reminder_stays_done(demo: DemoNetwork) -> None:
    today = _today()
    _residence_step(today)
    [task] = _reminders()
    task_complete(actor=demo.users["cm_a"], task=task)

    assert _residence_step(today + datetime.timedelta(days=1)) == {"already_done": 1}
    [kept] = _reminders()
    assert kept.done_on == today and kept.done_by == demo.users["cm_a"]


def test_a_newer_document_completes_the_reminder_of_the_old_one(demo: DemoNetwork) -> None:
    today, participant = _today(), _mohammed()
    _residence_step(today)
    [task] = _reminders()
    residence_status_add(
        actor=demo.users["cm_a"],
        status=ResidenceStatus(
            participant=participant,
            status=ResidenceStatusType.choices[0][0],
            issued_on=today,
            valid_until=today + datetime.timedelta(days=3 * 365),
        ),
    )

    assert _residence_step(today) == {"done_by_newer_document": 1}
    [done] = _reminders()
    assert done.pk == task.pk and done.done_on == today and done.done_by is None
    assert _residence_step(today) == {}  # and stays so


def test_a_document_no_longer_expiring_soon_loses_its_open_reminder(demo: DemoNetwork) -> None:
    today, participant = _today(), _mohammed()
    _residence_step(today)
    ResidenceStatus.objects.filter(pk=_document(participant).pk).update(valid_until=None)
    refresh_current_status(participant)

    assert _residence_step(today) == {"removed": 1}
    assert _reminders() == []
    assert _residence_step(today) == {}


def test_an_expired_documents_reminder_stays_open_and_overdue(demo: DemoNetwork) -> None:
    today = _today()
    _residence_step(today)
    valid_until = _document(_mohammed()).valid_until
    assert valid_until is not None
    later = valid_until + datetime.timedelta(days=3)
    assert _residence_step(later) == {}
    [task] = _reminders()
    assert task.is_open and task.is_overdue(later)


def test_a_missing_follow_up_task_is_restored_once(demo: DemoNetwork) -> None:
    """The demo's closed case, as if its follow-up had not been answered and its task lost."""
    record = ExitRecord.objects.select_related("case").get(case__organisation=demo.partners["A"])
    FollowUp.objects.filter(exit_record=record).delete()
    Task.objects.filter(source_type="esf.exitrecord", source_id=str(record.pk)).delete()
    today = _today()

    report = run_schedule(today=today, only=["follow_up_tasks"])
    assert report.steps["follow_up_tasks"].counts == {"created": 1}
    [task] = Task.objects.filter(source_type="esf.exitrecord", source_id=str(record.pk))
    assert task.source == TaskSource.FOLLOW_UP and task.due_on == record.follow_up_due
    assert task.assignee == record.case.case_manager and task.is_open

    assert run_schedule(today=today, only=["follow_up_tasks"]).steps["follow_up_tasks"].counts == {}
    # Once the answers no longer count (reference date + 28 days), nothing is restored.
    task.delete()
    too_late = record.follow_up_due + datetime.timedelta(days=29)
    assert run_schedule(today=too_late, only=["follow_up_tasks"]).steps["follow_up_tasks"].counts == {}


def test_an_answered_follow_up_needs_no_task(demo: DemoNetwork) -> None:
    record = ExitRecord.objects.get(case__organisation=demo.partners["A"])
    assert FollowUp.objects.filter(exit_record=record).exists()
    Task.objects.filter(source_type="esf.exitrecord", source_id=str(record.pk)).delete()
    assert run_schedule(only=["follow_up_tasks"]).steps["follow_up_tasks"].counts == {}


def test_housekeeping_deletes_only_what_has_expired(demo: DemoNetwork) -> None:
    now = timezone.now()
    assert throttle.take("test:idle", 5) and throttle.take("test:active", 5)
    ThrottleCounter.objects.filter(key="test:idle").update(window_start=now - datetime.timedelta(days=2))
    user = demo.users["cm_a"]
    old = SubmissionToken.objects.create(user=user, token="old")
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=3))
    SubmissionToken.objects.create(user=user, token="fresh")
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=now - datetime.timedelta(days=1)
    )
    live = SessionStore()
    live.create()

    report = run_schedule(only=["housekeeping"])
    assert report.steps["housekeeping"].counts == {
        "throttle_counters_deleted": 1,
        "submission_tokens_deleted": 1,
        "sessions_deleted": 1,
    }
    assert list(ThrottleCounter.objects.filter(key__startswith="test:").values_list("key", flat=True)) == [
        "test:active"
    ]
    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["fresh"]
    assert Session.objects.filter(session_key=live.session_key).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="accounts.throttlecounter"
    ).exists()
    # A second run finds nothing left.
    assert set(run_schedule(only=["housekeeping"]).steps["housekeeping"].counts.values()) == {0}


def test_each_run_is_recorded_with_counts_and_no_personal_data(demo: DemoNetwork) -> None:
    today = _today()
    report = run_schedule(today=today)
    assert report.ok
    run = ScheduleRun.objects.get(pk=report.run_id)
    assert run.outcome == RunOutcome.OK and run.run_on == today and run.finished_at is not None
    assert set(run.steps) == {
        "residence_reminders",
        "breach_deadlines",
        "follow_up_tasks",
        "task_due_notices",
        "missed_check_ins",
        "housekeeping",
        "audit_partitions",
    }
    assert run.steps["residence_reminders"] == {"outcome": "ok", "counts": {"created": 1}}
    stored = str(run.steps)
    for participant in Participant.objects.all():
        assert participant.family_name not in stored and participant.given_names not in stored

    second = run_schedule(today=today)
    assert ScheduleRun.objects.get(pk=second.run_id).steps["residence_reminders"]["counts"] == {
        "unchanged": 1
    }
    assert len(_reminders()) == 1


@pytest.mark.parametrize("value", ["0", "-3", "six"])
def test_the_reminder_window_setting_is_validated(value: str) -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = "import django; django.setup()"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "bruecke.settings",
            "RESIDENCE_REMINDER_DAYS": value,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "RESIDENCE_REMINDER_DAYS" in result.stderr


def test_the_demo_always_has_a_document_for_the_run_to_remind_of(demo: DemoNetwork) -> None:
    """`make run` on any later day: seeding renews Mohammed's document once it has left the
    window, and the run then gives Anna Berger a reminder for it."""
    from bruecke.reminders.demo import seed_expiring_document

    assert seed_expiring_document(demo) is None  # fresh demo data: expires in 10 days
    later = _today() + datetime.timedelta(days=60)
    renewed = seed_expiring_document(demo, today=later)
    assert renewed is not None and renewed.valid_until == later + datetime.timedelta(days=10)
    assert seed_expiring_document(demo, today=later) is None
    assert _document(_mohammed()).pk == renewed.pk

    assert _residence_step(later) == {"created": 1}
    [task] = _reminders()
    assert task.source_id == str(renewed.pk) and task.assignee == demo.users["cm_a"]


def test_operators_read_the_run_records_in_the_admin(demo: DemoNetwork) -> None:
    from django.urls import reverse

    from bruecke.accounts.models import User
    from bruecke.network.demo import DEMO_PASSWORD
    from tests.clients import verified_client

    report = run_schedule()
    operator = User.objects.create_superuser("op.erator", "op@example.org", DEMO_PASSWORD)
    client = verified_client(operator)
    listed = client.get(reverse("admin:reminders_schedulerun_changelist"))
    assert listed.status_code == 200
    shown = client.get(reverse("admin:reminders_schedulerun_change", args=[report.run_id]))
    assert shown.status_code == 200 and b"residence_reminders" in shown.content
    assert client.get(reverse("admin:reminders_notice_changelist")).status_code == 200
    assert client.get(reverse("admin:reminders_schedulerun_add")).status_code == 403


def test_a_record_that_fails_does_not_keep_the_step_from_the_others() -> None:
    from bruecke.reminders.items import Items, ItemsFailed

    items = Items("example")
    done: list[int] = []

    def fails() -> str:
        raise ConnectionRefusedError("mail server unreachable")

    def works(number: int) -> str:
        done.append(number)
        return "sent"

    items.run(lambda: works(1))
    items.run(fails)
    items.run(lambda: works(2))
    assert done == [1, 2]
    with pytest.raises(ItemsFailed) as failed:
        items.result()
    assert failed.value.counts == {"sent": 2, "failed": 1}
    assert failed.value.error == "ConnectionRefusedError"
