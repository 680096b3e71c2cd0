"""Closing a case (exit with the ESF exit questionnaire), its correction, the follow-up."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.cases.forms.exit import CaseCloseForm
from bruecke.cases.models import Case, CaseStatus
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import exit as exit_selectors
from bruecke.cases.services import exit as services
from bruecke.cases.views.common import acting_user
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.views_helpers import edit_page
from bruecke.esf import results
from bruecke.esf.exit_forms import ExitEditForm, FollowUpEditForm, FollowUpForm
from bruecke.esf.exit_models import ExitRecord, FollowUp
from bruecke.esf.models import EntryRecord


def _detail(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _exit_section(case: Case) -> str:
    """The case page's exit tab, where the results of a closed case are."""
    return f"{_detail(case)}?section=exit"


def _placement_suggestion(request: HttpRequest, case: Case, form: Any, record: ExitRecord | None) -> Any:
    """The placement app's suggestion for the situations (shown on GET); with
    `?suggestion=placement` it pre-fills a situation row. Nothing is saved without submit."""
    from bruecke.esf.exit_forms import SituationFormSet
    from bruecke.placement.selectors.esf import SUGGESTION_PARAM, esf_suggestion

    if request.method != "GET":
        return None
    suggestion = esf_suggestion(case)
    if suggestion is not None and request.GET.get(SUGGESTION_PARAM) == "placement":
        exit_date = record.exit_date if record is not None else timezone.localdate()
        rows = list(form.situations.initial or [])
        row = suggestion.row(exit_date)
        if not any(r.get("kind") == row["kind"] and r.get("date") == row["date"] for r in rows):
            rows.append(row)
        form.situations = SituationFormSet(None, prefix="situation", initial=rows)
        return {"suggestion": suggestion, "suggestion_taken": True}
    return {"suggestion": suggestion, "suggestion_taken": False} if suggestion else None


def _exit_context(case: Case, record: ExitRecord | None) -> dict[str, Any]:
    return {
        "case": case,
        # Warned, not refused: the entry data can be completed after the exit.
        "entry_missing": not EntryRecord.objects.filter(participant_id=case.participant_id).exists(),
        "record": record,
        "window_days": results.EXIT_WINDOW_DAYS,
        "entry_date": case.participant.entry_date,
        "cancel_url": _detail(case),
    }


@login_required
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    if case.status == CaseStatus.CLOSED:
        messages.info(request, _("This case is already closed."))
        return redirect(_exit_section(case))
    if request.method == "GET":
        audit_read(actor=acting_user(request), obj=case)
    instance = ExitRecord(case=case, participant=case.participant, organisation=case.organisation)
    form = CaseCloseForm(request.POST or None, case=case, instance=instance)
    suggestion = _placement_suggestion(request, case, form, None)
    return edit_page(
        request,
        form=form,
        save=lambda: services.case_close(
            actor=acting_user(request),
            case=case,
            exit_data=form.exit_data(),
            situations=form.situation_inputs(),
            open_items=form.open_items(),
        ),
        success=lambda record: _exit_section(case),
        title=_("Close the case: %(name)s") % {"name": case.participant.full_name},
        template="cases/exit_form.html",
        context={**_exit_context(case, None), "placement_suggestion": suggestion},
    )


@login_required
def exit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    record = exit_selectors.exit_of(case)
    if request.method == "GET":
        audit_read(actor=acting_user(request), obj=record)
    form = ExitEditForm(request.POST or None, instance=record)
    suggestion = _placement_suggestion(request, case, form, record)
    return edit_page(
        request,
        form=form,
        save=lambda: services.exit_correct(
            actor=acting_user(request),
            record=record,
            exit_data=form.exit_data(),
            situations=form.situation_inputs(),
            expected_version=form.loaded_version,
        ),
        success=lambda saved: _exit_section(case),
        title=_("Correct the exit questionnaire: %(name)s") % {"name": case.participant.full_name},
        template="cases/exit_form.html",
        context={**_exit_context(case, record), "placement_suggestion": suggestion},
    )


def _follow_up_context(case: Case, record: ExitRecord) -> dict[str, Any]:
    reference = record.follow_up_due
    tolerance = datetime.timedelta(days=results.FOLLOW_UP_TOLERANCE_DAYS)
    return {
        "case": case,
        "record": record,
        "reference_date": reference,
        "tolerance_days": results.FOLLOW_UP_TOLERANCE_DAYS,
        "window_start": reference - tolerance,
        "window_end": reference + tolerance,
        "cancel_url": _detail(case),
    }


@login_required
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    record = exit_selectors.exit_of(case)
    if request.method == "GET":
        audit_read(actor=acting_user(request), obj=record)
    form = FollowUpForm(
        request.POST or None,
        instance=FollowUp(exit_record=record, organisation=record.organisation),
        initial={"answered_on": datetime.date.today()},
    )
    return edit_page(
        request,
        form=form,
        save=lambda: services.follow_up_record(
            actor=acting_user(request), record=record, data=form.follow_up_data()
        ),
        success=lambda saved: _exit_section(case),
        title=_("Follow-up six months after exit: %(name)s") % {"name": case.participant.full_name},
        template="cases/follow_up_form.html",
        context=_follow_up_context(case, record),
    )


@login_required
def follow_up_edit(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    record = exit_selectors.exit_of(case)
    follow_up = exit_selectors.follow_up_of(record, follow_up_pk)
    if request.method == "GET":
        audit_read(actor=acting_user(request), obj=follow_up)
    form = FollowUpEditForm(request.POST or None, instance=follow_up)
    return edit_page(
        request,
        form=form,
        save=lambda: services.follow_up_correct(
            actor=acting_user(request),
            follow_up=follow_up,
            data=form.follow_up_data(),
            expected_version=form.loaded_version,
        ),
        success=lambda saved: _exit_section(case),
        title=_("Correct the follow-up answer: %(name)s") % {"name": case.participant.full_name},
        template="cases/follow_up_form.html",
        context=_follow_up_context(case, record),
    )
