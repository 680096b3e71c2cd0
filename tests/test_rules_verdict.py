"""The verdict line and the next step, per kind of answer (built directly, so these tests
do not depend on the engine's rule data)."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from django.utils import translation

from bruecke.network.demo import DemoNetwork
from bruecke.rules.models import AuthorityNote, NoteStep
from bruecke.rules.nextstep import next_step, notes_for
from bruecke.rules.types import (
    Activity,
    Alternative,
    Answer,
    Authority,
    Citation,
    DecisionType,
    Flag,
    Ground,
    Outcome,
    PriorityCheck,
)
from bruecke.rules.verdict import verdict

D = datetime.date
CITE = Citation("§ 61 Abs. 2 AsylG", D(2024, 2, 27))


def answer(outcome: Outcome, decision: DecisionType, authority: Authority, **kw: object) -> Answer:
    base = Answer(
        activity=Activity.EMPLOYMENT,
        on=D(2026, 3, 1),
        outcome=outcome,
        decision=decision,
        authority=authority,
        ba_approval=False,
        earliest=None,
        waiting_periods=(),
        flags=(),
        grounds=(Ground("outcome", "permission_needed", (CITE,)),),
        data_as_of=D(2026, 1, 1),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


ALLOWED = answer(Outcome.ALLOWED, DecisionType.BY_LAW, Authority.NONE)
ENTITLED = answer(Outcome.NEEDS_PERMISSION, DecisionType.ENTITLEMENT, Authority.ABH)
SOLL = answer(Outcome.NEEDS_PERMISSION, DecisionType.REGULAR, Authority.ABH, ba_approval=True)
DISCRETION_EAE = answer(Outcome.NEEDS_PERMISSION, DecisionType.DISCRETION, Authority.CENTRAL_ABH)
NOT_YET = answer(Outcome.NOT_YET, DecisionType.DISCRETION, Authority.ABH, earliest=D(2026, 9, 1))
NOT_YET_NO_DATE = answer(Outcome.NOT_YET, DecisionType.DISCRETION, Authority.ABH)
BANNED = answer(Outcome.BANNED, DecisionType.BAN, Authority.NONE)


@pytest.mark.parametrize(
    ("given", "headline", "kind"),
    [
        (ALLOWED, "Ja, ohne Erlaubnis (gesetzlich erlaubt)", "success"),
        (ENTITLED, "Ja, mit Erlaubnis der Ausländerbehörde – Anspruch", "info"),
        (SOLL, "Ja, mit Erlaubnis der Ausländerbehörde – Regelanspruch (Soll)", "info"),
        (DISCRETION_EAE, "Ja, mit Erlaubnis der zentralen Ausländerbehörde – Ermessen der Behörde", "info"),
        (NOT_YET, "Noch nicht – frühestens ab 01.09.2026", "warning"),
        (NOT_YET_NO_DATE, "Noch nicht", "warning"),
        (BANNED, "Nein – Beschäftigungsverbot", "danger"),
    ],
)
def test_the_verdict_says_the_answer_in_plain_german(given: Answer, headline: str, kind: str) -> None:
    with translation.override("de"):
        shown = verdict(given)
    assert (shown.headline, shown.kind, shown.caveat) == (headline, kind, "")


def test_the_verdict_in_english() -> None:
    with translation.override("en"):
        assert verdict(ENTITLED).headline == "Yes, with permission of the Ausländerbehörde – entitlement"
        assert verdict(NOT_YET).headline == "Not yet – from 01.09.2026 at the earliest"


def test_unknown_facts_that_change_the_answer_make_it_open() -> None:
    one = replace(SOLL, alternatives=(Alternative("reception_centre", if_yes=BANNED, if_no=SOLL),))
    two = replace(one, alternatives=(*one.alternatives, Alternative("accelerated_procedure", BANNED, SOLL)))
    with translation.override("de"):
        assert verdict(one).headline == "Offen – hängt von 1 Frage ab"
        assert verdict(two).headline == "Offen – hängt von 2 Fragen ab"
    assert verdict(two).kind == "warning"


def test_open_judgement_questions_leave_the_verdict_with_a_caveat() -> None:
    flags = (Flag("imminent_measures", CITE), Flag("own_fault", CITE, answer=False), Flag("wait_start", CITE))
    with translation.override("de"):
        shown = verdict(replace(SOLL, flags=flags))
    assert shown.headline.startswith("Ja, mit Erlaubnis")
    assert shown.caveat == "Vorbehaltlich 2 offener Fragen (unten)"


def test_allowed_needs_nothing_banned_offers_nothing() -> None:
    allowed, banned = next_step(ALLOWED), next_step(BANNED)
    assert allowed.apply_for == "" and allowed.where == "" and allowed.ba_checks == ()
    assert banned.apply_for == "" and banned.documents == ()


def test_a_permission_names_what_where_which_documents_and_how_long() -> None:
    with translation.override("de"):
        step = next_step(ENTITLED)
    assert step.apply_for.startswith("Beschäftigungserlaubnis")
    assert "Ausländerbehörde" in step.where
    assert any("Arbeitsvertrag" in d for d in step.documents)
    assert not any("Erklärung zum Beschäftigungsverhältnis" in d for d in step.documents)  # no BA approval
    assert step.ba_checks == ()
    assert len(step.durations) == 1


def test_with_ba_approval_the_next_step_says_what_the_ba_checks() -> None:
    with translation.override("de"):
        step = next_step(SOLL)
        required = next_step(replace(SOLL, priority_check=PriorityCheck.REQUIRED))
    assert any("Erklärung zum Beschäftigungsverhältnis" in d for d in step.documents)
    assert any("§ 39 Abs. 3 Nr. 1 AufenthG" in c for c in step.ba_checks)
    assert any("§ 36 Abs. 2 BeschV" in c for c in step.ba_checks)
    assert not any("Vorrangprüfung" in c for c in step.ba_checks)
    assert any("Vorrangprüfung" in c for c in required.ba_checks)
    assert len(step.durations) == 2


def test_training_and_the_special_duldungen_name_their_application() -> None:
    training = replace(ENTITLED, activity=Activity.DUAL_TRAINING)
    duldung = replace(training, grounds=(Ground("outcome", "special_duldung_60c", (CITE,)),))
    with translation.override("de"):
        assert any("Ausbildungsvertrag" in d for d in next_step(training).documents)
        assert next_step(duldung).apply_for.startswith("Ausbildungsduldung")
        assert next_step(replace(ENTITLED, activity=Activity.SELF_EMPLOYMENT)).apply_for.startswith(
            "Erlaubnis zur selbständigen"
        )
        central = next_step(DISCRETION_EAE)
    assert "zentrale" in central.where


def test_not_yet_prepares_the_application_for_the_earliest_date() -> None:
    with translation.override("de"):
        step = next_step(NOT_YET)
    assert "01.09.2026" in step.action
    assert step.apply_for


def test_the_organisations_notes_replace_the_general_texts(demo: DemoNetwork) -> None:
    organisation = demo.partners["A"]
    AuthorityNote.objects.create(
        organisation=organisation,
        step=NoteStep.ABH,
        contact="Rathausplatz 1",
        documents="Pass, Vertrag",
        duration="4 Wochen",
    )
    AuthorityNote.objects.create(organisation=organisation, step=NoteStep.BA, duration="10 Tage")
    step = next_step(SOLL, notes_for(organisation))
    assert step.contact == "Rathausplatz 1"
    assert step.documents == ("Pass, Vertrag",)
    assert step.durations == ("4 Wochen", "10 Tage")
    assert step.configured
    # The central authority's note is another one: not configured, general texts.
    central = next_step(DISCRETION_EAE, notes_for(organisation))
    assert central.contact == "" and central.durations != ("4 Wochen",)
    assert notes_for(None) == {}


def test_the_working_conditions_are_cited_in_the_version_of_the_day() -> None:
    with translation.override("de"):
        now = next_step(SOLL)
        before = next_step(replace(SOLL, on=D(2020, 2, 29)))
    assert "§ 39 Abs. 3 Nr. 1 AufenthG" in now.ba_checks[0]
    assert "§ 39 AufenthG a.F." in before.ba_checks[0] and "Abs. 3" not in before.ba_checks[0]
