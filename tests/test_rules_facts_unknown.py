"""Three-state facts outside the engine: the question form (yes / no / not known), the
facts taken from the record, and the texts the answer page needs for alternatives."""

from __future__ import annotations

import datetime

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.rules import texts
from bruecke.rules.engine import assess
from bruecke.rules.facts import facts_for
from bruecke.rules.forms import BOOLEAN_FACTS, QuestionForm
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import TRI_STATE_FACTS, Activity, AsylumOutcome, Facts

POST = {
    "activity": "dual_training",
    "on": "2024-05-01",
    "status": "duldung_60a",
    "status_since": "2022-01-01",
    "nationality": "SY",
    "stay_since": "2021-06-01",
    "asylum_applied_on": "2021-06-01",
    "asylum_outcome": "rejected",
}


def _facts(**overrides: str) -> Facts:
    form = QuestionForm(data=POST | overrides)
    assert form.is_valid(), form.errors
    return form.facts()


def test_form_facts_have_three_states() -> None:
    unknown = _facts()
    assert all(getattr(unknown, name) is None for name, _label in BOOLEAN_FACTS)
    known = _facts(
        reception_centre="yes", training_started_during_procedure="no", training_started_on="2021-09-01"
    )
    assert known.reception_centre is True
    assert known.training_started_during_procedure is False
    assert known.training_started_on == datetime.date(2021, 9, 1)


def test_form_refuses_a_checkbox_value() -> None:
    assert not QuestionForm(data=POST | {"reception_centre": "on"}).is_valid()


def test_initial_values_round_trip() -> None:
    facts = _facts(identity_by_passport="no", with_minor_children="yes")
    initial = QuestionForm.initial_from(facts, Activity.DUAL_TRAINING, datetime.date(2024, 5, 1))
    assert initial["identity_by_passport"] == "no"
    assert initial["with_minor_children"] == "yes"
    assert initial["reception_centre"] == ""


def test_form_covers_every_three_state_fact() -> None:
    assert {name for name, _label in BOOLEAN_FACTS} == set(TRI_STATE_FACTS)


def test_unknown_fact_from_the_form_gives_both_answers() -> None:
    answer = assess(_facts(), Activity.DUAL_TRAINING, datetime.date(2024, 5, 1))
    assert "training_started_during_procedure" in {a.fact for a in answer.alternatives}
    answered = assess(
        _facts(training_started_during_procedure="yes"), Activity.DUAL_TRAINING, datetime.date(2024, 5, 1)
    )
    assert answered.decision == "entitlement"


def test_record_obligation_yes_or_unknown(demo: DemoNetwork) -> None:
    person = Participant.objects.get(family_name="Hussein")
    current = person.residence_statuses.get()
    today = current.issued_on
    unticked = facts_for(person, today)
    assert unticked is not None and unticked.reception_centre is None
    current.reception_centre_obligation = True
    current.save(update_fields=["reception_centre_obligation"])
    ticked = facts_for(person, today)
    assert ticked is not None and ticked.reception_centre is True
    assert ticked.asylum_outcome in set(AsylumOutcome)


def test_texts_for_alternatives_and_new_codes() -> None:
    assert set(TRI_STATE_FACTS) == set(texts.FACT_QUESTIONS)
    data = rule_data()
    codes = {s.ground for s in data.specials if s.ground}
    codes |= {code for r in data.regimes for code, _norms in r.notes}
    codes |= {"reception_obligation_ended", "abh_checks_conditions"}
    assert codes <= set(texts.GROUNDS), codes - set(texts.GROUNDS)
    assert "reception_obligation" in texts.WAITS
    assert {r.extension_flag for r in data.reception if r.extension_flag} <= set(texts.QUESTIONS)
