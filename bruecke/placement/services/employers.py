"""Writing employers, their sites, contact persons and the history of contacts with them.

Every write is validated, saved and audited in one transaction (core.services). An
employer's sharing is copied to its opportunities in the same transaction, and so are a
site's coordinates, so that matching never reads a stale copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create, model_update
from bruecke.placement.kldb import fold
from bruecke.placement.models import (
    CooperationStatus,
    Employer,
    EmployerActivity,
    EmployerContact,
    EmployerSite,
    Opportunity,
    Place,
)


@transaction.atomic
def employer_create(*, actor: User, employer: Employer) -> Employer:
    employer.created_by = actor
    return model_create(actor=actor, instance=employer)


@transaction.atomic
def employer_update(
    *, actor: User, employer: Employer, data: Mapping[str, Any], expected_version: int | None
) -> Employer:
    """Saves the changes; a change of sharing is copied to the employer's opportunities."""
    saved, changed = model_update(
        actor=actor, instance=employer, data=data, expected_version=expected_version
    )
    if "shared_with_network" in changed:
        _copy_to_opportunities(actor, saved, {"shared_with_network": saved.shared_with_network})
    return saved


def _copy_to_opportunities(
    actor: User, employer: Employer, values: dict[str, Any], *, site: EmployerSite | None = None
) -> None:
    opportunities = Opportunity.objects.filter(employer=employer)
    if site is not None:
        opportunities = opportunities.filter(site=site)
    for opportunity in opportunities.select_for_update():
        changed = [name for name, value in values.items() if getattr(opportunity, name) != value]
        if not changed:
            continue
        for name in changed:
            setattr(opportunity, name, values[name])
        opportunity.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=opportunity, changed_fields=changed)


def place_coordinates(postcode: str, town: str) -> tuple[Decimal, Decimal] | None:
    """The coordinates of a postcode, else of a town (folded name) from the place catalogue."""
    place = None
    if postcode.strip():
        place = Place.objects.filter(postcode=postcode.strip()).order_by("pk").first()
    if place is None and town.strip():
        place = Place.objects.filter(search_name=fold(town)).order_by("pk").first()
    if place is None:
        return None
    return Decimal(place.latitude), Decimal(place.longitude)


def _fill_coordinates(site: EmployerSite) -> None:
    """Coordinates left empty come from the place catalogue; a half pair is refused."""
    if site.latitude is not None and site.longitude is not None:
        return
    if (site.latitude is None) != (site.longitude is None):
        field = "longitude" if site.longitude is None else "latitude"
        raise ValidationError({field: _("Please enter both coordinates or leave both empty.")})
    found = place_coordinates(site.postcode, site.town)
    if found is None:
        raise ValidationError(
            {
                "latitude": _(
                    "No coordinates are known for this postcode or town. Please enter the latitude "
                    "and longitude (for example from a map)."
                )
            }
        )
    site.latitude, site.longitude = found


@transaction.atomic
def site_create(*, actor: User, site: EmployerSite) -> EmployerSite:
    _fill_coordinates(site)
    return model_create(actor=actor, instance=site)


@transaction.atomic
def site_update(
    *, actor: User, site: EmployerSite, data: Mapping[str, Any], expected_version: int | None = None
) -> EmployerSite:
    values = dict(data)
    probe = EmployerSite(
        employer_id=site.employer_id,
        street=values.get("street", site.street),
        postcode=values.get("postcode", site.postcode),
        town=values.get("town", site.town),
        latitude=values.get("latitude", site.latitude),
        longitude=values.get("longitude", site.longitude),
    )
    _fill_coordinates(probe)
    values["latitude"], values["longitude"] = probe.latitude, probe.longitude
    saved, changed = model_update(actor=actor, instance=site, data=values, expected_version=expected_version)
    if {"latitude", "longitude"} & set(changed):
        _copy_to_opportunities(
            actor,
            saved.employer,
            {"latitude": float(saved.latitude), "longitude": float(saved.longitude)},
            site=saved,
        )
    return saved


@transaction.atomic
def contact_create(*, actor: User, contact: EmployerContact) -> EmployerContact:
    return model_create(actor=actor, instance=contact)


@transaction.atomic
def contact_update(
    *, actor: User, contact: EmployerContact, data: Mapping[str, Any], expected_version: int | None = None
) -> EmployerContact:
    return model_update(actor=actor, instance=contact, data=data, expected_version=expected_version)[0]


@transaction.atomic
def activity_create(*, actor: User, activity: EmployerActivity) -> EmployerActivity:
    """Records a contact with the employer; keeps the employer's last contact date (the
    latest one recorded) and moves a prospect to "in contact"."""
    if activity.contact_id and activity.contact and activity.contact.employer_id != activity.employer_id:
        raise ValidationError({"contact": _("Please choose a contact person of this employer.")})
    activity.recorded_by = actor
    saved = model_create(actor=actor, instance=activity)
    employer = activity.employer
    data: dict[str, Any] = {}
    if employer.last_contact_on is None or saved.date > employer.last_contact_on:
        data["last_contact_on"] = saved.date
    if employer.cooperation_status == CooperationStatus.PROSPECT:
        data["cooperation_status"] = CooperationStatus.CONTACTED
    if data:
        model_update(actor=actor, instance=employer, data=data)
    return saved
