"""Group offer pages: the list, the offer page, the forms for offers, sessions and
enrolments, and the attendance screen of a session."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.network.models import Organisation, Team
from bruecke.offers.forms.groups import (
    AttendanceForm,
    EnrolForm,
    EnrolmentEndForm,
    GroupFilterForm,
    GroupOfferEditForm,
    GroupOfferForm,
    SessionForm,
)
from bruecke.offers.models import Attendance, AttendanceStatus, Enrolment, GroupOffer
from bruecke.offers.selectors import groups as selectors
from bruecke.offers.services import groups as services


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _offer_url(pk: int, anchor: str = "") -> str:
    return reverse("offers:group_detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def _owning_organisation(user: User) -> Organisation:
    """A new group offer belongs to the first organisation where the user records offers."""
    ids = sorted(access.organisation_ids(user, Perm.MANAGE_OFFERS))
    if not ids:
        raise Http404
    return Organisation.objects.get(pk=ids[0])


def _offer_form(request: HttpRequest, organisation: Organisation, **kwargs: Any) -> GroupOfferForm:
    form_class = GroupOfferEditForm if kwargs.get("instance") is not None else GroupOfferForm
    return form_class(
        request.POST or None,
        teams=Team.objects.filter(network_id=organisation.network_id, is_active=True).order_by("name"),
        staff=access.personal_data_staff([organisation.pk], any_team=True),
        **kwargs,
    )


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_OFFERS)
    filters = GroupFilterForm(request.GET or None)
    selected = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = paginate(request, selectors.group_offer_list(request.user, selected, timezone.localdate()))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "can_create": access.has_perm(request.user, Perm.MANAGE_OFFERS),
    }
    return render(request, "offers/groups/list.html", context)


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_OFFERS)
    user = _user(request)
    organisation = _owning_organisation(user)
    form = _offer_form(request, organisation)
    form.instance.organisation = organisation
    if request.method == "GET":
        own_team = next(
            (m.team_id for m in access.memberships_with(user, Perm.MANAGE_OFFERS) if m.team_id), None
        )
        form.initial.setdefault("team", own_team)
    return edit_page(
        request,
        form=form,
        save=lambda: services.group_offer_create(actor=user, offer=form.instance),
        success=lambda offer: _offer_url(offer.pk),
        title=_("New group offer"),
        context={"cancel_url": reverse("offers:group_list")},
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.group_offer_get(request.user, pk, write=True)
    form = _offer_form(request, offer.organisation, instance=offer)
    return edit_page(
        request,
        form=form,
        save=lambda: services.group_offer_update(
            actor=_user(request), offer=offer, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _offer_url(saved.pk),
        title=_("Change group offer %(title)s") % {"title": offer.title},
        context={"cancel_url": _offer_url(offer.pk)},
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer with its sessions; the participants only where the roster is visible
    (the offer's organisation and team), counts otherwise (decision 0043)."""
    user = _user(request)
    offer = selectors.group_offer_get(user, pk)
    can_write = selectors.group_offers_visible_to(user, write=True).filter(pk=offer.pk).exists()
    roster = selectors.roster_offers(user).filter(pk=offer.pk).exists()
    can_record = roster and selectors.roster_offers(user, write=True).filter(pk=offer.pk).exists()
    sessions = list(offer.sessions.all())
    counts = _attendance_counts(offer)
    for session in sessions:
        session.counts = counts.get(session.pk, {})  # type: ignore[attr-defined]
    enrolments: list[Enrolment] = []
    if roster:
        enrolments = list(
            Enrolment.objects.filter(offer=offer)
            .select_related("participant")
            .order_by("left_on", "participant__family_name", "participant__given_names", "pk")
        )
        audit_read_all(actor=user, objs=enrolments)
    active = (
        sum(1 for e in enrolments if e.left_on is None) if roster else services.active_enrolment_count(offer)
    )
    context = {
        "offer": offer,
        "sessions": sessions,
        "enrolments": enrolments,
        "roster": roster,
        "can_write": can_write,
        "can_record": can_record,
        "active": active,
        "over_capacity": offer.capacity is not None and active > offer.capacity,
    }
    return render(request, "offers/groups/detail.html", context)


def _attendance_counts(offer: GroupOffer) -> dict[int, dict[str, int]]:
    """Per session, how many were present, excused, absent (one query, no names)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Attendance.objects.filter(session__offer=offer)
        .order_by()
        .values("session_id", "status")
        .annotate(n=Count("id"))
        .values_list("session_id", "status", "n")
    )
    for session_id, status, n in rows:
        counts.setdefault(session_id, {})[status] = n
    return counts


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.group_offer_get(request.user, pk, write=True)
    form = SessionForm(request.POST or None)
    form.instance.offer = offer
    return edit_page(
        request,
        form=form,
        save=lambda: services.session_create(actor=_user(request), session=form.instance),
        success=lambda session: _offer_url(offer.pk, "sessions-heading"),
        title=_("New session of %(title)s") % {"title": offer.title},
        context={"cancel_url": _offer_url(offer.pk)},
    )


@login_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    offer = selectors.roster_offer_get(user, pk)
    form = EnrolForm(request.POST or None, cases=selectors.enrolable_cases(user, offer))
    taken = services.active_enrolment_count(offer)

    def save() -> Enrolment:
        data = form.cleaned_data
        return services.enrolment_create(
            actor=user,
            offer=offer,
            case=data["case"],
            enrolled_on=data["enrolled_on"],
            over_capacity=data["over_capacity"],
        )

    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda enrolment: _offer_url(offer.pk, "participants-heading"),
        title=_("Enrol a participant in %(title)s") % {"title": offer.title},
        template="offers/groups/enrol.html",
        context={"cancel_url": _offer_url(offer.pk), "offer": offer, "taken": taken},
    )


@login_required
def enrolment_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    enrolment = selectors.roster_enrolment_get(user, pk)
    form = EnrolmentEndForm(request.POST or None)
    return edit_page(
        request,
        form=form,
        save=lambda: services.enrolment_end(
            actor=user, enrolment=enrolment, left_on=form.cleaned_data["left_on"]
        ),
        success=lambda saved: _offer_url(enrolment.offer_id, "participants-heading"),
        title=_("%(name)s leaves %(title)s")
        % {"name": enrolment.participant.full_name, "title": enrolment.offer.title},
        shows=enrolment,
        context={"cancel_url": _offer_url(enrolment.offer_id)},
    )


@login_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """One screen for the whole session: a radio group per enrolled participant and the
    guests; saved at once in a constant number of queries (decision 0048)."""
    user = _user(request)
    session = selectors.roster_session_get(user, pk)
    enrolments = services.roster_enrolments(session)
    current = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    form = AttendanceForm(
        request.POST or None,
        enrolments=enrolments,
        current=current,
        version=session.version,
        initial={"guests": session.guests},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_save(
                actor=user,
                session=session,
                rows=form.posted_rows(),
                guests=form.cleaned_data["guests"],
                expected_version=form.loaded_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Attendance saved: %(present)s present, %(excused)s excused, %(absent)s absent.")
                % {key: result.counts[key] for key in AttendanceStatus.values},
            )
            return redirect(_offer_url(session.offer_id, "sessions-heading"))
    if request.method == "GET":
        audit_read_all(actor=user, objs=enrolments)
    context = {
        "form": form,
        "session": session,
        "offer": session.offer,
        "title": _("Attendance on %(date)s")
        % {"date": formats.date_format(session.date, "SHORT_DATE_FORMAT")},
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "offers/groups/attendance.html", context, status=status)
