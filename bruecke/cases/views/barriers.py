"""Barrier (re-)assessment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.cases.forms.barriers import AssessmentForm
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.services import barriers as services
from bruecke.cases.views.common import acting_user
from bruecke.core.access import Perm
from bruecke.core.views_helpers import edit_page


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    latest = case.assessments.order_by("-id").values_list("id", flat=True).first() or 0
    form = AssessmentForm(request.POST or None, based_on=latest)
    return edit_page(
        request,
        form=form,
        save=lambda: services.assessment_record(
            actor=acting_user(request),
            case=case,
            assessed_on=form.cleaned_data["assessed_on"],
            items=form.items(),
            based_on=form.cleaned_data["based_on"],
        ),
        success=lambda assessment: reverse("cases:detail", args=[case.pk]) + "?section=barriers",
        title=_("Assess barriers: %(name)s") % {"name": case.participant.full_name},
        template="cases/assessment_form.html",
        context={"cancel_url": reverse("cases:detail", args=[case.pk])},
        shows=case,
    )
