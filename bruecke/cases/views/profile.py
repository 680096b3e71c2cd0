"""The profile page of a case: profile fields plus rows of work experience, qualifications
and wished occupations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.cases.forms.profile import (
    ExperienceFormSet,
    ProfileForm,
    QualificationFormSet,
    WishedOccupationFormSet,
    row_changes,
)
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import profile as profile_selectors
from bruecke.cases.services import profile as services
from bruecke.cases.views.common import acting_user
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import model_data


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.RECORD_CASE_WORK)
    profile = profile_selectors.profile_for_edit(case)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=profile)
    experiences = ExperienceFormSet(data, instance=profile, prefix="experiences")
    qualifications = QualificationFormSet(data, instance=profile, prefix="qualifications")
    wished = WishedOccupationFormSet(data, instance=profile, prefix="wished")
    valid = [form.is_valid(), experiences.is_valid(), qualifications.is_valid(), wished.is_valid()]
    if request.method == "POST" and all(valid):
        try:
            services.profile_save(
                actor=acting_user(request),
                case=case,
                data=model_data(form),
                experiences=row_changes(experiences, services.EXPERIENCE_FIELDS),
                qualifications=row_changes(qualifications, services.QUALIFICATION_FIELDS),
                wished_occupations=row_changes(wished, services.WISHED_FIELDS),
                expected_version=form.loaded_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile has been saved."))
            if request.POST.get("more"):
                return redirect("cases:profile_edit", pk=case.pk)
            return redirect(reverse("cases:detail", args=[case.pk]) + "?section=profile")
    if profile.pk is not None and request.method == "GET":
        audit_read(actor=acting_user(request), obj=profile)
    context = {
        "case": case,
        "form": form,
        "experiences": experiences,
        "qualifications": qualifications,
        "wished": wished,
        "title": _("Profile of %(name)s") % {"name": case.participant.full_name},
        "cancel_url": reverse("cases:detail", args=[case.pk]),
    }
    return render(
        request, "cases/profile_form.html", context, status=400 if request.method == "POST" else 200
    )
