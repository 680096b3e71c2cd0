"""What the answer page, the printable summary and the compact opportunity panel show of
an answer (codes → translated texts), in the page's order: verdict, next step, reasons,
open questions; the rest folds away."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms

from bruecke.rules import texts
from bruecke.rules.nextstep import next_step, notes_for
from bruecke.rules.precheck_view import german_date
from bruecke.rules.types import Alternative, Answer
from bruecke.rules.verdict import verdict

if TYPE_CHECKING:
    from bruecke.network.models import Organisation
    from bruecke.rules.forms import QuestionForm


def _alternative(alternative: Alternative) -> dict[str, Any]:
    return {
        "fact": alternative.fact,
        "question": texts.fact_question(alternative.fact),
        "if_yes": verdict(alternative.if_yes),
        "if_no": verdict(alternative.if_no),
    }


def compact_context(answer: Answer, organisation: Organisation | None) -> dict[str, Any]:
    """The verdict and the next step (the compact form for an opportunity uses only these)."""
    return {
        "answer": answer,
        "verdict": verdict(answer),
        "next_step": next_step(answer, notes_for(organisation)),
        "alternatives": [_alternative(a) for a in answer.alternatives],
        "grounds": [(texts.ground_text(g), texts.ground_detail(g), g) for g in answer.grounds],
    }


def answer_context(answer: Answer, organisation: Organisation | None = None) -> dict[str, Any]:
    """Everything the answer page shows."""
    return compact_context(answer, organisation) | {
        "outcome_label": texts.OUTCOMES[answer.outcome],
        "decision_label": texts.DECISIONS[answer.decision],
        "authority_label": texts.AUTHORITIES[answer.authority],
        "priority_label": texts.PRIORITY_STATES.get(answer.priority_check, ""),
        "activity_label": texts.ACTIVITIES[answer.activity],
        "waits": [(texts.WAITS.get(w.code, w.code), w) for w in answer.waiting_periods],
        "open_flags": [(texts.QUESTIONS[f.code], f) for f in answer.open_questions],
        "answered_flags": [(texts.QUESTIONS[f.code], f) for f in answer.flags if f.answer is not None],
    }


def ask_either_or(form: QuestionForm) -> None:
    """Judgement questions whose two answers are two different activities get two named
    options instead of yes/no; the submitted values stay "yes"/"no"/"" (engine unchanged)."""
    for code, (if_yes, if_no) in texts.EITHER_OR.items():
        name = f"j_{code}"
        if name not in form.fields:
            continue
        choices = [("", texts.OPEN_QUESTION), ("yes", if_yes), ("no", if_no)]
        field = form.fields[name]
        if not isinstance(field, forms.ChoiceField):
            continue
        field.choices = choices
        field.widget = forms.RadioSelect(choices=choices)


def _shown(form: QuestionForm, field: forms.BoundField) -> str:
    """The field's value in words; empty when not entered (or a box not ticked)."""
    value = form.cleaned_data.get(field.name) if form.is_bound else field.value()
    if value in (None, "", False, []):
        return ""
    if isinstance(field.field, forms.BooleanField):
        return str(texts.YES)
    if isinstance(field.field, forms.ChoiceField):
        return str(dict(field.field.choices).get(str(value), value))  # type: ignore[arg-type]
    if isinstance(value, datetime.date):
        return german_date(value)
    return str(value)


def facts_used(form: QuestionForm) -> list[tuple[str, str]]:
    """The facts the answer rests on, as (label, value) for the printed summary."""
    fields = [form["activity"], form["on"], *form.fact_fields(), *form.person_fields()]
    rows = [(str(f.label), _shown(form, f)) for f in fields]
    return [(label, value) for label, value in rows if value]
