"""Editing a case, pausing and resuming it, and deleting it (team leads only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.cases.forms.case_edit import CaseEditForm, DeleteForm, PauseForm
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.services import case_edit as services
from bruecke.cases.views.common import acting_user
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import edit_page, model_data


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = CaseEditForm(request.POST or None, instance=case)
    # The form writes into its instance while validating; the service compares with the stored row.
    return edit_page(
        request,
        form=form,
        save=lambda: services.case_update(
            actor=acting_user(request),
            case=case,
            data=model_data(form),
            expected_version=form.loaded_version,
        ),
        success=lambda saved: reverse("cases:detail", args=[saved.pk]),
        title=_("Edit case: %(name)s") % {"name": case.participant.full_name},
        context={"cancel_url": reverse("cases:detail", args=[case.pk])},
    )


@login_required
def case_pause(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = PauseForm(request.POST or None, version=case.version)
    return edit_page(
        request,
        form=form,
        save=lambda: services.case_pause(
            actor=acting_user(request),
            case=case,
            reason=form.cleaned_data["reason"],
            expected_version=form.loaded_version,
        ),
        success=lambda saved: reverse("cases:detail", args=[saved.pk]),
        title=_("Pause case: %(name)s") % {"name": case.participant.full_name},
        context={"cancel_url": reverse("cases:detail", args=[case.pk])},
        shows=case,
    )


def _posted_version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    try:
        services.case_resume(actor=acting_user(request), case=case, expected_version=_posted_version(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The case is active again."))
    return redirect("cases:detail", pk=case.pk)


@login_required
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.DELETE_CASES)
    audit_read(actor=acting_user(request), obj=case)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_delete(actor=acting_user(request), case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case has been deleted."))
            return redirect("participants:detail", pk=case.participant_id)
    context = {
        "case": case,
        "form": form,
        "contact_count": case.contacts.count(),
        "assessment_count": case.assessments.count(),
        "title": _("Delete case: %(name)s") % {"name": case.participant.full_name},
    }
    return render(request, "cases/delete.html", context, status=400 if request.method == "POST" else 200)
