"""Network work pages: trainings for partners (with audience and materials), awareness
events, cooperation partners with their contacts and meetings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.offers.forms.network_work import (
    CooperationContactForm,
    EventEditForm,
    EventForm,
    MaterialForm,
    MeetingForm,
    PartnerEditForm,
    PartnerForm,
    TrainingEditForm,
    TrainingForm,
)
from bruecke.offers.materials import content_type_for
from bruecke.offers.selectors import network_work as selectors
from bruecke.offers.services import network_work as services
from bruecke.offers.views.catalogue import owning_organisation

MEETINGS_PER_PAGE = 20
TRAINING_FORM = "offers/network_work/training_form.html"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _list_context(request: HttpRequest, tab: str) -> dict[str, Any]:
    return {"tab": tab, "can_create": access.has_perm(request.user, Perm.MANAGE_OFFERS)}


# --- trainings -------------------------------------------------------------------------


def _training_url(pk: int, anchor: str = "") -> str:
    return reverse("offers:training_detail", args=[pk]) + (f"#{anchor}" if anchor else "")


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_OFFERS)
    page = paginate(request, selectors.training_list(request.user))
    return render(
        request,
        "offers/network_work/training_list.html",
        {"page": page, **_list_context(request, "trainings")},
    )


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    training = selectors.training_get(user, pk)
    own = access.offers_people_visible(user, training.organisation_id)
    audience = list(training.audience.all())
    context = {
        "training": training,
        "can_write": selectors.trainings_visible_to(user, write=True).filter(pk=training.pk).exists(),
        "own": own,
        "audience": audience,
        "total": sum(row.attendees for row in audience),
        "materials": list(training.materials.all()) if own else [],
    }
    return render(request, "offers/network_work/training_detail.html", context)


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_OFFERS)
    user = _user(request)
    form = TrainingForm(request.POST or None)
    form.instance.organisation = owning_organisation(user)
    return edit_page(
        request,
        form=form,
        save=lambda: services.training_create(
            actor=user, training=form.instance, audience=form.audience_rows()
        ),
        success=lambda training: _training_url(training.pk),
        title=_("New training"),
        template=TRAINING_FORM,
        context={"cancel_url": reverse("offers:training_list")},
    )


@login_required
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    training = selectors.training_get(user, pk, write=True)
    form = TrainingEditForm(request.POST or None, instance=training)
    return edit_page(
        request,
        form=form,
        save=lambda: services.training_update(
            actor=user,
            training=training,
            data=model_data(form),
            expected_version=form.loaded_version,
            audience=form.audience_rows(),
        ),
        success=lambda saved: _training_url(saved.pk),
        title=_("Change training %(topic)s") % {"topic": training.topic},
        template=TRAINING_FORM,
        context={"cancel_url": _training_url(training.pk)},
    )


@login_required
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    training = selectors.training_get(user, pk, write=True)
    form = MaterialForm(request.POST or None, request.FILES or None, training=training)
    return edit_page(
        request,
        form=form,
        save=lambda: services.material_upload(
            actor=user, material=form.instance, upload=form.cleaned_data["upload"]
        ),
        success=lambda material: _training_url(training.pk, "materials-heading"),
        title=_("Upload material for %(topic)s") % {"topic": training.topic},
        template="offers/network_work/material_form.html",
        context={"cancel_url": _training_url(training.pk)},
    )


@login_required
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, only for the staff of the organisation that held the training, always as
    a download of its checked type."""
    material = selectors.material_get(request.user, pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=material.download_name)
    response["Content-Type"] = content_type_for(material.extension)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- awareness events ------------------------------------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_OFFERS)
    page = paginate(request, selectors.events_visible_to(request.user).select_related("organisation"))
    context = {
        "page": page,
        "own": access.organisation_ids(request.user, Perm.MANAGE_OFFERS),
        **_list_context(request, "events"),
    }
    return render(request, "offers/network_work/event_list.html", context)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_OFFERS)
    user = _user(request)
    form = EventForm(request.POST or None)
    form.instance.organisation = owning_organisation(user)
    return edit_page(
        request,
        form=form,
        save=lambda: services.event_create(actor=user, event=form.instance),
        success=lambda event: reverse("offers:event_list"),
        title=_("New awareness event"),
        context={"cancel_url": reverse("offers:event_list")},
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    event = selectors.event_get(user, pk, write=True)
    form = EventEditForm(request.POST or None, instance=event)
    return edit_page(
        request,
        form=form,
        save=lambda: services.event_update(
            actor=user, event=event, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: reverse("offers:event_list"),
        title=_("Change awareness event %(title)s") % {"title": event.title},
        context={"cancel_url": reverse("offers:event_list")},
    )


# --- cooperation partners --------------------------------------------------------------


def _partner_url(pk: int, anchor: str = "") -> str:
    return reverse("offers:partner_detail", args=[pk]) + (f"#{anchor}" if anchor else "")


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_OFFERS)
    page = paginate(request, selectors.partners_visible_to(request.user).select_related("organisation"))
    context = {
        "page": page,
        "own": access.organisation_ids(request.user, Perm.MANAGE_OFFERS),
        **_list_context(request, "partners"),
    }
    return render(request, "offers/network_work/partner_list.html", context)


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partner = selectors.partner_get(user, pk)
    own = access.offers_people_visible(user, partner.organisation_id)
    context: dict[str, Any] = {
        "partner": partner,
        "own": own,
        "can_write": selectors.partners_visible_to(user, write=True).filter(pk=partner.pk).exists(),
    }
    if own:
        contacts = list(partner.contacts.all())
        for contact in contacts:
            contact.partner = partner  # the audit reads the organisation from here
        meetings = paginate(
            request,
            partner.meetings.select_related("recorded_by").order_by("-held_on", "-id"),
            MEETINGS_PER_PAGE,
        )
        context |= {"contacts": contacts, "meetings": meetings}
        # Contact persons are personal data of outside people: their page view is recorded.
        audit_read_all(actor=user, objs=contacts)
    return render(request, "offers/network_work/partner_detail.html", context)


@login_required
def partner_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_OFFERS)
    user = _user(request)
    form = PartnerForm(request.POST or None)
    form.instance.organisation = owning_organisation(user)
    return edit_page(
        request,
        form=form,
        save=lambda: services.partner_create(actor=user, partner=form.instance),
        success=lambda partner: _partner_url(partner.pk),
        title=_("New cooperation partner"),
        context={"cancel_url": reverse("offers:partner_list")},
    )


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partner = selectors.partner_get(user, pk, write=True)
    form = PartnerEditForm(request.POST or None, instance=partner)
    return edit_page(
        request,
        form=form,
        save=lambda: services.partner_update(
            actor=user, partner=partner, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _partner_url(saved.pk),
        title=_("Change cooperation partner %(name)s") % {"name": partner.name},
        context={"cancel_url": _partner_url(partner.pk)},
    )


@login_required
def partner_contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partner = selectors.partner_get(user, pk, write=True)
    form = CooperationContactForm(request.POST or None, partner=partner)
    return edit_page(
        request,
        form=form,
        save=lambda: services.contact_create(actor=user, contact=form.instance),
        success=lambda contact: _partner_url(partner.pk, "contacts-heading"),
        title=_("New contact person at %(name)s") % {"name": partner.name},
        context={"cancel_url": _partner_url(partner.pk)},
    )


@login_required
def partner_meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    partner = selectors.partner_get(user, pk, write=True)
    form = MeetingForm(request.POST or None, partner=partner)
    return edit_page(
        request,
        form=form,
        save=lambda: services.meeting_create(actor=user, meeting=form.instance),
        success=lambda meeting: _partner_url(partner.pk, "meetings-heading"),
        title=_("Record a meeting or agreement with %(name)s") % {"name": partner.name},
        context={"cancel_url": _partner_url(partner.pk)},
    )
