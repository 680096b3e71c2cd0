"""The network page every user sees, and the pages administrators manage it with."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bruecke.accounts import mfa
from bruecke.accounts.forms import MfaResetForm
from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.services import model_create, model_update
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.network import selectors, services
from bruecke.network.forms import (
    ConsultationHourForm,
    MembershipForm,
    MobileSiteForm,
    OfficeForm,
    OrganisationForm,
    ScopedForm,
    StaffForm,
    TeamForm,
)
from bruecke.network.map import map_points
from bruecke.network.models import ConsultationHour, Membership, MobileSite


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def network_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_NETWORK)
    today = timezone.localdate()
    offices = list(selectors.offices_visible_to(request.user))
    sites = list(selectors.sites_visible_to(request.user))
    context = {
        "offices": offices,
        "sites": sites,
        "points": map_points(offices, sites),
        "week": selectors.week_by_region(request.user, today),
        "first_day": today,
        "last_day": today + datetime.timedelta(days=6),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "network/network_page.html", context)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_NETWORK)
    context = {
        "organisations": selectors.organisations_for_admin(request.user),
        "offices": selectors.offices_for_admin(request.user),
        "teams": selectors.teams_for_admin(request.user),
        "sites": selectors.sites_for_admin(request.user),
    }
    return render(request, "network/manage.html", context)


def _manage_url(_obj: object = None) -> str:
    return reverse("network:manage")


# --- organisations, offices, teams, sites: one create and one edit page each ---


@dataclass(frozen=True)
class Editable:
    """A kind of network record administrators create and edit with a plain form."""

    form: type[ScopedForm]
    queryset: Callable[[User | AnonymousUser], QuerySet[Any]]
    title_new: str | Promise
    title_edit: str | Promise
    success: Callable[[Any], str]


def _site_url(site: MobileSite) -> str:
    return reverse("network:site_detail", args=[site.pk])


def _create_view(kind: Editable) -> Callable[[HttpRequest], HttpResponse]:
    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        access.require(request.user, Perm.MANAGE_NETWORK)
        form = kind.form(request.POST or None, user=_user(request))
        return edit_page(
            request,
            form=form,
            save=lambda: model_create(actor=_user(request), instance=form.instance),
            success=kind.success,
            title=str(kind.title_new),
        )

    return view


def _edit_view(kind: Editable) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        record = access.get_or_404(kind.queryset(request.user), pk=pk)
        form = kind.form(request.POST or None, instance=record, user=_user(request))
        return edit_page(
            request,
            form=form,
            save=lambda: model_update(
                actor=_user(request),
                instance=record,
                data=model_data(form),
                expected_version=form.loaded_version,
            )[0],
            success=kind.success,
            title=str(kind.title_edit),
        )

    return view


ORGANISATION = Editable(
    OrganisationForm,
    selectors.organisations_for_admin,
    gettext_lazy("New organisation"),
    gettext_lazy("Edit organisation"),
    _manage_url,
)
OFFICE = Editable(
    OfficeForm,
    selectors.offices_for_admin,
    gettext_lazy("New office"),
    gettext_lazy("Edit office"),
    _manage_url,
)
TEAM = Editable(
    TeamForm,
    selectors.teams_for_admin,
    gettext_lazy("New regional team"),
    gettext_lazy("Edit regional team"),
    _manage_url,
)
SITE = Editable(
    MobileSiteForm,
    selectors.sites_for_admin,
    gettext_lazy("New mobile counselling site"),
    gettext_lazy("Edit mobile counselling site"),
    _site_url,
)

organisation_create, organisation_edit = _create_view(ORGANISATION), _edit_view(ORGANISATION)
office_create, office_edit = _create_view(OFFICE), _edit_view(OFFICE)
team_create, team_edit = _create_view(TEAM), _edit_view(TEAM)
site_create, site_edit = _create_view(SITE), _edit_view(SITE)


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = access.get_or_404(selectors.sites_for_admin(request.user), pk=pk)
    hours = site.hours.select_related("team").order_by("weekday", "start_time")
    return render(request, "network/site_detail.html", {"site": site, "hours": hours})


# --- consultation hours ---


def _hour_site_url(hour: object) -> str:
    return reverse("network:site_detail", args=[hour.site_id])  # type: ignore[attr-defined]


@login_required
def hour_create(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = access.get_or_404(selectors.sites_for_admin(request.user), pk=site_pk)
    form = ConsultationHourForm(request.POST or None, user=_user(request), site=site)
    return edit_page(
        request,
        form=form,
        save=lambda: services.consultation_hour_create(actor=_user(request), hour=form.instance),
        success=_hour_site_url,
        title=_("New consultation hour at %(site)s") % {"site": site},
    )


@login_required
def hour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hour = access.get_or_404(selectors.hours_for_admin(request.user), pk=pk)
    form = ConsultationHourForm(request.POST or None, instance=hour, user=_user(request), site=hour.site)
    return edit_page(
        request,
        form=form,
        save=lambda: services.consultation_hour_update(
            actor=_user(request), hour=hour, data=model_data(form), expected_version=form.loaded_version
        ),
        success=_hour_site_url,
        title=_("Edit consultation hour at %(site)s") % {"site": hour.site},
    )


@login_required
@require_POST
def hour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hour: ConsultationHour = access.get_or_404(selectors.hours_for_admin(request.user), pk=pk)
    site_pk = hour.site_id
    services.consultation_hour_delete(actor=_user(request), hour=hour)
    messages.success(request, _("The consultation hour has been removed."))
    return redirect("network:site_detail", pk=site_pk)


# --- staff and memberships ---


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_NETWORK)
    page = paginate(request, selectors.staff_for_admin(request.user))
    return render(request, "network/staff_list.html", {"page": page})


@login_required
def staff_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_NETWORK)
    form = StaffForm(request.POST or None)
    membership_form = MembershipForm(request.POST or None, user=_user(request), prefix="m")
    if request.method == "POST":
        # Both forms validate before anything is written, so nothing is half-saved.
        membership_form.is_valid()
    return edit_page(
        request,
        form=form,
        save=lambda: _staff_create(request, form, membership_form),
        success=lambda user: reverse("network:staff_detail", args=[user.pk]),
        title=_("New staff member"),
        template="network/staff_form.html",
        context={"membership_form": membership_form},
    )


def _staff_create(request: HttpRequest, form: StaffForm, membership_form: MembershipForm) -> User:
    if not membership_form.is_valid():
        raise ValidationError(_("Please correct the role below."))
    return services.staff_create(
        actor=_user(request), user=form.instance, membership=membership_form.instance
    )


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = access.get_or_404(selectors.staff_for_admin(request.user), pk=pk)
    audit_read(actor=_user(request), obj=staff)
    return _staff_page(request, staff, MfaResetForm())


def _staff_page(request: HttpRequest, staff: User, mfa_form: MfaResetForm, status: int = 200) -> HttpResponse:
    context = {
        "staff": staff,
        "memberships": selectors.memberships_for_admin(request.user).filter(user=staff),
        "mfa_device": mfa.confirmed_device(staff),
        "mfa_form": mfa_form,
    }
    return render(request, "network/staff_detail.html", context, status=status)


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = access.get_or_404(selectors.staff_for_admin(request.user), pk=pk)
    form = StaffForm(request.POST or None, instance=staff)
    return edit_page(
        request,
        form=form,
        save=lambda: services.staff_update(
            actor=_user(request), user=staff, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda user: reverse("network:staff_detail", args=[user.pk]),
        title=_("Edit staff member"),
    )


@login_required
@require_POST
def staff_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    staff = access.get_or_404(selectors.staff_for_admin(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.staff_set_active(actor=_user(request), user=staff, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The account is active.") if active else _("The account is deactivated."))
    return redirect("network:staff_detail", pk=staff.pk)


@login_required
@require_POST
def staff_invite(request: HttpRequest, pk: int) -> HttpResponse:
    staff = access.get_or_404(selectors.staff_for_admin(request.user), pk=pk)
    try:
        services.staff_invite(actor=_user(request), user=staff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new password link has been sent."))
    return redirect("network:staff_detail", pk=staff.pk)


@login_required
@require_POST
def staff_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Lost phone: the administrator resets the second factor after an identity check."""
    staff = access.get_or_404(selectors.staff_for_admin(request.user), pk=pk)
    form = MfaResetForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, staff, form, status=400)
    try:
        mfa.reset(actor=_user(request), user=staff, identity_checked=form.cleaned_data["identity_checked"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The second factor is reset; the person sets it up at the next sign-in."))
    return redirect("network:staff_detail", pk=staff.pk)


@login_required
def membership_create(request: HttpRequest, staff_pk: int) -> HttpResponse:
    staff = access.get_or_404(selectors.staff_for_admin(request.user), pk=staff_pk)
    form = MembershipForm(request.POST or None, user=_user(request))
    form.instance.user = staff
    return edit_page(
        request,
        form=form,
        save=lambda: services.membership_create(actor=_user(request), membership=form.instance),
        success=lambda m: reverse("network:staff_detail", args=[staff.pk]),
        title=_("New role for %(name)s") % {"name": staff},
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership: Membership = access.get_or_404(selectors.memberships_for_admin(request.user), pk=pk)
    try:
        services.membership_end(actor=_user(request), membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role has ended."))
    return redirect("network:staff_detail", pk=membership.user_id)
