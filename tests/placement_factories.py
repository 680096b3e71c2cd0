"""Small factories for placement tests: employers and opportunities created directly (the
employers and opportunities pages belong to another part of the placement capability)."""

from __future__ import annotations

import datetime
from typing import Any

from bruecke.cases.models import Case
from bruecke.core.services import model_create
from bruecke.network.models import Organisation
from bruecke.placement.models import Employer, Occupation, Opportunity, OpportunityKind, OpportunityStatus
from bruecke.placement.services import pipeline as pipeline_services

DEMO_CODE = "29302"  # Köche/Köchinnen – Fachkraft (in the demo extract)


def employer(organisation: Organisation, name: str = "Hotel Warnowblick GmbH", **fields: Any) -> Employer:
    return model_create(
        actor=None,
        instance=Employer(organisation=organisation, name=name, sector=fields.pop("sector", "I"), **fields),
    )


def opportunity(
    organisation: Organisation,
    *,
    employer_: Employer | None = None,
    kind: str = OpportunityKind.JOB,
    places: int = 1,
    start_date: datetime.date | None = None,
    **fields: Any,
) -> Opportunity:
    employer_ = employer_ or employer(organisation)
    Occupation.objects.get_or_create(code=DEMO_CODE, defaults={"title": "Köche/Köchinnen – Fachkraft"})
    return model_create(
        actor=None,
        instance=Opportunity(
            organisation=organisation,
            network_id=organisation.network_id,
            shared_with_network=employer_.shared_with_network,
            employer=employer_,
            title=fields.pop("title", "Koch/Köchin (m/w/d)"),
            kind=kind,
            occupation_id=fields.pop("occupation_id", DEMO_CODE),
            start_date=start_date or datetime.date.today() + datetime.timedelta(days=30),
            places=places,
            status=fields.pop("status", OpportunityStatus.OPEN),
            **fields,
        ),
    )


def application(actor: Any, case: Case, opportunity_: Opportunity, on: datetime.date | None = None) -> Any:
    return pipeline_services.application_create(
        actor=actor, case=case, opportunity=opportunity_, on=on or datetime.date.today()
    )
