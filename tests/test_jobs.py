"""Background jobs: starting, running with the real task worker (in this process), failing,
expiring, and the pages "Meine Aufträge", status and download."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.jobs import files, runner, services
from bruecke.jobs.models import Job, JobState
from bruecke.jobs.periodic import periodic
from bruecke.jobs.registry import JobFailed, JobInputGone, JobOutput
from bruecke.jobs.services import delete_expired_results, job_start, reap_stale_jobs
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership
from tests.jobs_helpers import refreshed, run_queued_jobs
from tests.testapp.jobs import PERSONAL_MESSAGE
from tests.testapp.models import SensitiveNote

Capture = Callable[..., Any]


def _start(capture: Capture, user: User, kind: str = "test.count", **params: Any) -> Job:
    with capture(execute=True):
        return job_start(actor=user, kind=kind, params=params or {"steps": 3}, title="Job no. 1")


def _german(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


# Starting


def test_a_job_runs_to_done_with_progress_and_a_result_that_expires(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=3)
    assert job.state == JobState.QUEUED
    task_id = refreshed(job).task_result_id  # enqueued on commit, in django-tasks-db's table
    assert DBTaskResult.objects.get(pk=task_id).args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
    assert run_queued_jobs() == 1
    job = refreshed(job)
    assert job.state == JobState.DONE
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result_file().read_bytes() == b"step 1\nstep 2\nstep 3"
    assert job.result_file().parent == files.results_dir()
    assert job.result_file().stat().st_mode & 0o777 == 0o600
    assert (job.result_filename, job.result_content_type, job.result_size) == ("count.txt", "text/plain", 20)
    assert job.finished_at is not None and job.started_at is not None
    assert job.expires_at == job.finished_at + timedelta(days=7)
    assert not files.temp_path(job.pk).exists()


def test_the_organisation_is_the_starters_own(persona: Callable[[str], User], demo: DemoNetwork) -> None:
    job = job_start(actor=persona("cm_a"), kind="test.count", params={}, title="t")
    assert job.organisation == demo.partners["A"]


def test_two_starts_of_the_same_job_give_one_job(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    user = persona("cm_a")
    first = _start(django_capture_on_commit_callbacks, user, steps=2)
    second = _start(django_capture_on_commit_callbacks, user, steps=2)
    assert first.pk == second.pk
    assert DBTaskResult.objects.count() == 1
    other_params = _start(django_capture_on_commit_callbacks, user, steps=5)
    other_user = _start(django_capture_on_commit_callbacks, persona("team_lead"), steps=2)
    assert len({first.pk, other_params.pk, other_user.pk}) == 3
    run_queued_jobs()
    # Once the first one is done, the same button starts a new job.
    again = _start(django_capture_on_commit_callbacks, user, steps=2)
    assert again.pk != first.pk


def test_the_database_refuses_a_second_active_job_for_the_same_request(
    persona: Callable[[str], User],
) -> None:
    """The constraint, not only the check in job_start, keeps two racing requests to one job."""
    job = job_start(actor=persona("cm_a"), kind="test.count", params={"steps": 2}, title="t")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(
            created_by=job.created_by,
            kind=job.kind,
            params=job.params,
            params_digest=job.params_digest,
            title="t",
        )
    # A finished job does not count.
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    Job.objects.create(
        created_by=job.created_by,
        kind=job.kind,
        params=job.params,
        params_digest=job.params_digest,
        title="t",
    )


def test_the_parameter_order_does_not_make_another_job(persona: Callable[[str], User]) -> None:
    user = persona("cm_a")
    first = job_start(actor=user, kind="test.count", params={"steps": 2, "x": 1}, title="t")
    assert job_start(actor=user, kind="test.count", params={"x": 1, "steps": 2}, title="t").pk == first.pk


@pytest.mark.parametrize(
    "params", [{"note": {"name": "Amina"}}, {"ids": [1, {"a": 2}]}, {1: 2}, {"long": "x" * 3000}]
)
def test_parameters_are_ids_and_simple_values(persona: Callable[[str], User], params: Any) -> None:
    with pytest.raises(ValueError):
        job_start(actor=persona("cm_a"), kind="test.count", params=params, title="t")
    assert not Job.objects.exists()


def test_an_unknown_kind_is_refused(persona: Callable[[str], User]) -> None:
    with pytest.raises(ValueError, match="Unknown job kind"):
        job_start(actor=persona("cm_a"), kind="nothing.here", params={}, title="t")


def test_starting_is_audited_without_parameter_values(persona: Callable[[str], User]) -> None:
    job = job_start(actor=persona("cm_a"), kind="test.count", params={"steps": 987654}, title="t")
    event = AuditEvent.objects.get(object_type="jobs.job", object_id=str(job.pk), action=AuditAction.CREATE)
    assert event.actor == persona("cm_a")
    assert "987654" not in str(event.changed_fields)


def test_the_worker_audits_each_change_of_state(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"))
    run_queued_jobs()
    events = AuditEvent.objects.filter(
        object_type="jobs.job", object_id=str(job.pk), action=AuditAction.UPDATE
    )
    assert events.count() == 2  # running, done (progress is not audited)
    assert all(e.actor is None and e.organisation_id == job.organisation_id for e in events)


def test_a_task_delivered_twice_runs_the_job_once(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"))
    run_queued_jobs()
    assert runner.run(str(job.pk)) == "skipped"
    assert runner.run(str(uuid.uuid4())) == "skipped"  # a job deleted before its task ran
    assert refreshed(job).state == JobState.DONE


def test_a_result_written_in_pieces(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"), kind="test.stream", pieces=5)
    run_queued_jobs()
    job = refreshed(job)
    assert job.state == JobState.DONE
    assert job.result_file().read_bytes() == b"x" * 5000
    assert (job.progress_done, job.progress_total) == (5, 5)


def test_job_output_needs_exactly_one_way_of_writing() -> None:
    with pytest.raises(ValueError):
        JobOutput(filename="a", content_type="text/plain")
    with pytest.raises(ValueError):
        JobOutput(filename="a", content_type="text/plain", content=b"", write=lambda handle: None)


# Failing


def test_a_job_whose_input_was_deleted_fails_with_a_clear_message(
    persona: Callable[[str], User],
    demo: DemoNetwork,
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    note = SensitiveNote.objects.create(organisation=demo.partners["A"], title="note")
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"), kind="test.note", note_id=note.pk)
    note.delete()
    run_queued_jobs()
    job = refreshed(job)
    assert job.state == JobState.FAILED
    assert job.error_message == JobInputGone.default_message
    assert not job.result_path and not files.temp_path(job.pk).exists()
    page = login("cm_a").get(reverse("jobs:status", args=[job.pk]))
    assert _german(JobInputGone.default_message) in page.content.decode()
    assert _german(JobInputGone.default_message) != JobInputGone.default_message  # translated
    assert login("cm_a").get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_an_unexpected_failure_shows_a_generic_message_and_logs_no_personal_data(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"), kind="test.explode", note_id=4711)
    with caplog.at_level(logging.DEBUG):
        run_queued_jobs()
    job = refreshed(job)
    assert job.state == JobState.FAILED
    assert job.error_message == JobFailed.default_message
    # The operator's line: which job, which kind, which exception, where.
    failure = [r for r in caplog.records if r.name == "bruecke.jobs" and r.levelno == logging.ERROR]
    assert len(failure) == 1
    text = failure[0].getMessage()
    assert str(job.pk) in text and "test.explode" in text and "builtins.ValueError" in text
    assert "tests/testapp/jobs.py" in text and "in explode" in text
    assert failure[0].exc_info is None  # no formatter can print the message from it
    # Nowhere: not the exception's message, not the parameters.
    everything = "\n".join(r.getMessage() + str(r.exc_info or "") + str(r.args) for r in caplog.records)
    assert "Amina" not in everything and "Haddad" not in everything and "4711" not in everything
    assert PERSONAL_MESSAGE not in str(DBTaskResult.objects.values_list("traceback", "return_value").get())
    page = login("cm_a").get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert _german(JobFailed.default_message) in page
    assert "Amina" not in page


def test_a_job_declared_interrupted_while_it_worked_offers_no_file(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"), kind="test.outlived", x=1)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_jobs()
    job = refreshed(job)
    assert job.state == JobState.FAILED
    assert job.error_message == services.INTERRUPTED
    assert not job.result_path
    assert not list(files.results_dir().glob(f"{job.pk}*"))


# Housekeeping


def _running(capture: Capture, user: User, **params: Any) -> Job:
    """A job that a worker took and then died on (it wrote half a file)."""
    job = _start(capture, user, **params)
    claimed = services.job_claim(job_id=job.pk)
    assert claimed is not None
    files.temp_path(job.pk).write_bytes(b"half")
    return claimed


def test_a_running_job_without_heartbeat_is_reaped_and_its_temp_file_deleted(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    stale = _running(django_capture_on_commit_callbacks, persona("cm_a"), steps=1)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_stale_jobs(now=now + timedelta(minutes=14)) == 0  # within JOB_STALE_MINUTES
        assert reap_stale_jobs(now=now + timedelta(minutes=16)) == 1
    stale = refreshed(stale)
    assert stale.state == JobState.FAILED
    assert stale.error_message == services.INTERRUPTED
    assert not files.temp_path(stale.pk).exists()


def test_progress_keeps_a_running_job_alive(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    job = _running(django_capture_on_commit_callbacks, persona("cm_a"), steps=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=30))
    services.job_progress(job=job, done=1, total=4)
    assert reap_stale_jobs() == 0
    assert refreshed(job).state == JobState.RUNNING
    assert (refreshed(job).progress_done, refreshed(job).progress_total) == (1, 4)


def test_a_waiting_job_whose_task_was_lost_is_reaped(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    waiting = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=1)
    lost = job_start(
        actor=persona("cm_a"), kind="test.count", params={"steps": 2}, title="t"
    )  # never enqueued
    later = timezone.now() + timedelta(minutes=16)
    assert reap_stale_jobs(now=later) == 1
    assert refreshed(lost).state == JobState.FAILED
    assert refreshed(waiting).state == JobState.QUEUED  # its task is still waiting for a worker
    # A worker that took the task and died before starting the job: reaped too.
    DBTaskResult.objects.filter(pk=refreshed(waiting).task_result_id).update(status="RUNNING")
    assert reap_stale_jobs(now=later) == 1
    assert refreshed(waiting).state == JobState.FAILED


def test_expired_results_are_deleted_and_no_longer_offered(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=1)
    fresh = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=2)
    run_queued_jobs()
    job, fresh = refreshed(job), refreshed(fresh)
    assert job.expires_at is not None
    Job.objects.filter(pk=fresh.pk).update(expires_at=job.expires_at + timedelta(days=1))
    path = job.result_file()
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_results(now=job.expires_at - timedelta(seconds=1)) == 0
        assert delete_expired_results(now=job.expires_at) == 1
    assert not path.exists()
    job = refreshed(job)
    assert (job.state, job.result_path) == (JobState.EXPIRED, "")
    assert refreshed(fresh).result_file().exists()
    client = login("cm_a")
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert _german("The result has been deleted. Start the job again if you still need it.") in (
        client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    )


def test_the_periodic_hook_runs_the_housekeeping(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    _running(django_capture_on_commit_callbacks, persona("cm_a"), steps=1)
    done = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=2)
    run_queued_jobs()
    later = refreshed(done).expires_at
    assert later is not None
    with django_capture_on_commit_callbacks(execute=True):
        first, second = periodic(later), periodic(later)
    assert (first["stale_jobs_failed"], first["expired_results_deleted"]) == (1, 1)
    assert (second["stale_jobs_failed"], second["expired_results_deleted"]) == (0, 0)


def test_the_queues_own_rows_are_pruned_after_the_result_days(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Capture
) -> None:
    done = _done_job(django_capture_on_commit_callbacks, persona("cm_a"))
    died = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=1)
    # As a worker killed in the middle leaves it: claimed, started, never finished.
    DBTaskResult.objects.filter(id=refreshed(died).task_result_id).update(
        status="RUNNING", started_at=timezone.now()
    )
    waiting = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=5)
    assert DBTaskResult.objects.count() == 3
    week = timedelta(days=7)
    assert services.prune_task_rows(now=timezone.now() + week - timedelta(hours=1)) == 0
    # Finished and abandoned rows go, the waiting one stays (whatever its age).
    assert services.prune_task_rows(now=timezone.now() + week + timedelta(hours=1)) == 2
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [
        refreshed(waiting).task_result_id
    ]
    assert refreshed(done).state == JobState.DONE  # the job record users see is untouched


# Pages


def _done_job(capture: Capture, user: User, **params: Any) -> Job:
    job = _start(capture, user, **(params or {"steps": 2}))
    run_queued_jobs()
    return refreshed(job)


def test_the_owner_downloads_the_result_as_an_audited_attachment(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    job = _done_job(django_capture_on_commit_callbacks, persona("cm_a"))
    response = login("cm_a").get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"step 1\nstep 2"  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'attachment; filename="count.txt"'
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    read = AuditEvent.objects.filter(action=AuditAction.READ, object_type="jobs.job", object_id=str(job.pk))
    assert read.get().actor == persona("cm_a")


@pytest.mark.parametrize("other", ["po_a", "team_lead", "cm_b", "dpo", "admin"])
def test_another_users_download_and_status_are_404(
    other: str,
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    job = _done_job(django_capture_on_commit_callbacks, persona("cm_a"))
    client = login(other)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert job.title.encode() not in client.get(reverse("jobs:list")).content


def test_unknown_running_and_expired_downloads_are_404(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    client = login("cm_a")
    assert client.get(reverse("jobs:download", args=[uuid.uuid4()])).status_code == 404
    assert client.get(f"/jobs/{'1' * 5}/download/").status_code == 404
    waiting = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=9)
    assert client.get(reverse("jobs:download", args=[waiting.pk])).status_code == 404
    done = _done_job(django_capture_on_commit_callbacks, persona("cm_a"), steps=4)
    # Past expires_at but the housekeeping has not run yet: gone all the same.
    Job.objects.filter(pk=done.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("jobs:download", args=[done.pk])).status_code == 404


def test_a_user_who_left_the_organisation_no_longer_downloads(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    job = _done_job(django_capture_on_commit_callbacks, persona("cm_a"))
    client = login("cm_a")
    Membership.objects.filter(user=persona("cm_a")).update(ended_on=timezone.localdate())
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_status_fragment_polls_only_while_the_job_waits_or_runs(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    job = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=2)
    client = login("cm_a")
    waiting = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "<progress" in waiting
    run_queued_jobs()
    done = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in done and "<progress" not in done
    assert reverse("jobs:download", args=[job.pk]) in done
    # Half-way (a worker busy with another one), with "n of m" beside the bar.
    running = services.job_claim(
        job_id=_start(django_capture_on_commit_callbacks, persona("cm_a"), steps=7).pk
    )
    assert running is not None
    services.job_progress(job=running, done=1, total=2)
    html = client.get(reverse("jobs:status", args=[running.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html and 'max="2" value="1"' in html
    assert _german("%(done)s of %(total)s") % {"done": 1, "total": 2} in html


def test_my_jobs_lists_the_own_jobs_newest_first_with_constant_queries(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    count_queries: Callable[[], Any],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    user = persona("cm_a")
    client = login("cm_a")
    for step in range(3):
        _start(django_capture_on_commit_callbacks, user, steps=step + 1)
    run_queued_jobs()
    job_start(actor=persona("team_lead"), kind="test.count", params={}, title="Somebody else's job")
    with count_queries() as few:
        page = client.get(reverse("jobs:list"))
    assert page.status_code == 200
    assert [j.pk for j in page.context["page"]] == list(
        Job.objects.filter(created_by=user).order_by("-created_at").values_list("pk", flat=True)
    )
    assert b"Somebody else" not in page.content
    for step in range(3, 30):
        job_start(actor=user, kind="test.count", params={"steps": step + 1}, title=f"Job {step}")
    with count_queries() as many:
        page = client.get(reverse("jobs:list"))
    assert many.count == few.count
    assert len(page.context["page"]) == 25
    assert client.get(reverse("jobs:list") + "?page=2").context["page"].number == 2


def test_every_signed_in_user_has_my_jobs_in_the_navigation(login: Callable[[str], Client]) -> None:
    for key in ["cm_a", "coordinator", "admin", "user_c"]:
        assert reverse("jobs:list").encode() in login(key).get(reverse("core:dashboard")).content


def test_watching_a_job_stops_polling_after_one_idle_period(
    persona: Callable[[str], User], login: Callable[[str], Client], settings: Any
) -> None:
    """Each poll renews the idle session: a screen left alone with a waiting job must not
    stay signed in until the absolute limit."""
    job = job_start(actor=persona("cm_a"), kind="test.count", params={}, title="t")
    client = login("cm_a")
    url = reverse("jobs:status", args=[job.pk])
    first = client.get(url).content.decode()
    assert f"{url}?since=" in first
    recent = int(time.time()) - settings.SESSION_COOKIE_AGE + 60
    assert 'hx-trigger="every 2s"' in client.get(f"{url}?since={recent}").content.decode()
    watched_long = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    ended = client.get(f"{url}?since={watched_long}").content.decode()
    assert "hx-trigger" not in ended
    assert (
        _german("This display no longer updates itself. Reload the page to see the current state.") in ended
    )
    for nonsense in ["abc", "99999999999999999999", str(int(time.time()) + 1000), "-5"]:
        assert 'hx-trigger="every 2s"' in client.get(f"{url}?since={nonsense}").content.decode()


def test_the_status_shows_the_state_as_a_badge_and_a_failure_as_an_alert(
    persona: Callable[[str], User],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    client = login("cm_a")
    waiting = _start(django_capture_on_commit_callbacks, persona("cm_a"), steps=2)
    html = client.get(reverse("jobs:status", args=[waiting.pk])).content.decode()
    assert '<span class="kern-badge kern-badge--info"><span class="kern-label">' in html
    assert '<div class="kern-progress"><progress' in html
    run_queued_jobs()
    done = client.get(reverse("jobs:status", args=[waiting.pk])).content.decode()
    assert "kern-badge--success" in done and "kern-alert" not in done
    failing = _start(django_capture_on_commit_callbacks, persona("cm_a"), kind="test.explode", note_id=4711)
    run_queued_jobs()
    failed = client.get(reverse("jobs:status", args=[failing.pk])).content.decode()
    assert "kern-badge--danger" in failed
    alert = failed.split('class="kern-alert kern-alert--danger"')[1]
    assert _german(JobFailed.default_message) in alert
