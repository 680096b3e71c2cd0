"""The answer page: verdict, next step, reasons, open questions; both answers of an unknown
fact; either/or questions; the printable summary; the notes on the offices."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.placement.services.pipeline import permit_answer
from bruecke.rules import texts
from bruecke.rules.answerpage import answer_context
from bruecke.rules.engine import assess
from bruecke.rules.models import AuthorityNote
from bruecke.rules.nextstep import next_step
from bruecke.rules.types import Activity, Alternative, Authority, DecisionType, Facts, Outcome
from bruecke.rules.verdict import verdict
from tests import placement_factories as factories
from tests.expectations_cases import _case
from tests.test_placement_pipeline import needs_permit
from tests.test_rules_pages import _order, _post

Login = Callable[[str], Client]
D = datetime.date


def _mohammed() -> Participant:
    return Participant.objects.get(family_name="Al-Hassan")


def _url(name: str = "rules:question") -> str:
    return reverse(name, args=[_mohammed().pk])


def test_the_page_reads_verdict_next_step_reasons_open_questions(demo: DemoNetwork, login: Login) -> None:
    body = login("cm_a").post(_url(), _post()).content.decode()  # Duldung: Soll, open questions
    positions = _order(
        body,
        'data-testid="verdict-headline"',
        'data-testid="next-step"',
        'id="answer-reasons"',
        'id="answer-open"',
        'id="answer-details"',
        'id="answer-citations"',
    )
    assert positions == sorted(positions)
    next_step = body[body.index('data-testid="next-step"') : body.index('id="answer-reasons"')]
    assert "Beschäftigungserlaubnis" in next_step
    assert "Arbeitsvertrag" in next_step
    assert "Übliche Dauer" in next_step
    with translation.override("de"):  # the demo users read German
        question = str(texts.QUESTIONS["imminent_measures"])
    assert question in body[body.index('id="answer-open"') :]


def test_labels_never_contradict_the_answer(demo: DemoNetwork, login: Login) -> None:
    """An activity named after BA approval was shown beside "BA approval: not needed"."""
    with translation.override("de"):
        for label in texts.ACTIVITIES.values():
            assert "BA" not in str(label) and "Zustimmung" not in str(label), label
    body = login("cm_a").get(_url()).content.decode()  # a refugee: allowed by law, no BA
    assert "Beschäftigung (Arbeitsstelle)" in body
    assert "mit Zustimmung der BA" not in body
    assert "Was die BA prüft" not in body  # no BA checks where the BA is not asked


def test_the_verdict_agrees_with_every_field_of_the_answer() -> None:
    facts = [
        Facts(status="ae_25_2_refugee", status_since=D(2021, 1, 1)),
        Facts(status="duldung_60a", status_since=D(2022, 1, 1), stay_since=D(2021, 6, 1)),
        Facts(
            status="gestattung",
            status_since=D(2025, 1, 1),
            asylum_applied_on=D(2025, 1, 1),
            reception_centre=True,
        ),
    ]
    with translation.override("de"):
        for fact in facts:
            for activity in Activity:
                answer = assess(fact, activity, D(2025, 6, 1))
                headline = verdict(answer).headline
                if answer.alternatives:  # an unknown fact decides: both answers are shown
                    assert headline.startswith("Offen"), headline
                    continue
                assert ("ohne Erlaubnis" in headline) == (answer.outcome == Outcome.ALLOWED), headline
                assert ("mit Erlaubnis" in headline) == (answer.outcome == Outcome.NEEDS_PERMISSION), headline
                assert ("Nein" in headline) == (answer.outcome == Outcome.BANNED), headline
                if "zentralen" in headline:
                    assert answer.authority == "central_abh"


def test_an_unknown_fact_shows_both_answers_side_by_side() -> None:
    base = assess(
        Facts(status="duldung_60a", status_since=D(2022, 1, 1), stay_since=D(2021, 6, 1)),
        Activity.EMPLOYMENT,
        D(2025, 6, 1),
    )
    base = replace(base, alternatives=())
    banned = replace(base, outcome=Outcome.BANNED, decision=DecisionType.BAN, authority=Authority.NONE)
    shown = replace(base, alternatives=(Alternative("reception_centre", if_yes=banned, if_no=base),))
    with translation.override("de"):
        html = render_to_string("rules/answer.html", answer_context(shown))
        question = str(texts.fact_question("reception_centre"))
    verdict_part = html[: html.index('id="answer-reasons"')]
    assert "Offen – hängt von 1 Frage ab" in verdict_part
    assert "Wenn ja:</span> Nein – Beschäftigungsverbot" in verdict_part
    assert "Wenn nein:</span> Ja, mit Erlaubnis der Ausländerbehörde" in verdict_part
    assert question in verdict_part
    assert 'data-testid="outcome"' not in html  # no single outcome beside an open answer


def test_either_or_questions_are_two_named_options(demo: DemoNetwork, login: Login) -> None:
    client = login("cm_a")
    data = _post(activity="internship_orientation")
    body = client.post(_url(), data).content.decode()
    assert 'type="radio" name="j_internship_character" value="yes"' in body
    assert "Ein Praktikum: das Lernen steht im Vordergrund" in body
    assert "Produktive Arbeit (gilt als Beschäftigung)" in body
    assert 'name="j_own_fault"' not in body or '<select name="j_own_fault"' in body  # yes/no stays a select
    # The values are still yes/no: "productive work" makes the activity employment.
    internship = client.post(_url(), data | {"j_internship_character": "yes"}).content.decode()
    work = client.post(_url(), data | {"j_internship_character": "no"}).content.decode()
    assert 'value="no" id="id_j_internship_character_2" checked' in work
    assert "Was die BA prüft" not in internship  # an orientation internship needs no BA approval
    assert "Was die BA prüft" in work  # productive work is employment: the BA is asked
    assert client.post(_url(), data | {"j_internship_character": "maybe"}).status_code == 400


def test_the_print_summary_from_the_record(demo: DemoNetwork, login: Login) -> None:
    person = _mohammed()
    before = AuditEvent.objects.filter(action="read", object_id=str(person.pk)).count()
    response = login("cm_a").get(_url("rules:print"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ja, ohne Erlaubnis (gesetzlich erlaubt)" in body
    assert "Verwendete Angaben" in body and "Aufenthaltserlaubnis" in body
    assert "keine Rechtsberatung" in body  # the disclaimer
    assert "rules-print.css" in body
    assert AuditEvent.objects.filter(action="read", object_id=str(person.pk)).count() == before + 1


def test_the_print_summary_of_corrected_facts_is_posted(demo: DemoNetwork, login: Login) -> None:
    client = login("cm_a")
    page = client.post(_url(), _post()).content.decode()
    assert f'formaction="{_url("rules:print")}"' in page  # same form, facts never in the URL
    body = client.post(_url("rules:print"), _post()).content.decode()
    assert "Ja, mit Erlaubnis der Ausländerbehörde" in body
    assert "01.05.2024" in body and "01.01.2022" in body  # the date asked and the status since
    assert "§ 60a" in body or "§ 4a" in body or "§ 32" in body  # reasons with citations
    refused = client.post(_url("rules:print"), _post(on="not a date"))
    assert refused.status_code == 400
    assert 'id="question-facts" open' in refused.content.decode()
    # "Ask" on the refused page asks the question page again, not the print page.
    assert f'action="{_url()}"' in refused.content.decode()


def test_print_is_404_outside_the_scope(demo: DemoNetwork, login: Login) -> None:
    assert login("cm_b").get(_url("rules:print")).status_code == 404
    assert login("cm_b").post(_url("rules:print"), _post()).status_code == 404


def _note_url(demo: DemoNetwork, partner: str = "A", step: str = "abh") -> str:
    return reverse("rules:note_edit", args=[demo.partners[partner].pk, step])


def _note(**overrides: Any) -> dict[str, Any]:
    return {
        "contact": "Ausländerbehörde Rostock, St.-Georg-Straße 109",
        "documents": "",
        "duration": "etwa 4 Wochen",
    } | overrides


def test_an_administrator_configures_the_note_and_counsellors_see_it(demo: DemoNetwork, login: Login) -> None:
    admin = login("admin")
    assert admin.get(reverse("rules:notes")).status_code == 200
    assert admin.get(_note_url(demo)).status_code == 200
    response = admin.post(_note_url(demo), _note())
    assert response.status_code == 302
    note = AuthorityNote.objects.get(organisation=demo.partners["A"], step="abh")
    assert AuditEvent.objects.filter(
        action="create", object_type="rules.authoritynote", object_id=str(note.pk)
    ).exists()
    assert "St.-Georg-Straße 109" in admin.get(reverse("rules:notes")).content.decode()
    body = login("cm_a").post(_url(), _post()).content.decode()
    assert "St.-Georg-Straße 109" in body and "etwa 4 Wochen" in body
    # An update with the loaded version is audited as an update.
    admin.post(_note_url(demo), _note(duration="6 Wochen", version=note.version))
    note.refresh_from_db()
    assert note.duration == "6 Wochen"
    assert AuditEvent.objects.filter(
        action="update", object_type="rules.authoritynote", object_id=str(note.pk)
    ).exists()


def test_bad_note_input_is_refused(demo: DemoNetwork, login: Login) -> None:
    admin = login("admin")
    for bad in (
        {"contact": "x" * 501},
        {"documents": "x" * 1001},
        {"duration": "x" * 301},
        {"duration": "a\x00b"},
    ):
        response = admin.post(_note_url(demo), _note(**bad))
        assert response.status_code == 400, bad
    assert not AuthorityNote.objects.exists()


def test_notes_outside_the_scope_are_404(demo: DemoNetwork, login: Login) -> None:
    admin = login("admin")
    assert admin.get(_note_url(demo, partner="B")).status_code == 404  # another organisation's note
    assert admin.post(_note_url(demo, partner="B"), _note()).status_code == 404
    assert admin.get(_note_url(demo, step="embassy")).status_code == 404
    assert login("cm_a").get(_note_url(demo)).status_code == 404
    assert login("ruppin.admin").post(_note_url(demo), _note()).status_code == 404
    assert login("cm_a").get(reverse("rules:notes")).status_code == 404
    assert not AuthorityNote.objects.exists()


def test_the_opportunity_panel_says_the_same_as_the_answer_page(demo: DemoNetwork, login: Login) -> None:
    """The compact form for a concrete opportunity: the same verdict and next step."""
    case = _case(demo)
    needs_permit(case)
    po = demo.users["po_a"]
    opportunity = factories.opportunity(case.organisation)
    application = factories.application(po, case, opportunity, on=case.opened_on)
    answer = permit_answer(application)
    assert answer is not None
    page = login("po_a").get(reverse("placement:application_detail", args=[application.pk])).content.decode()
    with translation.override("de"):
        headline = verdict(answer).headline
        action = next_step(answer).action
    assert 'class="rules-verdict' in page and "rules-verdict--compact" in page
    assert headline in page and action in page


def test_no_question_about_ba_exemptions_beside_no_ba_approval() -> None:
    """A refugee may work by law: asking whether another BA exemption applies would contradict
    "no BA approval"; a Geduldeter whose job needs the BA is still asked."""
    refugee = assess(
        Facts(status="ae_25_2_refugee", status_since=D(2021, 1, 1)), Activity.EMPLOYMENT, D(2025, 6, 1)
    )
    assert not refugee.ba_approval
    assert "other_ba_exemption" not in {f.code for f in refugee.flags}
    tolerated = assess(
        Facts(
            status="duldung_60a", status_since=D(2022, 1, 1), stay_since=D(2022, 1, 1), reception_centre=False
        ),
        Activity.EMPLOYMENT,
        D(2025, 6, 1),
    )
    assert tolerated.ba_approval
    assert "other_ba_exemption" in {f.code for f in tolerated.flags}
