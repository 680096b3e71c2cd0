"""Benchmark: the data-subject access report (Art. 15 GDPR) of a participant with a long case.

Usage (PostgreSQL is where the target applies):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench_cases \\
        .venv/bin/python bench/privacy.py --contacts 1000 10000

For each size, a case of a fixed demo participant gets that many counselling contacts (the
same data as bench/cases.py, so both can share a database), each contact one audit event;
then the report is requested as HTML and JSON by the case manager, and the PDF is made
once per size: in the request, or, over ACCESS_REPORT_PDF_MAX_ROWS, as the background job
the page then offers (started through its service and run by the job runner in this
process, as the worker runs it; the time is the job's, from start to result file; the
peak memory is that of the rendering process).
"""

from __future__ import annotations

import argparse
import resource
import time

from cases import demo_cases
from common import analyze, measure, print_header, setup, signed_in


def _audit_events(case_pk: int) -> None:
    """One 'created' event per contact, as the contact service writes them."""
    from bruecke.cases.models import Case
    from bruecke.core.models import AuditAction, AuditEvent

    case = Case.objects.get(pk=case_pk)
    known = set(AuditEvent.objects.filter(object_type="cases.contact").values_list("object_id", flat=True))
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=case.case_manager,
            action=AuditAction.CREATE,
            object_type="cases.contact",
            object_id=str(pk),
            organisation_id=case.organisation_id,
            changed_fields=["date", "note"],
        )
        for pk in case.contacts.values_list("pk", flat=True)
        if str(pk) not in known
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup()
    from bruecke.cases.models import Case

    demo, case_ids = demo_cases(args.contacts)
    for pk in case_ids.values():
        _audit_events(pk)
    analyze()
    client = signed_in(demo.users["cm_a"])
    print_header()
    for size, pk in case_ids.items():
        participant = Case.objects.get(pk=pk).participant_id
        base = f"/privacy/participant/{participant}/access-report"
        measure(client, f"report (HTML), {size} contacts", f"{base}/", args.runs)
        measure(client, f"report (JSON), {size} contacts", f"{base}.json", args.runs)
    for size, pk in case_ids.items():
        _time_pdf(client, Case.objects.get(pk=pk).participant_id, size)


def _time_pdf(client: object, participant: int, size: int) -> None:
    from django.conf import settings

    from bruecke.accounts.models import User
    from bruecke.participants.models import Participant
    from bruecke.privacy.subject_access import build_report

    person = Participant.objects.get(pk=participant)
    rows = build_report(participant=person, user=User.objects.get(username="anna.berger")).rows
    if rows > settings.ACCESS_REPORT_PDF_MAX_ROWS:
        _time_pdf_job(person, size, rows)
        return
    started = time.perf_counter()
    response = client.get(f"/privacy/participant/{participant}/access-report.pdf")  # type: ignore[attr-defined]
    length = len(b"".join(response.streaming_content))
    seconds = time.perf_counter() - started
    print(f"PDF, {size} contacts: {rows} rows, {seconds:.1f} s, {length / 1e6:.2f} MB")


def _time_pdf_job(person: object, size: int, rows: int) -> None:
    """The PDF of a report over the row limit, made as a background job."""
    from bruecke.accounts.models import User
    from bruecke.jobs import runner
    from bruecke.jobs.models import Job
    from bruecke.privacy.services import access_report_pdf_job_start

    user = User.objects.get(username="anna.berger")
    started = time.perf_counter()
    job = access_report_pdf_job_start(actor=user, participant=person, language="de")  # type: ignore[arg-type]
    state = runner.run(str(job.pk))
    seconds = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"PDF as a job, {size} contacts: {rows} rows, {state}, {seconds:.1f} s, "
        f"{(job.result_size or 0) / 1e6:.2f} MB, rendering process peak RSS {child_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
