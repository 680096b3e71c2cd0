"""Pages of the language and recognition pathways. The overview is a section of the
participant page (`offers/pathways/section.html`, filled by the `pathway_section` tag);
these are the forms and the recognition procedure's own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.core.views_helpers import edit_page, model_data
from bruecke.offers.forms.pathways import (
    AssessmentEditForm,
    AssessmentForm,
    RecognitionEditForm,
    RecognitionForm,
)
from bruecke.offers.selectors import pathways as selectors
from bruecke.offers.selectors.cases import recordable_case
from bruecke.offers.services import pathways as services
from bruecke.participants.models import Participant

FORM_TEMPLATE = "offers/pathways/form.html"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _section_url(participant_id: int) -> str:
    return reverse("participants:detail", args=[participant_id]) + "#pathways-heading"


def _context(case: Case, **extra: Any) -> dict[str, Any]:
    return {"participant": case.participant, "cancel_url": _section_url(case.participant_id), **extra}


@login_required
def language_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = _user(request)
    case = recordable_case(user, case_pk)
    form = AssessmentForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda: services.assessment_record(actor=user, case=case, data=model_data(form)),
        success=lambda assessment: _section_url(case.participant_id),
        title=_("Record the German level"),
        template=FORM_TEMPLATE,
        context=_context(case),
        shows=case.participant,
    )


@login_required
def language_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = selectors.assessment_get(user, pk, write=True)
    form = AssessmentEditForm(request.POST or None, instance=assessment)
    return edit_page(
        request,
        form=form,
        save=lambda: services.assessment_update(
            actor=user, assessment=assessment, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _section_url(assessment.participant_id),
        title=_("Change the German level assessment"),
        template=FORM_TEMPLATE,
        context=_context(assessment.case),
        shows=assessment.participant,
    )


@login_required
def language_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (GET); the deletion is a POST from it."""
    user = _user(request)
    assessment = selectors.assessment_get(user, pk, write=True)
    error = ""
    if request.method == "POST":
        participant_id = assessment.participant_id
        try:
            services.assessment_delete(actor=user, assessment=assessment)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            messages.success(request, _("The assessment has been deleted."))
            return redirect(_section_url(participant_id))
    else:
        audit_read(actor=user, obj=assessment)
    return render(
        request,
        "offers/pathways/language_delete.html",
        {"assessment": assessment, "error": error, **_context(assessment.case)},
        status=400 if error else 200,
    )


@login_required
def recognition_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = _user(request)
    case = recordable_case(user, case_pk)
    form = RecognitionForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda: services.recognition_create(actor=user, case=case, data=model_data(form)),
        success=lambda procedure: reverse("offers:recognition_detail", args=[procedure.pk]),
        title=_("New recognition procedure"),
        template=FORM_TEMPLATE,
        context=_context(case),
        shows=case.participant,
    )


@login_required
def recognition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    procedure = selectors.recognition_get(user, pk)
    audit_read(actor=user, obj=procedure)
    can_edit = selectors.recognitions_visible_to(user, write=True).filter(pk=pk).exists()
    return render(
        request,
        "offers/pathways/recognition_detail.html",
        {"procedure": procedure, "can_edit": can_edit, **_context(procedure.case)},
    )


@login_required
def recognition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    procedure = selectors.recognition_get(user, pk, write=True)
    form = RecognitionEditForm(request.POST or None, instance=procedure)
    return edit_page(
        request,
        form=form,
        save=lambda: services.recognition_update(
            actor=user, procedure=procedure, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: reverse("offers:recognition_detail", args=[saved.pk]),
        title=_("Change the recognition procedure"),
        template=FORM_TEMPLATE,
        context=_context(procedure.case, cancel_url=reverse("offers:recognition_detail", args=[pk])),
        shows=procedure.participant,
    )


def section_context(request: HttpRequest, participant: Participant) -> dict[str, Any]:
    """The participant page's "Sprache und Anerkennung" section: its data (constant
    queries) and one read event for the records it shows."""
    user = _user(request)
    section = selectors.pathway_section(user, participant)
    shown = [*section["assessments"], *section["recognitions"], *section["courses"]]
    audit_read_all(actor=user, objs=shown)
    return section
