"""PDFs too large for a request are made as background jobs: the access report (Art. 15
GDPR) over its row limit or budget, and the integration plan. Real worker runs (the task
worker of django-tasks-db), real PDFs read back with pdftotext, real audit events."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, PlanVersion
from bruecke.core.audit_queries import names_record
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.core.submission import TOKEN_FIELD
from bruecke.jobs.models import Job, JobState
from bruecke.jobs.pdf import STAGES as PDF_STAGES
from bruecke.jobs.services import JobInputGone
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role
from bruecke.participants.models import Participant
from bruecke.privacy import jobs as report_jobs
from bruecke.privacy.subject_access import build_report
from tests.jobs_helpers import refreshed, run_queued_jobs
from tests.test_jobs_worker import WorkerDatabase, _manage
from tests.test_jobs_worker import worker_db as worker_db  # the fixture: the test database for a process
from tests.test_pdf_timeout import _slow_table

T = TypeVar("T")
REPORT = "privacy:access_report"
START = "privacy:access_report_pdf_job"
PLAN_START = "cases:plan_pdf_job"


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _case(demo: DemoNetwork) -> Case:
    return Case.objects.get(participant=_mohammed(demo))


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S607
    # pdftotext marks right-to-left runs with bidi controls and breaks lines where the PDF
    # does; the words are what counts.
    text = re.sub("[\u202a-\u202e\u200e\u200f\u2066-\u2069]", "", result.stdout.decode())
    return " ".join(text.split())


def _direct_pdf(client: Client, participant: Participant) -> bytes:
    """The PDF made during the request (the row limit lifted for it)."""
    from django.test import override_settings

    with override_settings(ACCESS_REPORT_PDF_MAX_ROWS=100_000):
        response = client.get(reverse("privacy:access_report_pdf", args=[participant.pk]), {"lang": "de"})
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, name
    return found.group(1)


def _events(action: AuditAction, object_type: str, object_id: object) -> int:
    return AuditEvent.objects.filter(action=action).filter(names_record(object_type, object_id)).count()


@pytest.fixture
def over_the_row_limit(demo: DemoNetwork, settings: Any) -> Participant:
    """Mohammed's report is one row over a lowered ACCESS_REPORT_PDF_MAX_ROWS."""
    mohammed = _mohammed(demo)
    settings.ACCESS_REPORT_PDF_MAX_ROWS = build_report(participant=mohammed, user=demo.users["cm_a"]).rows - 1
    return mohammed


Committed = Callable[[Callable[[], T]], T]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Committed[Any]:
    """Runs a request as if its transaction committed: jobs are queued on commit, and the
    test client commits nothing."""

    def run(request: Callable[[], T]) -> T:
        with django_capture_on_commit_callbacks(execute=True):
            return request()

    return run


def _start_report_job(client: Client, participant: Participant, language: str = "en") -> Any:
    page = client.get(reverse(REPORT, args=[participant.pk]), {"lang": language}).content.decode()
    data = {"lang": _hidden(page, "lang"), TOKEN_FIELD: _hidden(page, TOKEN_FIELD)}
    return client.post(reverse(START, args=[participant.pk]), data), data


def test_a_report_over_the_row_limit_is_made_as_a_job_and_downloaded(
    login: Callable[[str], Client], over_the_row_limit: Participant, django_capture_on_commit_callbacks: Any
) -> None:
    mohammed = over_the_row_limit
    client = login("cm_a")
    # The refusal is gone: the PDF link leads to the page, which offers the job.
    response = client.get(reverse("privacy:access_report_pdf", args=[mohammed.pk]), {"lang": "en"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'id="pdf-job-notice"' in page and 'id="pdf-notice"' not in page
    assert reverse(START, args=[mohammed.pk]) in page
    assert reverse("privacy:access_report_pdf", args=[mohammed.pk]) not in page
    assert reverse("privacy:access_report_json", args=[mohammed.pk]) in page

    copies = _events(AuditAction.SUBJECT_ACCESS, "participants.participant", mohammed.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response, _data = _start_report_job(client, mohammed)
    assert response.status_code == 302
    assert response["Location"] == reverse(REPORT, args=[mohammed.pk]) + "?lang=en&pdf=job#pdf-job"
    job = Job.objects.get(kind=report_jobs.KIND)
    assert job.params == {"participant_id": mohammed.pk, "language": "en"}
    assert "Al-Hassan" not in job.title and "Mohammed" not in job.title and str(mohammed.pk) in job.title
    # The start is a copy of the report (+1); the page shown before it another one (+1).
    assert _events(AuditAction.SUBJECT_ACCESS, "participants.participant", mohammed.pk) == copies + 2

    waiting = client.get(reverse(REPORT, args=[mohammed.pk]), {"lang": "en"}).content.decode()
    assert f'id="job-status-{job.pk}"' in waiting and 'data-state="queued"' in waiting
    assert reverse("jobs:status", args=[job.pk]) in waiting  # polled with htmx
    assert reverse(START, args=[mohammed.pk]) not in waiting  # no second start while it waits

    assert run_queued_jobs() == 1
    job = refreshed(job)
    assert job.state == JobState.DONE, job.error_message
    assert (job.progress_done, job.progress_total) == (PDF_STAGES, PDF_STAGES)
    assert job.result_filename.startswith(f"auskunft-{mohammed.pk}-") and job.result_filename.endswith(".pdf")

    done = client.get(reverse(REPORT, args=[mohammed.pk]), {"lang": "en"}).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in done
    assert reverse("jobs:download", args=[job.pk]) in client.get(reverse("jobs:list")).content.decode()

    before = _events(AuditAction.SUBJECT_ACCESS, "participants.participant", mohammed.pk)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert "Al-Hassan" not in download["Content-Disposition"]
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    text = _pdf_text(content)
    for words in ("Access to personal data", "Al-Hassan", "Counselling contacts", "Who used the data"):
        assert words in text, words
    # Handing out the copy is recorded on the participant, like the direct download.
    assert _events(AuditAction.SUBJECT_ACCESS, "participants.participant", mohammed.pk) == before + 1


def test_the_job_reads_with_the_starters_confidentiality(
    login: Callable[[str], Client], over_the_row_limit: Participant, on_commit: Committed[Any]
) -> None:
    # The team lead may make the report, but not read confidential notes: the job's copy
    # withholds them as the page does.
    from bruecke.cases.models import Contact

    mohammed = over_the_row_limit
    response, _data = on_commit(lambda: _start_report_job(login("team_lead"), mohammed, language="de"))
    assert response.status_code == 302
    assert run_queued_jobs() == 1
    job = refreshed(Job.objects.get(kind=report_jobs.KIND))
    assert job.state == JobState.DONE, job.error_message
    text = _pdf_text(job.result_file().read_bytes())
    assert "Auskunft über Ihre personenbezogenen Daten" in text
    confidential = Contact.objects.filter(case__participant=mohammed, confidential=True)
    # A word only the demo's confidential note holds (short notes wrap inside their column,
    # so pdftotext does not give them back as one line).
    assert any("Flucht" in c.note for c in confidential)
    assert "Flucht" not in text
    assert "Flucht" in _pdf_text(_direct_pdf(login("cm_a"), mohammed))  # the case manager's copy


def test_a_small_report_still_downloads_directly(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    client = login("cm_a")
    page = client.get(reverse(REPORT, args=[mohammed.pk])).content.decode()
    assert reverse("privacy:access_report_pdf", args=[mohammed.pk]) in page
    assert reverse(START, args=[mohammed.pk]) not in page and 'id="pdf-job"' not in page
    response = client.get(reverse("privacy:access_report_pdf", args=[mohammed.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert not Job.objects.exists()


def test_a_report_over_the_request_budget_is_offered_as_a_job(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any
) -> None:
    settings.PDF_MAX_HTML_CHARS = 10_000  # the report's HTML is larger: too large for a request
    mohammed = _mohammed(demo)
    client = login("cm_a")
    response = client.get(reverse("privacy:access_report_pdf", args=[mohammed.pk]), {"lang": "de"})
    assert response.status_code == 302 and response["Location"].endswith("&pdf=job")
    page = client.get(response["Location"]).content.decode()
    assert reverse(START, args=[mohammed.pk]) in page
    data = {"lang": _hidden(page, "lang"), TOKEN_FIELD: _hidden(page, TOKEN_FIELD)}
    started = client.post(reverse(START, args=[mohammed.pk]), data)
    after = client.get(started["Location"]).content.decode()  # the report, with its job
    job = Job.objects.get(kind=report_jobs.KIND)
    assert f'id="job-status-{job.pk}"' in after
    assert reverse("privacy:access_report_pdf", args=[mohammed.pk]) not in after  # no dead end


def test_a_report_too_slow_for_the_request_is_offered_as_a_job(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any
) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.01  # no PDF is made in time during a request
    mohammed = _mohammed(demo)
    response = login("cm_a").get(reverse("privacy:access_report_pdf", args=[mohammed.pk]), {"lang": "de"})
    assert response.status_code == 302 and response["Location"].endswith("&pdf=job")


def test_two_posts_of_the_same_form_start_one_job(
    login: Callable[[str], Client], over_the_row_limit: Participant, on_commit: Committed[Any]
) -> None:
    client = login("cm_a")
    first, data = on_commit(lambda: _start_report_job(client, over_the_row_limit))
    second = on_commit(lambda: client.post(reverse(START, args=[over_the_row_limit.pk]), data))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    # Another form (a tab opened before) while the first job waits gets that same job.
    other = {**data, TOKEN_FIELD: "another-rendering"}
    third = on_commit(lambda: client.post(reverse(START, args=[over_the_row_limit.pk]), other))
    assert third.status_code == 302
    assert Job.objects.filter(kind=report_jobs.KIND).count() == 1


def test_a_user_who_lost_access_gets_a_failed_job_with_a_message(
    login: Callable[[str], Client],
    over_the_row_limit: Participant,
    demo: DemoNetwork,
    on_commit: Committed[Any],
) -> None:
    client = login("cm_a")
    on_commit(lambda: _start_report_job(client, over_the_row_limit))
    # Before the worker runs, Anna becomes a placement officer: she may no longer make it.
    Membership.objects.filter(user=demo.users["cm_a"]).update(role=Role.PLACEMENT_OFFICER)
    assert run_queued_jobs() == 1
    job = refreshed(Job.objects.get(kind=report_jobs.KIND))
    assert job.state == JobState.FAILED and not job.result_path
    assert job.error_message == JobInputGone.default_message
    # She reads why on "Meine Aufträge" (in German), and no result is offered.
    listed = client.get(reverse("jobs:list")).content.decode()
    assert "ist für Sie nicht mehr zugänglich" in listed
    assert reverse("jobs:download", args=[job.pk]) not in listed


def test_a_participant_deleted_before_the_job_ran_gives_a_failed_job(
    login: Callable[[str], Client],
    over_the_row_limit: Participant,
    demo: DemoNetwork,
    on_commit: Committed[Any],
) -> None:
    on_commit(lambda: _start_report_job(login("cm_a"), over_the_row_limit))
    # Deleted with everything about the person: the case first, through its service (the
    # audit log keeps the events).
    from bruecke.cases.services.case_edit import case_delete

    for case in Case.objects.filter(participant=over_the_row_limit):
        case_delete(actor=demo.users["team_lead"], case=case, reason="erasure_request")
    Participant.objects.filter(pk=over_the_row_limit.pk).delete()
    assert run_queued_jobs() == 1
    job = refreshed(Job.objects.get(kind=report_jobs.KIND))
    assert job.state == JobState.FAILED
    assert job.error_message == JobInputGone.default_message


def test_the_result_is_not_handed_out_after_access_was_lost(
    login: Callable[[str], Client],
    over_the_row_limit: Participant,
    demo: DemoNetwork,
    on_commit: Committed[Any],
) -> None:
    client = login("cm_a")
    on_commit(lambda: _start_report_job(client, over_the_row_limit))
    assert run_queued_jobs() == 1
    job = refreshed(Job.objects.get(kind=report_jobs.KIND))
    assert job.state == JobState.DONE
    Membership.objects.filter(user=demo.users["cm_a"]).update(role=Role.PLACEMENT_OFFICER)
    copies = _events(AuditAction.SUBJECT_ACCESS, "participants.participant", over_the_row_limit.pk)
    assert login("cm_a").get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert _events(AuditAction.SUBJECT_ACCESS, "participants.participant", over_the_row_limit.pk) == copies


@pytest.mark.parametrize("outsider", ["po_a", "cm_b", "dpo", "user_c"])
def test_only_who_may_download_the_pdf_may_start_the_job(
    login: Callable[[str], Client], over_the_row_limit: Participant, outsider: str
) -> None:
    response = login(outsider).post(reverse(START, args=[over_the_row_limit.pk]), {"lang": "de"})
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_job_that_renders_too_long_fails_with_a_message(
    login: Callable[[str], Client],
    over_the_row_limit: Participant,
    settings: Any,
    on_commit: Committed[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.JOB_PDF_TIMEOUT_SECONDS = 0.01
    on_commit(lambda: _start_report_job(login("cm_a"), over_the_row_limit))
    with caplog.at_level(logging.INFO):
        assert run_queued_jobs() == 1
    job = refreshed(Job.objects.get(kind=report_jobs.KIND))
    assert job.state == JobState.FAILED and job.error_message == report_jobs.TOO_SLOW
    assert not job.result_path
    listed = login("cm_a").get(reverse("jobs:list")).content.decode()
    assert "Druckfunktion Ihres Browsers" in listed  # the German message, with what to do instead
    # The operator learns that and where it failed, never about whom.
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "PDF rendering stopped" in logged and str(job.pk) in logged
    for personal in ("Al-Hassan", "Mohammed", "Muhammad"):
        assert personal not in logged


def test_a_job_renders_what_a_request_would_stop(settings: Any) -> None:
    # A document that takes longer than the request's limit is made within the job's.
    from bruecke.core import pdf

    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.01
    settings.JOB_PDF_TIMEOUT_SECONDS = 120
    html = _slow_table(1)
    with pytest.raises(pdf.PdfTooSlow):
        pdf.render_pdf(html, ("css/print.css", "css/access-report.css"))
    assert pdf.render_pdf(html, ("css/print.css", "css/access-report.css"), job=True).startswith(b"%PDF")


# --- The integration plan ------------------------------------------------------------------


def test_a_plan_too_large_for_a_request_is_made_as_a_job(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PDF_MAX_HTML_CHARS = 1_000  # the plan's HTML is larger: too large for a request
    case = _case(demo)
    version = PlanVersion.objects.filter(plan__case=case).first()
    assert version is not None
    client = login("po_a")  # readers of the case may download the plan's PDF
    response = client.get(reverse("cases:plan_pdf", args=[case.pk]), {"lang": "de"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:plan_print", args=[case.pk]) + "?lang=de&pdf=job"
    page = client.get(response["Location"]).content.decode()
    assert 'id="pdf-job-notice"' in page and reverse(PLAN_START, args=[case.pk]) in page
    assert "Deutsch B1" in page  # the print page stays available

    reads = _events(AuditAction.READ, "cases.planversion", version.pk)
    data = {"lang": _hidden(page, "lang"), TOKEN_FIELD: _hidden(page, TOKEN_FIELD)}
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse(PLAN_START, args=[case.pk]), data)
    assert started.status_code == 302
    job = Job.objects.get(kind="cases.plan_pdf")
    assert job.params == {"case_id": case.pk, "version": version.number, "language": "de"}
    assert "Al-Hassan" not in job.title
    assert _events(AuditAction.READ, "cases.planversion", version.pk) == reads + 1

    assert run_queued_jobs() == 1
    job = refreshed(job)
    assert job.state == JobState.DONE, job.error_message
    assert job.progress_done == job.progress_total == 3
    shown = client.get(started["Location"]).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in shown

    reads = _events(AuditAction.READ, "cases.planversion", version.pk)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    filename = f"integrationsplan-{case.pk}-v{version.number}.pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{filename}"'
    text = _pdf_text(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert "Integrationsplan" in text and "Deutsch B1" in text
    assert _events(AuditAction.READ, "cases.planversion", version.pk) == reads + 1  # handed out


def test_a_plan_too_slow_for_a_request_offers_the_job(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any
) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.01
    case = _case(demo)
    response = login("cm_a").get(reverse("cases:plan_pdf", args=[case.pk]))
    assert response.status_code == 302 and response["Location"].endswith("&pdf=job")
    assert login("cm_a").get(response["Location"]).status_code == 200


def test_a_plan_job_for_a_deleted_case_fails_with_a_message(
    login: Callable[[str], Client], demo: DemoNetwork, on_commit: Committed[Any]
) -> None:
    from bruecke.cases.services.case_edit import case_delete

    case = _case(demo)
    response = on_commit(lambda: login("cm_a").post(reverse(PLAN_START, args=[case.pk]), {"lang": "de"}))
    assert response.status_code == 302
    case_delete(actor=demo.users["team_lead"], case=case, reason="duplicate")
    assert run_queued_jobs() == 1
    job = refreshed(Job.objects.get(kind="cases.plan_pdf"))
    assert job.state == JobState.FAILED and job.error_message == JobInputGone.default_message


@pytest.mark.parametrize("outsider", ["cm_b", "coordinator", "user_c"])
def test_only_readers_of_the_case_may_start_the_plan_job(
    login: Callable[[str], Client], demo: DemoNetwork, outsider: str
) -> None:
    response = login(outsider).post(reverse(PLAN_START, args=[_case(demo).pk]), {"lang": "de"})
    assert response.status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("environment", "accepted"),
    [
        ({"JOB_PDF_TIMEOUT_SECONDS": "59"}, False),
        ({"JOB_PDF_TIMEOUT_SECONDS": "half an hour"}, False),
        ({"JOB_PDF_TIMEOUT_SECONDS": "60"}, True),
        ({"JOB_PDF_TIMEOUT_SECONDS": "60", "PDF_RENDER_TIMEOUT_SECONDS": "90"}, False),
        ({}, True),
    ],
)
def test_operators_set_the_job_time_limit_in_seconds_not_below_the_requests(
    environment: dict[str, str], accepted: bool
) -> None:
    from tests.test_pdf_timeout import _python

    result = _python(
        "from django.conf import settings; print(settings.JOB_PDF_TIMEOUT_SECONDS)",
        DJANGO_SETTINGS_MODULE="bruecke.settings",
        **environment,
    )
    assert (result.returncode == 0) is accepted, result.stderr
    if accepted:
        assert result.stdout.strip() == environment.get("JOB_PDF_TIMEOUT_SECONDS", "1800")
    else:
        assert "JOB_PDF_TIMEOUT_SECONDS" in result.stderr


def test_a_run_worker_process_makes_the_large_report(
    worker_db: WorkerDatabase, persona: Callable[[str], Any]
) -> None:
    """The worker as operators run it (`manage.py run_worker --batch`, a process of its own)
    makes the PDF of a report over the row limit, with its progress in stages."""
    from bruecke.network.demo import seed_network
    from bruecke.participants.demo import seed_fixed
    from bruecke.privacy.services import access_report_pdf_job_start

    seed_fixed(seed_network())
    mohammed = Participant.objects.get(family_name="Al-Hassan", given_names="Mohammed")
    # Transactional test: the start commits, so the task is queued at once.
    job = access_report_pdf_job_start(actor=persona("cm_a"), participant=mohammed, language="de")
    worker_db.share()
    worker = _manage("run_worker", "--batch", "--no-startup-delay", "-v0", env=worker_db.env)
    try:
        assert worker.wait(timeout=120) == 0, worker.stdout.read() if worker.stdout else ""
    finally:
        worker.kill()
    assert worker_db.job_row(job) == ("done", PDF_STAGES, PDF_STAGES)
    worker_db.take_back()
    job = refreshed(job)
    text = _pdf_text(job.result_file().read_bytes())
    assert "Auskunft über Ihre personenbezogenen Daten" in text and "Al-Hassan" in text
