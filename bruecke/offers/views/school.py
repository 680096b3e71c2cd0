"""Pages of the school pathway: the school record and the school-to-work transition of a
case (reached from the participant page), and the overview of both worklists."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.views_helpers import PAGE_SIZE, edit_page, model_data, paginate
from bruecke.offers.forms.school import SchoolRecordCreateForm, SchoolRecordForm, TransitionRecordForm
from bruecke.offers.models import SchoolRecord
from bruecke.offers.selectors import school as selectors
from bruecke.offers.selectors.cases import recordable_case
from bruecke.offers.services import school as services

TEMPLATE = "offers/school/form.html"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _participant_url(case: Case) -> str:
    return reverse("participants:detail", args=[case.participant_id]) + "#school-heading"


def _context(case: Case) -> dict[str, Any]:
    return {"case": case, "participant": case.participant, "cancel_url": _participant_url(case)}


@login_required
def school_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = recordable_case(request.user, case_pk)
    # A repeated POST of a saved form is answered by edit_page (same target as the first).
    if request.method == "GET" and selectors.school_record_of(request.user, case) is not None:
        return redirect("offers:school_edit", case_pk=case.pk)
    form = SchoolRecordCreateForm(request.POST or None, case=case)
    return edit_page(
        request,
        form=form,
        save=lambda: services.school_record_create(actor=_user(request), record=form.instance),
        success=lambda record: _participant_url(case),
        title=_("School of %(name)s") % {"name": case.participant.full_name},
        template=TEMPLATE,
        context=_context(case),
        shows=case,
    )


@login_required
def school_edit(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = recordable_case(request.user, case_pk)
    record = selectors.school_record_of(request.user, case)
    if record is None:
        return redirect("offers:school_create", case_pk=case.pk)
    form = SchoolRecordForm(request.POST or None, instance=record, case=case)
    return edit_page(
        request,
        form=form,
        save=lambda: services.school_record_update(
            actor=_user(request), record=record, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _participant_url(case),
        title=_("School of %(name)s") % {"name": case.participant.full_name},
        template=TEMPLATE,
        context=_context(case),
        shows=case,
    )


@login_required
def transition_edit(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Creates the transition record on the first save, else changes it (version 0: none yet)."""
    case = recordable_case(request.user, case_pk)
    record = selectors.transition_record_of(request.user, case)
    form = TransitionRecordForm(
        request.POST or None, instance=record, case=case, version=None if record else 0
    )
    return edit_page(
        request,
        form=form,
        save=lambda: services.transition_save(
            actor=_user(request), case=case, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _participant_url(case),
        title=_("From school to work: %(name)s") % {"name": case.participant.full_name},
        template=TEMPLATE,
        context=_context(case),
        shows=case,
    )


@login_required
def school_overview(request: HttpRequest) -> HttpResponse:
    """Both worklists in full, each paginated (`page`, `leaving_page`)."""
    access.require(request.user, Perm.RECORD_CASE_WORK)
    today = timezone.localdate()
    not_enrolled = paginate(request, selectors.school_age_not_enrolled(request.user, today))
    leaving = Paginator(selectors.leaving_without_follow_on(request.user, today), PAGE_SIZE).get_page(
        request.GET.get("leaving_page")
    )
    shown: list[Case | SchoolRecord] = [*not_enrolled, *leaving]
    if shown:
        audit_read_all(actor=_user(request), objs=shown)
    context = {
        "not_enrolled": not_enrolled,
        "leaving": leaving,
        "today": today,
        "leaving_until": selectors.leaving_until(today),
    }
    return render(request, "offers/school/overview.html", context)
