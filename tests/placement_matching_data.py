"""Opportunities and employers for the matching tests and the access matrix.

The demo's employers and opportunities come from the employers part; these helpers make
the few records the matching tests need, whatever the demo holds.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from bruecke.network.models import Organisation
from bruecke.placement.models import Employer, EmployerSite, Occupation, Opportunity, OpportunityKind

ROSTOCK = (54.08870, 12.14049)


def employer(organisation: Organisation, name: str = "Werft Matching GmbH", **values: Any) -> Employer:
    existing = Employer.objects.filter(organisation=organisation, name=name).first()
    if existing:
        return existing
    return Employer.objects.create(organisation=organisation, name=name, sector="C", **values)


def site(owner: Employer, latitude: float = ROSTOCK[0], longitude: float = ROSTOCK[1]) -> EmployerSite:
    return EmployerSite.objects.create(
        employer=owner,
        town="Rostock",
        latitude=Decimal(f"{latitude:.5f}"),
        longitude=Decimal(f"{longitude:.5f}"),
    )


def occupation(code: str) -> Occupation:
    found = Occupation.objects.filter(code=code).first()
    return found or Occupation.objects.create(code=code, title=f"Beruf {code}")


def opportunity(organisation: Organisation, code: str = "29302", **values: Any) -> Opportunity:
    owner = values.pop("employer", None) or employer(organisation)
    location = values.pop("location", ROSTOCK)
    defaults: dict[str, Any] = {
        "title": f"Stelle {code}",
        "kind": OpportunityKind.JOB,
        "start_date": datetime.date.today() + datetime.timedelta(days=30),
        "german_level": "A2",
    }
    defaults.update(values)
    return Opportunity.objects.create(
        organisation=organisation,
        network_id=organisation.network_id,
        employer=owner,
        occupation=occupation(code),
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
        **defaults,
    )
