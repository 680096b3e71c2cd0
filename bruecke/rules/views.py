"""The question page (from a participant's page) and the rule overview for a date."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.forms import FIRST_YEAR, LAST_YEAR
from bruecke.participants import selectors
from bruecke.rules import overview, texts
from bruecke.rules.engine import assess
from bruecke.rules.facts import facts_for, person_facts_for
from bruecke.rules.forms import QuestionForm
from bruecke.rules.precheck_view import prechecks_context
from bruecke.rules.prechecks import PersonFacts, prechecks
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import Activity, Answer, Facts, NotCovered, Outcome

# The KERN colour of the verdict: allowed, allowed with the authority's permission,
# not yet (a waiting period), not allowed (a ban). Open judgement questions are shown
# beside it as a warning badge (the verdict is unclear until they are answered).
VERDICT_KINDS: dict[str, str] = {
    Outcome.ALLOWED: "success",
    Outcome.NEEDS_PERMISSION: "info",
    Outcome.NOT_YET: "warning",
    Outcome.BANNED: "danger",
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def answer_context(answer: Answer) -> dict[str, Any]:
    """Labels for the answer template (codes → translated texts)."""
    return {
        "answer": answer,
        "outcome_label": texts.OUTCOMES[answer.outcome],
        "verdict_kind": VERDICT_KINDS[answer.outcome],
        "decision_label": texts.DECISIONS[answer.decision],
        "authority_label": texts.AUTHORITIES[answer.authority],
        "priority_label": texts.PRIORITY_STATES.get(answer.priority_check, ""),
        "activity_label": texts.ACTIVITIES[answer.activity],
        "grounds": [(texts.ground_text(g), texts.ground_detail(g), g) for g in answer.grounds],
        "waits": [(texts.WAITS.get(w.code, w.code), w) for w in answer.waiting_periods],
        "flags": [(texts.QUESTIONS[f.code], f) for f in answer.flags],
    }


@login_required
def question(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get(request.user, pk)
    audit_read(actor=_user(request), obj=participant)
    today = timezone.localdate()
    context: dict[str, Any] = {"participant": participant, "data_as_of": rule_data().data_as_of}
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            on = form.cleaned_data["on"]
            context |= _answer(form.facts(), Activity(form.cleaned_data["activity"]), on)
            context |= _prechecks(form.facts(), form.person(), on)
        else:
            status = 400
    else:
        facts = facts_for(participant, today)
        if facts is None:
            form = QuestionForm(initial={"on": today})
            context["no_status"] = True
        else:
            person = person_facts_for(participant, today)
            initial = QuestionForm.initial_from(facts, Activity.EMPLOYMENT, today) | vars(person)
            form = QuestionForm(initial=initial)
            context |= _answer(facts, Activity.EMPLOYMENT, today)
            context |= _prechecks(facts, person, today)
    codes = [f.code for f in context["answer"].flags] if "answer" in context else []
    context |= {"form": form, "judgement_fields": form.judgement_fields(codes)}
    return render(request, "rules/question.html", context, status=status)


def _answer(facts: Facts, activity: Activity, on: datetime.date) -> dict[str, Any]:
    try:
        return answer_context(assess(facts, activity, on))
    except NotCovered:
        return {"not_covered": True}


def _prechecks(facts: Facts, person: PersonFacts, on: datetime.date) -> dict[str, Any]:
    return prechecks_context(prechecks(facts, person, on))


@login_required
def rule_overview(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_NETWORK)
    data = rule_data()
    on = timezone.localdate()
    error = ""
    raw = request.GET.get("on", "")
    if raw:
        try:
            on = datetime.date.fromisoformat(raw)
        except ValueError:
            error = _("Please enter a valid date.")
        if not FIRST_YEAR <= on.year <= LAST_YEAR:  # the rules compute deadlines from it
            error = _("Please enter a date between the years %(first)s and %(last)s.") % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
            on = timezone.localdate()
    if on < data.coverage_start:
        error = _("The rule data begin on %(date)s.") % {"date": data.coverage_start.strftime("%d.%m.%Y")}
        on = data.coverage_start
    context = {
        "on": on,
        "error": error,
        "data_as_of": data.data_as_of,
        "activities": [(a, texts.ACTIVITIES[a]) for a in Activity],
        "rows": overview.rows(on),
    }
    return render(request, "rules/overview.html", context, status=400 if error else 200)
