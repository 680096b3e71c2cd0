"""Demo employers, sites, contacts and opportunities for each team.

Each regional team's partner gets four employers in its region of Mecklenburg-Vorpommern
with a site (town centre coordinates), contact persons, a history of contacts and open
opportunities with KldB codes from the demo catalogue. One employer per team was last
contacted more than 12 weeks ago; one employer of partner A is shared with the network.
Idempotent: an employer that exists (by organisation and name) is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import (
    CooperationStatus,
    Employer,
    EmployerActivity,
    EmployerActivityKind,
    EmployerContact,
    EmployerSite,
    InternshipKind,
    Occupation,
    Opportunity,
    OpportunityKind,
    Sector,
    SizeBand,
    WorkingTime,
)
from bruecke.placement.services import employers as employer_services
from bruecke.placement.services import opportunities as opportunity_services

# Names the tests use.
OWN_EMPLOYER = "Hansa Lager & Logistik GmbH"  # partner A, not shared
SHARED_EMPLOYER = "Pflegeheim Am Warnowufer gGmbH"  # partner A, shared with the network
STALE_EMPLOYER = "Autohaus Doberaner Straße"  # partner A, last contact more than 12 weeks ago
OTHER_PARTNER_EMPLOYER = "Greifswalder Hafenküche"  # partner B, not shared


@dataclass
class Job:
    title: str
    kind: str
    code: str
    start_in_days: int = 30
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class DemoEmployer:
    name: str
    sector: str
    size: str
    town: str
    street: str
    postcode: str
    lat: str
    lon: str
    contacts: list[tuple[str, str, str]]
    contacted_days_ago: list[int]
    jobs: list[Job]
    shared: bool = False
    training_licence: bool = False
    open_to_refugees: str = ""
    language_needs: str = ""


def _next_year(month: int) -> datetime.date:
    return datetime.date(timezone.localdate().year + 1, month, 1)


KITCHEN = Job("Küchenhilfe", OpportunityKind.JOB, "29301", 21, {"working_time": WorkingTime.PART_TIME})
COOK = Job(
    "Küchenfachkraft (Koch:Köchin)", OpportunityKind.JOB, "29302", 45, {"german_level": "B1", "shifts": True}
)
WAREHOUSE = Job("Lagerhelfer:in", OpportunityKind.JOB, "51311", 14, {"german_level": "A2", "shifts": True})
WAREHOUSE_SKILLED = Job(
    "Fachkraft für Lagerlogistik", OpportunityKind.JOB, "51312", 60, {"german_level": "B1"}
)
CARE = Job("Pflegehelfer:in", OpportunityKind.JOB, "82101", 30, {"german_level": "B1", "shifts": True})
TRUCK = Job(
    "Berufskraftfahrer:in (LKW)",
    OpportunityKind.JOB,
    "52122",
    40,
    {"driving_licence": True, "german_level": "A2"},
)
RETAIL = Job("Verkaufshilfe", OpportunityKind.JOB, "62101", 20, {"working_time": WorkingTime.EITHER})
KFZ = Job(
    "Ausbildung Kfz-Mechatroniker:in",
    OpportunityKind.APPRENTICESHIP,
    "25212",
    0,
    {"vocational_school": "Berufliche Schule", "german_level": "B1"},
)
ORIENTATION = Job(
    "Orientierungspraktikum Küche",
    OpportunityKind.INTERNSHIP,
    "29301",
    14,
    {"internship_kind": InternshipKind.ORIENTATION, "duration_days": 42},
)
HOSPITATION = Job("Hospitation im Lager", OpportunityKind.HOSPITATION, "51311", 7, {"duration_days": 5})
EQ = Job("Einstiegsqualifizierung Verkauf", OpportunityKind.EQ, "62101", 50, {"duration_days": 300})
BFD = Job(
    "Bundesfreiwilligendienst in der Altenpflege", OpportunityKind.BFD, "82101", 35, {"duration_days": 365}
)


def _kfz(month: int, school: str) -> Job:
    return Job(
        KFZ.title,
        KFZ.kind,
        KFZ.code,
        0,
        {**KFZ.extra, "vocational_school": school, "start": _next_year(month)},
    )


def _employers() -> dict[str, tuple[str, str, list[DemoEmployer]]]:
    """Per team: (partner key, placement officer's user name, employers)."""
    return {
        "Rostock": (
            "A",
            "jonas.krause",
            [
                DemoEmployer(
                    OWN_EMPLOYER,
                    Sector.H,
                    SizeBand.MEDIUM,
                    "Rostock",
                    "Am Seehafen 12",
                    "18147",
                    "54.13421",
                    "12.10183",
                    [("Sabine Koch", "Personalleitung", "0381 555 2100"), ("Uwe Brandt", "Lagerleitung", "")],
                    [9, 40, 70],
                    [WAREHOUSE, WAREHOUSE_SKILLED, HOSPITATION, TRUCK],
                    open_to_refugees="Hat bereits zwei Geflüchtete eingestellt; Einarbeitung mit Pat:innen.",
                    language_needs="Sicherheitsunterweisung auf Deutsch (A2).",
                ),
                DemoEmployer(
                    SHARED_EMPLOYER,
                    Sector.Q,
                    SizeBand.MEDIUM,
                    "Rostock",
                    "Warnowufer 40",
                    "18057",
                    "54.09306",
                    "12.11722",
                    [("Doris Petersen", "Pflegedienstleitung", "0381 555 3300")],
                    [5, 33],
                    [CARE, BFD],
                    shared=True,
                    training_licence=True,
                    language_needs="Pflege braucht B1, für die Ausbildung B2.",
                ),
                DemoEmployer(
                    STALE_EMPLOYER,
                    Sector.G,
                    SizeBand.SMALL,
                    "Bad Doberan",
                    "Doberaner Straße 3",
                    "18209",
                    "54.10685",
                    "11.90860",
                    [("Mirko Lehmann", "Inhaber", "038203 5550")],
                    [95, 130],
                    [_kfz(8, "Berufliche Schule Rostock"), RETAIL],
                    training_licence=True,
                ),
                DemoEmployer(
                    "Gasthaus Güstrower Schloss",
                    Sector.I,
                    SizeBand.SMALL,
                    "Güstrow",
                    "Franz-Parr-Platz 1",
                    "18273",
                    "53.79420",
                    "12.17500",
                    [("Heike Sommer", "Küchenchefin", "03843 555 10")],
                    [12, 50],
                    [KITCHEN, COOK, ORIENTATION],
                ),
            ],
        ),
        "Greifswald": (
            "B",
            "katrin.vogel",
            [
                DemoEmployer(
                    OTHER_PARTNER_EMPLOYER,
                    Sector.I,
                    SizeBand.SMALL,
                    "Greifswald",
                    "Am Hafen 4",
                    "17489",
                    "54.09570",
                    "13.38400",
                    [("Jana Witt", "Betriebsleitung", "03834 555 40")],
                    [8, 30],
                    [KITCHEN, COOK],
                ),
                DemoEmployer(
                    "Stralsunder Werft-Service GmbH",
                    Sector.C,
                    SizeBand.LARGE,
                    "Stralsund",
                    "Werftstraße 9",
                    "18439",
                    "54.30911",
                    "13.08184",
                    [("Holger Kühn", "Ausbildungsleitung", "03831 555 900"), ("Nina Baum", "Personal", "")],
                    [15, 60, 110],
                    [_kfz(9, "Berufliche Schule Stralsund"), HOSPITATION],
                    training_licence=True,
                ),
                DemoEmployer(
                    "Anklamer Frischemarkt",
                    Sector.G,
                    SizeBand.SMALL,
                    "Anklam",
                    "Markt 2",
                    "17389",
                    "53.85637",
                    "13.68880",
                    [("Tobias Rehberg", "Marktleitung", "03971 555 20")],
                    [100, 140],
                    [RETAIL, EQ],
                ),
            ],
        ),
        "Schwerin": (
            "C",
            "mariam.saleh",
            [
                DemoEmployer(
                    "Schweriner Seniorenresidenz",
                    Sector.Q,
                    SizeBand.MEDIUM,
                    "Schwerin",
                    "Obotritenring 20",
                    "19053",
                    "53.62937",
                    "11.41484",
                    [("Claudia Herrmann", "Heimleitung", "0385 555 700")],
                    [4, 28],
                    [CARE, BFD],
                ),
                DemoEmployer(
                    "Wismarer Spedition Ostsee",
                    Sector.H,
                    SizeBand.MEDIUM,
                    "Wismar",
                    "Hafenstraße 8",
                    "23966",
                    "53.89140",
                    "11.46520",
                    [("Peter Schulte", "Disposition", "03841 555 12")],
                    [20, 55],
                    [TRUCK, WAREHOUSE],
                ),
                DemoEmployer(
                    "Ludwigsluster Schlossbäckerei",
                    Sector.C,
                    SizeBand.SMALL,
                    "Ludwigslust",
                    "Schlossstraße 5",
                    "19288",
                    "53.32917",
                    "11.49722",
                    [("Anke Voss", "Inhaberin", "03874 555 30")],
                    [90, 120],
                    [RETAIL, ORIENTATION],
                ),
            ],
        ),
        "Neubrandenburg": (
            "D",
            "frank.neumann",
            [
                DemoEmployer(
                    "Seenplatte Logistikzentrum",
                    Sector.H,
                    SizeBand.LARGE,
                    "Neubrandenburg",
                    "Ihlenfelder Straße 100",
                    "17034",
                    "53.57500",
                    "13.28800",
                    [("Sven Roloff", "Personalreferent", "0395 555 800")],
                    [10, 45],
                    [WAREHOUSE, WAREHOUSE_SKILLED, TRUCK],
                ),
                DemoEmployer(
                    "Müritz-Hotel Waren",
                    Sector.I,
                    SizeBand.MEDIUM,
                    "Waren (Müritz)",
                    "Strandstraße 1",
                    "17192",
                    "53.51624",
                    "12.68258",
                    [("Katja Lorenz", "Hoteldirektion", "03991 555 60"), ("Marco Stein", "Küchenchef", "")],
                    [6, 35, 80],
                    [KITCHEN, COOK, ORIENTATION],
                ),
                DemoEmployer(
                    "Autowerkstatt Neustrelitz",
                    Sector.G,
                    SizeBand.MICRO,
                    "Neustrelitz",
                    "Strelitzer Straße 9",
                    "17235",
                    "53.36380",
                    "13.06311",
                    [("Ralf Timm", "Meister", "03981 555 70")],
                    [92, 150],
                    [_kfz(8, "Berufliche Schule Neustrelitz"), HOSPITATION],
                    training_licence=True,
                ),
            ],
        ),
    }


KINDS = [EmployerActivityKind.PHONE, EmployerActivityKind.VISIT, EmployerActivityKind.EMAIL]


def _email(name: str, employer: str) -> str:
    local = name.lower().replace(" ", ".").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    domain = "".join(c for c in employer.lower() if c.isalnum())[:16]
    return f"{local}@{domain}.example"


@transaction.atomic
def seed(demo: DemoNetwork) -> None:
    today = timezone.localdate()
    codes = set(Occupation.objects.values_list("code", flat=True))
    for team, (partner, username, employers) in _employers().items():
        organisation = demo.partners[partner]
        actor = User.objects.get(username=username)
        del team
        for spec in employers:
            if Employer.objects.filter(organisation=organisation, name=spec.name).exists():
                continue
            _seed_employer(organisation, actor, spec, today, codes)


def _seed_employer(
    organisation: Any, actor: User, spec: DemoEmployer, today: datetime.date, codes: set[str]
) -> None:
    employer = employer_services.employer_create(
        actor=actor,
        employer=Employer(
            organisation=organisation,
            name=spec.name,
            sector=spec.sector,
            size_band=spec.size,
            cooperation_status=CooperationStatus.ACTIVE
            if spec.contacted_days_ago[0] < 30
            else CooperationStatus.CONTACTED,
            shared_with_network=spec.shared,
            training_licence=spec.training_licence,
            open_to_refugees=spec.open_to_refugees,
            language_needs=spec.language_needs,
        ),
    )
    site = employer_services.site_create(
        actor=actor,
        site=EmployerSite(
            employer=employer,
            name=spec.town,
            street=spec.street,
            postcode=spec.postcode,
            town=spec.town,
            latitude=Decimal(spec.lat),
            longitude=Decimal(spec.lon),
        ),
    )
    contacts = [
        employer_services.contact_create(
            actor=actor,
            contact=EmployerContact(
                employer=employer, name=name, function=function, phone=phone, email=_email(name, spec.name)
            ),
        )
        for name, function, phone in spec.contacts
    ]
    for index, days in enumerate(sorted(spec.contacted_days_ago, reverse=True)):
        employer.refresh_from_db()
        employer_services.activity_create(
            actor=actor,
            activity=EmployerActivity(
                employer=employer,
                date=today - datetime.timedelta(days=days),
                kind=KINDS[index % len(KINDS)],
                contact=contacts[index % len(contacts)],
                note="Bedarf besprochen; offene Stellen und Praktika aufgenommen.",
            ),
        )
    employer.refresh_from_db()
    for job in spec.jobs:
        if job.code not in codes:
            continue
        extra = dict(job.extra)
        start = extra.pop("start", None) or today + datetime.timedelta(days=job.start_in_days)
        duration = extra.pop("duration_days", None)
        opportunity_services.opportunity_create(
            actor=actor,
            opportunity=Opportunity(
                employer=employer,
                site=site,
                contact=contacts[0],
                title=job.title,
                kind=job.kind,
                occupation_id=job.code,
                start_date=start,
                end_date=start + datetime.timedelta(days=duration) if duration else None,
                places=2 if job.kind == OpportunityKind.JOB else 1,
                expires_on=start - datetime.timedelta(days=7)
                if start > today + datetime.timedelta(days=7)
                else None,
                **extra,
            ),
        )
