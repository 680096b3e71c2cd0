"""Employer pages: the list, the employer page, and the forms for employers, their sites,
contact persons and the contacts with them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import BaseForm, ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.network.models import Organisation
from bruecke.placement.forms.employers import (
    ActivityForm,
    ContactEditForm,
    ContactForm,
    EmployerEditForm,
    EmployerFilterForm,
    EmployerForm,
    SiteEditForm,
    SiteForm,
)
from bruecke.placement.models import Employer, EmployerContact, EmployerSite, Placement
from bruecke.placement.selectors import employers as selectors
from bruecke.placement.selectors.scope import (
    employer_get,
    employers_visible_to,
    opportunities_visible_to,
    placements_visible_to,
)
from bruecke.placement.services import employers as services

ACTIVITIES_PER_PAGE = 10


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def audit_contact_choices(request: HttpRequest, form: BaseForm, employer: Employer) -> None:
    """A form that offers the employer's contact persons as choices shows their names:
    a read of each (personal data), when the form is opened."""
    field = form.fields.get("contact")
    if request.method != "GET" or not isinstance(field, ModelChoiceField) or field.queryset is None:
        return
    contacts = list(field.queryset)
    for contact in contacts:
        contact.employer = employer  # the audit reads the organisation from here
    audit_read_all(actor=_user(request), objs=contacts)


def _employer_url(employer_id: int, anchor: str = "") -> str:
    return reverse("placement:employer_detail", args=[employer_id]) + (f"#{anchor}" if anchor else "")


def _owning_organisation(user: User) -> Organisation:
    """The organisation a new employer belongs to: the first where the user records placement work."""
    ids = sorted(access.organisation_ids(user, Perm.MANAGE_PLACEMENT))
    if not ids:
        raise Http404
    return Organisation.objects.get(pk=ids[0])


@login_required
def employer_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PLACEMENT)
    filters = EmployerFilterForm(request.GET or None)
    selected = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    today = timezone.localdate()
    page = paginate(request, selectors.employer_list(request.user, selected, today))
    own = access.organisation_ids(request.user, Perm.VIEW_PLACEMENT)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "own": own,
        "can_create": access.has_perm(request.user, Perm.MANAGE_PLACEMENT),
    }
    return render(request, "placement/employers/list.html", context)


@login_required
def employer_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_PLACEMENT)
    form = EmployerForm(request.POST or None)
    form.instance.organisation = _owning_organisation(_user(request))
    return edit_page(
        request,
        form=form,
        save=lambda: services.employer_create(actor=_user(request), employer=form.instance),
        success=lambda employer: _employer_url(employer.pk),
        title=_("New employer"),
        context={"cancel_url": reverse("placement:employer_list")},
    )


@login_required
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = employer_get(request.user, pk, write=True)
    form = EmployerEditForm(request.POST or None, instance=employer)
    return edit_page(
        request,
        form=form,
        save=lambda: services.employer_update(
            actor=_user(request),
            employer=employer,
            data=model_data(form),
            expected_version=form.loaded_version,
        ),
        success=lambda saved: _employer_url(saved.pk),
        title=_("Change employer %(name)s") % {"name": employer.name},
        context={"cancel_url": _employer_url(employer.pk)},
    )


@login_required
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = employer_get(request.user, pk)
    user = _user(request)
    can_write = employers_visible_to(user, write=True).filter(pk=employer.pk).exists()
    own = access.employer_contacts_visible(user, employer.organisation_id)
    context: dict[str, Any] = {
        "employer": employer,
        "can_write": can_write,
        "own": own,
        "sites": list(employer.sites.all()),
        "opportunities": list(
            opportunities_visible_to(user)
            .filter(employer=employer)
            .select_related("occupation", "site")
            .order_by("-status", "start_date", "id")
        ),
    }
    shown: list[Any] = []
    if own:
        contacts = list(employer.contacts.all())
        for contact in contacts:
            contact.employer = employer  # the audit reads the organisation from here
        activities = paginate(
            request,
            employer.activities.select_related("contact", "recorded_by").order_by("-date", "-id"),
            per_page=ACTIVITIES_PER_PAGE,
        )
        context |= {"contacts": contacts, "activities": activities}
        shown += contacts
        shown += [a.contact for a in activities if a.contact is not None]
        for activity in activities:
            if activity.contact is not None:
                activity.contact.employer = employer
    visible = list(
        placements_visible_to(user)
        .filter(employer=employer)
        .select_related("participant", "opportunity")
        .order_by("-start_date", "-id")[:50]
    )
    total = Placement.objects.filter(employer=employer).count()
    context |= {"placements": visible, "placements_hidden": max(total - len(visible), 0)}
    shown += visible
    audit_read_all(actor=user, objs=shown)
    return render(request, "placement/employers/detail.html", context)


def _writable_site(request: HttpRequest, pk: int) -> EmployerSite:
    writable = employers_visible_to(request.user, write=True)
    return access.get_or_404(
        EmployerSite.objects.filter(employer__in=writable).select_related("employer"), pk=pk
    )


def _writable_contact(request: HttpRequest, pk: int) -> EmployerContact:
    writable = employers_visible_to(request.user, write=True)
    queryset = EmployerContact.objects.filter(employer__in=writable).select_related("employer__organisation")
    return access.get_or_404(queryset, pk=pk)


@login_required
def site_create(request: HttpRequest, pk: int) -> HttpResponse:
    employer = employer_get(request.user, pk, write=True)
    form = SiteForm(request.POST or None)
    form.instance.employer = employer
    return edit_page(
        request,
        form=form,
        save=lambda: services.site_create(actor=_user(request), site=form.instance),
        success=lambda site: _employer_url(employer.pk, "sites-heading"),
        title=_("New site of %(name)s") % {"name": employer.name},
        context={"cancel_url": _employer_url(employer.pk)},
    )


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = _writable_site(request, pk)
    form = SiteEditForm(request.POST or None, instance=site)
    return edit_page(
        request,
        form=form,
        save=lambda: services.site_update(
            actor=_user(request), site=site, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _employer_url(site.employer_id, "sites-heading"),
        title=_("Change site of %(name)s") % {"name": site.employer.name},
        context={"cancel_url": _employer_url(site.employer_id)},
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    employer = employer_get(request.user, pk, write=True)
    form = ContactForm(request.POST or None)
    form.instance.employer = employer
    return edit_page(
        request,
        form=form,
        save=lambda: services.contact_create(actor=_user(request), contact=form.instance),
        success=lambda contact: _employer_url(employer.pk, "contacts-heading"),
        title=_("New contact person at %(name)s") % {"name": employer.name},
        context={"cancel_url": _employer_url(employer.pk)},
    )


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _writable_contact(request, pk)
    form = ContactEditForm(request.POST or None, instance=contact)
    return edit_page(
        request,
        form=form,
        save=lambda: services.contact_update(
            actor=_user(request), contact=contact, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _employer_url(contact.employer_id, "contacts-heading"),
        title=_("Change contact person at %(name)s") % {"name": contact.employer.name},
        context={"cancel_url": _employer_url(contact.employer_id)},
        shows=contact,
    )


@login_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    employer: Employer = employer_get(request.user, pk, write=True)
    form = ActivityForm(request.POST or None, employer=employer)
    audit_contact_choices(request, form, employer)
    return edit_page(
        request,
        form=form,
        save=lambda: services.activity_create(actor=_user(request), activity=form.instance),
        success=lambda activity: _employer_url(employer.pk, "history-heading"),
        title=_("Record a contact with %(name)s") % {"name": employer.name},
        context={"cancel_url": _employer_url(employer.pk)},
    )
