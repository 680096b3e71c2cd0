"""Opportunity pages: the list, the opportunity page and its forms (record, change,
open / fill / close)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.views_helpers import edit_page, model_data, paginate, query_id
from bruecke.placement.forms.opportunities import (
    OpportunityEditForm,
    OpportunityFilterForm,
    OpportunityForm,
    StatusForm,
)
from bruecke.placement.kldb import RequirementLevel, requirement_level
from bruecke.placement.models import OpportunityStatus
from bruecke.placement.selectors import opportunities as selectors
from bruecke.placement.selectors.scope import (
    applications_visible_to,
    employer_get,
    employers_visible_to,
    opportunities_visible_to,
    opportunity_get,
)
from bruecke.placement.services import opportunities as services
from bruecke.placement.services.opportunities import STATUS_NEXT
from bruecke.placement.views.employers import audit_contact_choices


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _detail_url(pk: int) -> str:
    return reverse("placement:opportunity_detail", args=[pk])


@login_required
def opportunity_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PLACEMENT)
    filters = OpportunityFilterForm(request.GET or None)
    selected = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = paginate(request, selectors.opportunity_list(request.user, selected))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "can_create": access.has_perm(request.user, Perm.MANAGE_PLACEMENT),
    }
    return render(request, "placement/opportunities/list.html", context)


@login_required
def opportunity_create(request: HttpRequest) -> HttpResponse:
    """With `?employer=<pk>` the form for that employer; without, a choice of employer."""
    access.require(request.user, Perm.MANAGE_PLACEMENT)
    employer_id = query_id(request, "employer")
    if employer_id is None:
        employers = employers_visible_to(request.user, write=True).order_by("name", "id")
        context = {"employers": employers, "title": _("New opportunity")}
        return render(request, "placement/opportunities/choose_employer.html", context)
    employer = employer_get(request.user, employer_id, write=True)
    form = OpportunityForm(request.POST or None, employer=employer)
    audit_contact_choices(request, form, employer)
    return edit_page(
        request,
        form=form,
        save=lambda: services.opportunity_create(actor=_user(request), opportunity=form.instance),
        success=lambda opportunity: _detail_url(opportunity.pk),
        title=_("New opportunity at %(name)s") % {"name": employer.name},
        context={"cancel_url": reverse("placement:employer_detail", args=[employer.pk])},
    )


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_get(request.user, pk, write=True)
    form = OpportunityEditForm(request.POST or None, instance=opportunity, employer=opportunity.employer)
    audit_contact_choices(request, form, opportunity.employer)
    return edit_page(
        request,
        form=form,
        save=lambda: services.opportunity_update(
            actor=_user(request),
            opportunity=opportunity,
            data=model_data(form),
            expected_version=form.loaded_version,
        ),
        success=lambda saved: _detail_url(saved.pk),
        title=_("Change opportunity %(title)s") % {"title": opportunity.title},
        context={"cancel_url": _detail_url(opportunity.pk)},
    )


@login_required
def opportunity_status(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_get(request.user, pk, write=True)
    choices = [(s.value, s.label) for s in OpportunityStatus if s.value in STATUS_NEXT[opportunity.status]]
    form = StatusForm(request.POST or None, choices=choices, version=opportunity.version)
    return edit_page(
        request,
        form=form,
        save=lambda: services.opportunity_set_status(
            actor=_user(request),
            opportunity=opportunity,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            expected_version=form.loaded_version,
        ),
        success=lambda saved: _detail_url(saved.pk),
        title=_("Change the status of %(title)s") % {"title": opportunity.title},
        context={"cancel_url": _detail_url(opportunity.pk)},
    )


@login_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = opportunity_get(request.user, pk)
    user = _user(request)
    can_write = opportunities_visible_to(user, write=True).filter(pk=opportunity.pk).exists()
    applications = list(
        applications_visible_to(user)
        .filter(opportunity=opportunity)
        .select_related("case__participant")
        .order_by("-stage_on", "-id")
    )
    audit_read_all(actor=user, objs=[*applications, *(a.case.participant for a in applications)])
    level = requirement_level(opportunity.occupation_id or "")
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "employer": opportunity.employer,
        "can_write": can_write,
        "applications": applications,
        "level": RequirementLevel(level).label if level else "",
        "expired": bool(opportunity.expires_on and opportunity.expires_on < timezone.localdate()),
        "can_match": opportunity.status == OpportunityStatus.OPEN,
    }
    return render(request, "placement/opportunities/detail.html", context)
