"""Opening a case and the case page with its quick contact form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.accounts.models import User
from bruecke.cases import selectors, services
from bruecke.cases.forms import AssessmentForm, CaseForm, ContactForm
from bruecke.cases.models import Case, Severity
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import edit_page, paginate
from bruecke.participants.selectors import participant_get


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def case_open(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = participant_get(request.user, participant_pk, Perm.EDIT_PARTICIPANTS)
    form = CaseForm(request.POST or None, participant=participant, user=_user(request))
    return edit_page(
        request,
        form=form,
        save=lambda: services.case_open(actor=_user(request), case=form.instance),
        success=lambda case: reverse("cases:detail", args=[case.pk]),
        title=_("Open a case for %(name)s") % {"name": participant.full_name},
        context={"cancel_url": reverse("participants:detail", args=[participant.pk])},
    )


def _case_page(request: HttpRequest, case: Case, form: ContactForm, status: int = 200) -> HttpResponse:
    assessments, barriers = selectors.barrier_trajectory(request.user, case)
    context = {
        "assessments": assessments,
        "severities": Severity.choices,
        "barriers": barriers,
        "case": case,
        "form": form,
        "page": paginate(request, selectors.case_contacts(case)),
        "can_read_confidential": selectors.may_read_confidential(request.user, case),
        "can_edit": selectors.cases_visible_to(request.user, Perm.EDIT_PARTICIPANTS)
        .filter(pk=case.pk)
        .exists(),
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    audit_read(actor=_user(request), obj=case)
    return _case_page(request, case, ContactForm(case=case))


@login_required
@require_POST
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = ContactForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.contact_record(
                actor=_user(request), contact=form.instance, topics=form.cleaned_data["topics"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact has been recorded."))
            return redirect("cases:detail", pk=case.pk)
    return _case_page(request, case, form, status=400)


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = AssessmentForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda: services.assessment_record(
            actor=_user(request),
            case=case,
            assessed_on=form.cleaned_data["assessed_on"],
            items=form.items(),
        ),
        success=lambda assessment: reverse("cases:detail", args=[case.pk]),
        title=_("Assess barriers: %(name)s") % {"name": case.participant.full_name},
        template="cases/assessment_form.html",
        context={"cancel_url": reverse("cases:detail", args=[case.pk])},
    )
