"""Pages of closed-loop referrals: the referring side (from the case) and the receiving
partner's incoming referrals (decision 0045)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import edit_page, paginate
from bruecke.offers.forms.referrals import ReferralCreateForm, ReferralFilterForm, StepForm
from bruecke.offers.models import Referral
from bruecke.offers.selectors import referrals as selectors
from bruecke.offers.services import referrals as services


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def case_section_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "?section=offers#offers-heading"


@login_required
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer the participant of case `pk` to a measure."""
    user = _user(request)
    access.require(user, Perm.MANAGE_OFFERS)
    case = selectors.case_for_referral(user, pk)
    form = ReferralCreateForm(request.POST or None, user=user, case=case)

    def save() -> Referral:
        data = form.cleaned_data
        return services.referral_create(
            actor=user,
            case=case,
            measure=data["measure"],
            status=data["status"],
            on=data["on"],
            expected_start_on=data["expected_start_on"],
            note=data["note"],
            summary=data.get("summary", ""),
        )

    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda referral: reverse("offers:referral_detail", args=[referral.pk]),
        title=_("Refer to a measure"),
        template="offers/referrals/create.html",
        context={"case": case, "cancel_url": case_section_url(case.pk)},
        shows=case,
    )


def _detail(request: HttpRequest, referral: Referral, form: StepForm | None = None) -> HttpResponse:
    user = _user(request)
    can_write = selectors.may_record(user, referral)
    if form is None and can_write and referral.is_open:
        form = StepForm(referral=referral)
    today = timezone.localdate()
    context = {
        "referral": referral,
        "case": referral.case,
        "steps": list(selectors.referral_steps(referral)),
        "can_write": can_write,
        "step_form": form,
        "overdue": services.is_overdue(referral, today),
        "summary_visible": services.summary_visible(referral),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "offers/referrals/detail.html", context, status=status)


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = selectors.referral_get(user, pk)
    audit_read(actor=user, obj=referral)
    return _detail(request, referral)


@login_required
@require_POST
def referral_step(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = selectors.referral_get(user, pk, write=True)
    form = StepForm(request.POST, referral=referral)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_step(
                actor=user,
                referral=referral,
                status=data["status"],
                on=data["on"],
                note=data["note"],
                expected_start_on=data["expected_start_on"],
                planned_end_on=data["planned_end_on"],
                expected_version=form.loaded_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("offers:referral_detail", pk=referral.pk)
    return _detail(request, referral, form=form)


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


def listed_referrals(
    user: User, query: Mapping[str, Any], today: datetime.date
) -> tuple[ReferralFilterForm, QuerySet[Referral]]:
    """The list's filter form and its referrals (the page and its export share them)."""
    form = ReferralFilterForm(query or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    referrals = selectors.referral_list(
        user,
        today,
        show=data.get("show") or "open",
        status=data.get("status") or "",
        kind=data.get("kind") or "",
        mine=bool(data.get("mine")),
    )
    return form, referrals


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals of the user's scope: open by default, overdue first."""
    user = _user(request)
    access.require(user, Perm.VIEW_OFFERS)
    today = timezone.localdate()
    form, referrals = listed_referrals(user, request.GET, today)
    page = paginate(request, referrals)
    audit_read_all(actor=user, objs=list(page))
    return render(
        request,
        "offers/referrals/list.html",
        {"form": form, "page": page, "query": _query(request), "today": today},
    )


@login_required
def referral_incoming(request: HttpRequest) -> HttpResponse:
    """Referrals sent to the user's organisation as a network partner."""
    user = _user(request)
    access.require(user, Perm.RECORD_CASE_WORK)
    show = "all" if request.GET.get("show") == "all" else "open"
    today = timezone.localdate()
    page = paginate(request, selectors.incoming_list(user, today, show=show))
    audit_read_all(actor=user, objs=list(page))
    return render(
        request,
        "offers/referrals/incoming.html",
        {"page": page, "show": show, "query": _query(request), "today": today},
    )


@login_required
def referral_incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner's view of one referral (no case, no notes of the referring side); the
    partner records its feedback here."""
    user = _user(request)
    referral = selectors.incoming_get(user, pk)
    form: StepForm | None = None
    status = 200
    if request.method == "POST":
        form = StepForm(request.POST, referral=referral, partner=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.referral_feedback(
                    actor=user,
                    referral=referral,
                    status=data["status"],
                    on=data["on"],
                    note=data["note"],
                    expected_start_on=data["expected_start_on"],
                    planned_end_on=data["planned_end_on"],
                    expected_version=form.loaded_version,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("offers:referral_incoming_detail", pk=referral.pk)
        status = 400
    else:
        audit_read(actor=user, obj=referral)
    if form is None and referral.is_open:
        form = StepForm(referral=referral, partner=True)
        if not form.fields["status"].choices:  # type: ignore[attr-defined]
            form = None
    steps = list(selectors.referral_steps(referral))
    context = {
        "referral": referral,
        "participant": referral.participant,
        "steps": steps,
        "step_form": form,
        "overdue": services.is_overdue(referral, timezone.localdate()),
        "summary_visible": services.summary_visible(referral),
    }
    return render(request, "offers/referrals/incoming_detail.html", context, status=status)
