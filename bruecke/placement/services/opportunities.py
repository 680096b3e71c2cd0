"""Writing opportunities: record, change, and open / fill / close them.

The service copies what matching reads without joins from the employer and the site:
organisation, network, sharing and the site's coordinates (or the employer's first active
site's, when none is chosen).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.services import model_create, model_update
from bruecke.placement.models import Employer, EmployerSite, Opportunity, OpportunityStatus

# Which status may follow which (a draft is published to open or discarded as closed).
STATUS_NEXT: dict[str, set[str]] = {
    OpportunityStatus.DRAFT: {OpportunityStatus.OPEN, OpportunityStatus.CLOSED},
    OpportunityStatus.OPEN: {OpportunityStatus.FILLED, OpportunityStatus.CLOSED},
    OpportunityStatus.FILLED: {OpportunityStatus.OPEN, OpportunityStatus.CLOSED},
    OpportunityStatus.CLOSED: {OpportunityStatus.OPEN},
}


def _location(employer: Employer, site: EmployerSite | None) -> tuple[float | None, float | None]:
    if site is None:
        site = employer.sites.filter(is_active=True).order_by("pk").first()
    if site is None:
        return None, None
    return float(site.latitude), float(site.longitude)


def _copies(employer: Employer, site: EmployerSite | None) -> dict[str, Any]:
    latitude, longitude = _location(employer, site)
    return {
        "organisation_id": employer.organisation_id,
        "network_id": employer.organisation.network_id,
        "shared_with_network": employer.shared_with_network,
        "latitude": latitude,
        "longitude": longitude,
    }


def _check_site(employer: Employer, site: EmployerSite | None) -> None:
    if site is not None and site.employer_id != employer.pk:
        raise ValidationError({"site": _("Please choose a site of this employer.")})


@transaction.atomic
def opportunity_create(*, actor: User | None, opportunity: Opportunity) -> Opportunity:
    employer = opportunity.employer
    _check_site(employer, opportunity.site)
    for name, value in _copies(employer, opportunity.site).items():
        setattr(opportunity, name, value)
    if actor is not None:
        opportunity.created_by = actor
    return model_create(actor=actor, instance=opportunity)


@transaction.atomic
def opportunity_update(
    *, actor: User, opportunity: Opportunity, data: Mapping[str, Any], expected_version: int | None
) -> Opportunity:
    values = dict(data)
    site = values.get("site", opportunity.site)
    _check_site(opportunity.employer, site)
    latitude, longitude = _location(opportunity.employer, site)
    values["latitude"], values["longitude"] = latitude, longitude
    return model_update(actor=actor, instance=opportunity, data=values, expected_version=expected_version)[0]


@transaction.atomic
def opportunity_set_status(
    *, actor: User, opportunity: Opportunity, status: str, reason: str, expected_version: int | None
) -> Opportunity:
    """Open, fill or close an opportunity with a reason (publishing a draft needs an
    occupation code: the model refuses it otherwise)."""
    if status not in STATUS_NEXT.get(opportunity.status, set()):
        raise ValidationError(
            {
                "status": _("An opportunity that is %(current)s cannot be set to %(new)s.")
                % {
                    "current": opportunity.get_status_display(),
                    "new": OpportunityStatus(status).label if status in OpportunityStatus.values else status,
                }
            }
        )
    if status in (OpportunityStatus.FILLED, OpportunityStatus.CLOSED) and not reason.strip():
        raise ValidationError({"reason": _("Please give the reason.")})
    data = {"status": status, "status_reason": reason.strip()}
    return model_update(actor=actor, instance=opportunity, data=data, expected_version=expected_version)[0]
