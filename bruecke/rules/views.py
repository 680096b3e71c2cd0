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
from bruecke.network.models import Organisation
from bruecke.participants import selectors
from bruecke.participants.models import Participant
from bruecke.rules import overview, texts
from bruecke.rules.answerpage import answer_context, ask_either_or, facts_used
from bruecke.rules.engine import assess
from bruecke.rules.facts import facts_for, person_facts_for
from bruecke.rules.forms import QuestionForm
from bruecke.rules.precheck_view import prechecks_context
from bruecke.rules.prechecks import PersonFacts, prechecks
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import Activity, Facts, NotCovered


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _asked(request: HttpRequest, participant: Participant) -> tuple[QuestionForm, dict[str, Any], bool]:
    """The form and the answer: from the POSTed facts, or from the record's facts today.
    The third value is False when the POSTed facts are invalid."""
    today = timezone.localdate()
    context: dict[str, Any] = {"participant": participant, "data_as_of": rule_data().data_as_of}
    organisation = participant.organisation
    valid = True
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            on, asked = form.cleaned_data["on"], form.facts()
            context |= _answer(asked, Activity(form.cleaned_data["activity"]), on, organisation)
            context |= _prechecks(asked, form.person(), on)
        else:
            valid = False
    else:
        facts = facts_for(participant, today)
        if facts is None:
            form = QuestionForm(initial={"on": today})
            context["no_status"] = True
        else:
            person = person_facts_for(participant, today)
            initial = QuestionForm.initial_from(facts, Activity.EMPLOYMENT, today) | vars(person)
            form = QuestionForm(initial=initial)
            context |= _answer(facts, Activity.EMPLOYMENT, today, organisation)
            context |= _prechecks(facts, person, today)
    ask_either_or(form)
    codes = [f.code for f in context["answer"].flags] if "answer" in context else []
    context |= {"form": form, "judgement_fields": form.judgement_fields(codes)}
    return form, context, valid


@login_required
def question(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_get(request.user, pk)
    audit_read(actor=_user(request), obj=participant)
    _form, context, valid = _asked(request, participant)
    return render(request, "rules/question.html", context, status=200 if valid else 400)


@login_required
def answer_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page summary: POST with the question form's facts (never in the URL), GET
    for the record's facts today. Invalid facts: the question page with the errors."""
    participant = selectors.participant_get(request.user, pk)
    audit_read(actor=_user(request), obj=participant)
    form, context, valid = _asked(request, participant)
    if not valid:
        return render(request, "rules/question.html", context, status=400)
    context["facts_used"] = facts_used(form)
    return render(request, "rules/print.html", context)


def _answer(
    facts: Facts, activity: Activity, on: datetime.date, organisation: Organisation | None = None
) -> dict[str, Any]:
    try:
        return answer_context(assess(facts, activity, on), organisation)
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
        "can_edit_notes": access.has_perm(request.user, Perm.MANAGE_NETWORK),
    }
    return render(request, "rules/overview.html", context, status=400 if error else 200)
