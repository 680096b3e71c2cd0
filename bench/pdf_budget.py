"""Benchmark: the slowest PDFs the rendering budget still admits.

Usage (SQLite is enough: the time is WeasyPrint's, not the database's):

    DATABASE_URL=sqlite:////tmp/bruecke_bench_pdf.sqlite3 \\
        .venv/bin/python bench/pdf_budget.py --contacts 1 2 5 --runs 1

(`max` after two sizes, e.g. `--contacts 1 2 max`, renders the largest admitted report: with
notes of maximal length that takes most of an hour; see docs/benchmarks.md.)

`core.pdf` refuses HTML over PDF_MAX_HTML_CHARS (or a text block over PDF_MAX_TEXT_BLOCK)
before WeasyPrint starts, and the access report over ACCESS_REPORT_PDF_MAX_ROWS. The
wall-clock limit PDF_RENDER_TIMEOUT_SECONDS is lifted here, so the figures show how long the
worst case below the size budget would take without it:

(a) the access report of one participant whose contacts all carry notes of the form's
    maximum length (TEXT_MAX_LENGTH), long unbroken words of mixed Arabic and Latin, for
    each of --contacts; `max` is the largest number the budget admits (the HTML budget or
    the row limit, whichever binds first), estimated from the smaller sizes;
(b) the integration-plan PDF with MAX_GOALS goals of MAX_STEPS steps each, every text at
    the form's maximum length (fewer goals if the HTML budget refuses the full plan);
(c) the access report of a participant with a single note of maximum length made of one
    unbroken word.

Each PDF is requested through the full Django stack as the case manager, in Arabic (right
to left, the harder layout); `render_pdf` is wrapped to record the HTML size and the time
WeasyPrint takes. Peak memory is the process's peak RSS so far (cases run smallest first).
"""

from __future__ import annotations

import argparse
import datetime
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

from cases import _case_with_contacts, contact_events
from common import setup, signed_in
from privacy import _audit_events

LATIN = "Bewerbungsunterlagen"
ARABIC = "المستنداتللتقديم"
RUNS = [3]  # --runs; one only when a run takes over a minute
SLOW_SECONDS = 60.0


def adversarial_text(length: int, word: int) -> str:
    """`length` characters of unbroken words `word` characters long, Arabic and Latin mixed
    inside each word (every script change is a new bidi run for the layout)."""
    unit = LATIN + ARABIC
    words = []
    total = 0
    while total < length:
        size = min(word, length - total)
        words.append((unit * (size // len(unit) + 1))[:size])
        total += size + 1
    return " ".join(words)[:length]


class Recorder:
    """Wraps core.pdf.render_pdf: the HTML size and WeasyPrint's time of the last call."""

    def __init__(self) -> None:
        from bruecke.core import pdf

        self.html_chars = 0
        self.seconds = 0.0
        self._original: Callable[..., bytes] = pdf.render_pdf
        pdf.render_pdf = self._render

    def _render(self, html: str, stylesheets: Any, **options: Any) -> bytes:
        self.html_chars = len(html)
        started = time.perf_counter()
        try:
            return self._original(html, stylesheets, **options)
        finally:
            self.seconds = time.perf_counter() - started


def peak_rss_mb() -> float:
    # WeasyPrint renders in a child process (core.pdf_worker): the larger of the two peaks.
    peaks = (resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return max(peaks) / 1024  # KiB on Linux


COLUMNS = (("HTML chars", 11), ("rows", 6), ("runs", 4), ("render s", 9), ("request s", 9), ("PDF MB", 7))


def print_header() -> None:
    print(f"{'case':<44} " + " ".join(f"{name:>{width}}" for name, width in COLUMNS) + " peak RSS MB")


def time_pdf(client: Any, recorder: Recorder, label: str, path: str, rows: int | str) -> bool:
    """Requests the PDF up to --runs times (once if it takes over a minute) and prints medians;
    False if the budget refused it (the view redirects to the page to print)."""
    renders: list[float] = []
    requests: list[float] = []
    size = 0
    for _run in range(RUNS[0]):
        recorder.html_chars, recorder.seconds = 0, 0.0
        started = time.perf_counter()
        response = client.get(path)
        if response.status_code != 200:
            refused = f"refused by the budget ({response.status_code})"
            print(f"{label:<44} {recorder.html_chars:>11,} {rows:>6} {refused}")
            return False
        size = len(b"".join(response.streaming_content))
        requests.append(time.perf_counter() - started)
        renders.append(recorder.seconds)
        if requests[-1] > SLOW_SECONDS:
            break
    render, request = statistics.median(renders), statistics.median(requests)
    print(
        f"{label:<44} {recorder.html_chars:>11,} {rows:>6} {len(renders):>4} {render:>9.1f}"
        f" {request:>9.1f} {size / 1e6:>7.2f} {peak_rss_mb():>11.0f}"
    )
    return True


def set_notes(case_pk: int, count: int, note: str) -> None:
    """The case holds exactly `count` contacts (more are added), every note `note`."""
    from bruecke.cases.models import Case, Contact

    case = Case.objects.get(pk=case_pk)
    manager = case.case_manager
    missing = count - case.contacts.count()
    contacts = Contact.objects.bulk_create(
        Contact(
            case=case,
            date=case.opened_on + datetime.timedelta(days=i % 3000),
            duration_minutes=45,
            channel="office",
            note=note,
            recorded_by=manager,
        )
        for i in range(max(missing, 0))
    )
    contact_events(case, manager, contacts)
    _audit_events(case_pk)


def report_rows(participant_pk: int) -> int:
    from bruecke.accounts.models import User
    from bruecke.participants.models import Participant
    from bruecke.privacy.subject_access import build_report

    person = Participant.objects.get(pk=participant_pk)
    return build_report(participant=person, user=User.objects.get(username="anna.berger")).rows


def access_reports(client: Any, recorder: Recorder, case_pk: int, sizes: list[str]) -> None:
    """Case (a): the report at each size; `max` is estimated from the two sizes before it."""
    from django.conf import settings

    from bruecke.cases.models import Case
    from bruecke.core.forms import TEXT_MAX_LENGTH

    note = adversarial_text(TEXT_MAX_LENGTH, word=1000)
    participant = Case.objects.get(pk=case_pk).participant_id
    path = f"/privacy/participant/{participant}/access-report.pdf?lang=ar"
    seen: list[tuple[int, int, int]] = []  # contacts, HTML chars, rows
    for size in sizes:
        count = int(size) if size != "max" else _largest_admitted(seen, settings)
        set_notes(case_pk, count, note)
        rows = report_rows(participant)
        time_pdf(client, recorder, f"(a) access report, {count} notes of {TEXT_MAX_LENGTH:,}", path, rows)
        seen.append((count, recorder.html_chars, rows))


def _largest_admitted(seen: list[tuple[int, int, int]], settings: Any) -> int:
    """Contacts at which the HTML budget or the row limit binds (both grow linearly)."""
    (n1, html1, rows1), (n2, html2, rows2) = seen[-2], seen[-1]
    html_each, rows_each = (html2 - html1) / (n2 - n1), (rows2 - rows1) / (n2 - n1)
    by_html = n2 + int((settings.PDF_MAX_HTML_CHARS - html2) // html_each)
    by_rows = n2 + int((settings.ACCESS_REPORT_PDF_MAX_ROWS - rows2) // rows_each)
    binding = "HTML budget" if by_html <= by_rows else "row limit"
    print(f"    estimate: {html_each:,.0f} HTML chars and {rows_each:.1f} rows per contact;")
    print(f"    the {binding} binds first: {by_html} contacts by HTML, {by_rows} by rows")
    return min(by_html, by_rows)


def plan_pdf(client: Any, recorder: Recorder, case_pk: int) -> None:
    """Case (b): the largest plan the forms allow, fewer goals until the budget admits it."""
    from bruecke.cases.forms.plan import MAX_GOALS, MAX_STEPS, GoalForm, StepForm
    from bruecke.cases.models import Case, Plan, PlanVersion

    case = Case.objects.get(pk=case_pk)

    def longest(form: Any, name: str) -> int:
        return int(form.base_fields[name].max_length)

    step = {
        "description": adversarial_text(longest(StepForm, "description"), word=300),
        "responsible": "other",
        "responsible_name": adversarial_text(longest(StepForm, "responsible_name"), word=100),
        "due_on": "2027-06-30",
        "status": "open",
    }
    goal = {
        "title": adversarial_text(longest(GoalForm, "title"), word=200),
        "target_on": "2027-12-31",
        "status": "open",
    }
    plan, _created = Plan.objects.get_or_create(
        case=case,
        defaults={"made_on": case.opened_on, "agreed_on": case.opened_on, "created_by": case.case_manager},
    )
    for goals in range(MAX_GOALS, 0, -5):
        snapshot = {"goals": [{**goal, "steps": [step] * MAX_STEPS} for _ in range(goals)]}
        number = plan.versions.count() + 1
        PlanVersion.objects.create(
            plan=plan,
            number=number,
            agreed_on=plan.agreed_on,
            created_by=case.case_manager,
            snapshot=snapshot,
        )
        label = f"(b) plan, {goals} goals x {MAX_STEPS} steps"
        if time_pdf(client, recorder, label, f"/cases/{case.pk}/plan/print.pdf?lang=ar", goals * MAX_STEPS):
            return


def single_word(client: Any, recorder: Recorder, case_pk: int) -> None:
    """Case (c): one note of maximum length, one unbroken word."""
    from bruecke.cases.models import Case
    from bruecke.core.forms import TEXT_MAX_LENGTH

    set_notes(case_pk, 1, adversarial_text(TEXT_MAX_LENGTH, word=TEXT_MAX_LENGTH))
    participant = Case.objects.get(pk=case_pk).participant_id
    path = f"/privacy/participant/{participant}/access-report.pdf?lang=ar"
    label = f"(c) access report, 1 word of {TEXT_MAX_LENGTH:,}"
    time_pdf(client, recorder, label, path, report_rows(participant))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", nargs="+", default=["1", "2", "5"])
    parser.add_argument("--cases", default="abc", help="which cases to run, e.g. 'bc'")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    RUNS[0] = args.runs
    setup()
    from django.conf import settings

    # The benchmark measures how long rendering takes to the end, not the time limit.
    settings.PDF_RENDER_TIMEOUT_SECONDS = 86_400

    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo

    # Three cases of fixed demo participants, without contacts to begin with.
    demo = seed_network()
    participants_demo.seed_fixed(demo)
    case_ids = [_case_with_contacts(demo, name, 0) for name in ("Rahimi", "Schewtschenko", "Hussein")]
    client = signed_in(demo.users["cm_a"])
    recorder = Recorder()
    print(
        f"PDF_MAX_HTML_CHARS={settings.PDF_MAX_HTML_CHARS:,}"
        f" ACCESS_REPORT_PDF_MAX_ROWS={settings.ACCESS_REPORT_PDF_MAX_ROWS:,}"
    )
    print_header()
    if "c" in args.cases:
        single_word(client, recorder, case_ids[1])
    if "b" in args.cases:
        plan_pdf(client, recorder, case_ids[2])
    if "a" in args.cases:
        access_reports(client, recorder, case_ids[0], args.contacts)


if __name__ == "__main__":
    main()
