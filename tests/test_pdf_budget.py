"""PDFs cannot be stalled: long words get break opportunities, oversized documents are
refused before rendering, and rendering never happens inside a database transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from bruecke.cases.models import Case, Contact
from bruecke.core import pdf
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant

REPORT_STYLES = ("css/print.css", "css/access-report.css")


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _record(text: str) -> str:
    return (
        '<html><body class="sheet report-sheet"><main><dl class="record"><dt>Notiz</dt>'
        f'<dd>{text}</dd></dl><table class="records"><tr><td>x</td><td>{text}</td></tr></table>'
        "</main></body></html>"
    )


def test_long_words_get_break_opportunities_but_markup_and_entities_stay_whole() -> None:
    html = '<p title="' + "t" * 80 + '">' + "a" * 70 + " kurz &amp;" + "b" * 31 + "</p>"
    result = pdf.breakable(html)
    assert 'title="' + "t" * 80 + '"' in result  # attributes untouched
    assert ">" + "a" * 30 + "\u200b" + "a" * 30 + "\u200b" + "a" * 10 + " kurz &amp;" in result
    assert "b" * 30 + "\u200b" + "b" in result
    assert pdf.breakable("<p>" + "c" * 30 + "</p>") == "<p>" + "c" * 30 + "</p>"


def test_a_long_unbroken_word_renders_in_seconds() -> None:
    # Before break opportunities, 2,000 characters here took 71 s; the limit of a note is 10,000.
    started = time.monotonic()
    body = pdf.render_pdf(_record("x" * 10_000), REPORT_STYLES)
    assert body.startswith(b"%PDF")
    assert time.monotonic() - started < 20


def test_the_stylesheets_wrap_long_words_with_valid_css() -> None:
    text = pdf.stylesheet_text(["css/print.css", "css/access-report.css", "css/plan-print.css"])
    assert "body.sheet { overflow-wrap: break-word; }" in text
    assert "word-break: break-word" not in text  # not standard CSS


@override_settings(PDF_MAX_HTML_CHARS=20_000)
def test_documents_over_the_budget_are_refused_before_rendering() -> None:
    with pytest.raises(pdf.PdfTooLarge):
        pdf.render_pdf("<p>" + "wort " * 5_000 + "</p>", REPORT_STYLES)


def test_a_huge_text_block_is_refused_before_rendering() -> None:
    with pytest.raises(pdf.PdfTooLarge):
        pdf.render_pdf("<p>" + "wort " * (pdf.PDF_MAX_TEXT_BLOCK // 5 + 1) + "</p>", REPORT_STYLES)


def _legacy_note(demo: DemoNetwork, length: int) -> None:
    """A note longer than any form allows, as older data or an import may hold."""
    contact = Contact.objects.filter(case__participant=_mohammed(demo)).first()
    assert contact is not None
    contact.note = "n" * length
    contact.save(update_fields=["note"])


def test_an_access_report_with_a_million_character_note_offers_print_and_json(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    _legacy_note(demo, 1_000_000)
    url = reverse("privacy:access_report_pdf", args=[_mohammed(demo).pk])
    started = time.monotonic()
    response = login("cm_a").get(url, {"lang": "de"})
    assert time.monotonic() - started < 30
    assert response.status_code == 302 and "pdf=too-large" in response["Location"]
    page = login("cm_a").get(response["Location"]).content.decode()
    assert 'id="pdf-notice"' in page and "Download as PDF" not in page and "Als PDF" not in page


@pytest.fixture
def atomic_depth_while_rendering() -> Iterator[list[int]]:
    """How many atomic blocks are open when the document is handed to the rendering process
    (a spy on multiprocessing's own start; our code runs unchanged). The child process has no
    database connection, so the hand-over is the moment that counts."""
    from multiprocessing.context import SpawnProcess

    seen: list[int] = []
    original = SpawnProcess.start

    def spy(self: Any) -> None:
        seen.append(len(connection.atomic_blocks))
        original(self)

    SpawnProcess.start = spy  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        SpawnProcess.start = original  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("url_name", "target"),
    [("privacy:access_report_pdf", "participant"), ("cases:plan_pdf", "case")],
)
def test_pdfs_are_rendered_outside_any_transaction_of_the_view(
    url_name: str,
    target: str,
    login: Callable[[str], Client],
    demo: DemoNetwork,
    atomic_depth_while_rendering: list[int],
) -> None:
    mohammed = _mohammed(demo)
    pk = mohammed.pk if target == "participant" else Case.objects.filter(participant=mohammed).first().pk  # type: ignore[union-attr]
    outside = len(connection.atomic_blocks)  # the test's own transaction
    before = AuditEvent.objects.filter(action__in=[AuditAction.SUBJECT_ACCESS, AuditAction.READ]).count()
    response = login("cm_a").get(reverse(url_name, args=[pk]))
    assert response.status_code == 200
    assert atomic_depth_while_rendering == [outside]
    assert (
        AuditEvent.objects.filter(action__in=[AuditAction.SUBJECT_ACCESS, AuditAction.READ]).count() > before
    )
