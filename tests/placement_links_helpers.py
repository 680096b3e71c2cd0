"""Employers and links for the link tests and the persona matrix (the demo's employers
have other contact persons; these helpers make one of their own)."""

from __future__ import annotations

from decimal import Decimal

from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Employer, EmployerContact, EmployerSite, Opportunity, OpportunityStatus
from bruecke.placement.services import links as services


def employer_of(demo: DemoNetwork, partner: str = "A") -> Employer:
    organisation = demo.partners[partner]
    # An employer of its own, so the demo's employers and contact persons do not matter.
    employer = Employer.objects.filter(organisation=organisation, name=f"Hafenküche {partner} GmbH").first()
    if employer is None:
        employer = Employer.objects.create(
            organisation=organisation,
            name=f"Hafenküche {partner} GmbH",
            sector="I",
            cooperation_status="active",
        )
    if not EmployerSite.objects.filter(employer=employer).exists():
        EmployerSite.objects.create(
            employer=employer,
            town="Rostock",
            postcode="18055",
            latitude=Decimal("54.08870"),
            longitude=Decimal("12.14049"),
        )
    if not EmployerContact.objects.filter(employer=employer).exists():
        EmployerContact.objects.create(
            employer=employer, name="Petra Hansen", phone="0381 123456", email="hansen@example.org"
        )
    return employer


def new_link(demo: DemoNetwork, partner: str = "A") -> services.NewLink:
    employer = employer_of(demo, partner)
    sender = demo.users["po_a"] if partner == "A" else demo.users["cm_b"]
    return services.link_create(actor=sender, employer=employer, contact=employer.contacts.first())


def draft_of(demo: DemoNetwork) -> Opportunity:
    existing = Opportunity.objects.filter(
        organisation=demo.partners["A"], status=OpportunityStatus.DRAFT
    ).first()
    if existing is not None:
        return existing
    import datetime

    return services.submit_opportunity(
        token=new_link(demo).token,
        data={
            "title": "Beikoch (m/w/d)",
            "kind": "job",
            "working_time": "full",
            "start_date": datetime.date.today() + datetime.timedelta(days=30),
            "places": 2,
            "occupation_words": "Koch",
            "town": "Rostock",
            "contact_name": "Petra Hansen",
            "contact_phone": "0381 123456",
        },
    )
