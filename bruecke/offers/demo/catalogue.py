"""Demo catalogue: providers and measures around Rostock and Greifswald, one network
partner (partner B's psychosocial counselling) so that referrals to a partner show."""

from __future__ import annotations

import datetime

from bruecke.core.services import model_create
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import Measure, MeasureKind, MeasureStart, Provider, ProviderKind

# (key, kind, name, town, partner key or None)
PROVIDERS = [
    ("vhs", ProviderKind.ADULT_EDUCATION, "Volkshochschule Rostock", "Rostock", None),
    ("ik", ProviderKind.INTEGRATION_COURSES, "Sprachschule Hanse Integrationskurse", "Rostock", None),
    ("iq", ProviderKind.RECOGNITION, "IQ Anerkennungsberatung Mecklenburg-Vorpommern", "Rostock", None),
    ("law", ProviderKind.LEGAL_AID, "Refugee Law Clinic Rostock", "Rostock", None),
    ("jc", ProviderKind.JOBCENTER_AGENTUR, "Jobcenter Rostock", "Rostock", None),
    (
        "school",
        ProviderKind.VOCATIONAL_SCHOOL,
        "Berufliche Schule Dienstleistung und Gewerbe Rostock",
        "Rostock",
        None,
    ),
    ("psz", ProviderKind.NETWORK_PARTNER, "Psychosoziale Beratung (Partner B)", "Greifswald", "B"),
]
# (provider key, kind, title, target level, capacity, start offsets in days)
MEASURES = [
    ("ik", MeasureKind.INTEGRATION_COURSE, "Integrationskurs mit Alphabetisierung", "B1", 20, (21, 112)),
    ("vhs", MeasureKind.LANGUAGE_COURSE, "Deutsch am Abend A2", "A2", 16, (14,)),
    ("vhs", MeasureKind.JOB_LANGUAGE_COURSE, "Berufssprachkurs B2 Pflege", "B2", 18, (35,)),
    ("iq", MeasureKind.RECOGNITION, "Anerkennungsberatung für ausländische Abschlüsse", "", None, ()),
    ("law", MeasureKind.LEGAL_AID, "Rechtsberatung zu Aufenthalt und Arbeit", "", None, ()),
    ("jc", MeasureKind.VOCATIONAL_PREPARATION, "Berufsvorbereitende Maßnahme (BvB)", "", 12, (60,)),
    ("school", MeasureKind.SCHOOL_ENROLMENT, "Berufsvorbereitungsjahr mit Sprachförderung", "", 24, (90,)),
    ("psz", MeasureKind.PSYCHOSOCIAL, "Psychosoziale Erstberatung", "", None, ()),
    ("jc", MeasureKind.CAREER_ORIENTATION, "Berufsorientierung für Geflüchtete", "", 15, (28,)),
]


def seed(demo: DemoNetwork) -> None:
    """Creates the demo providers and measures once (partner A recorded them)."""
    owner = demo.partners["A"]
    if Provider.objects.filter(organisation=owner).exists():
        return
    providers: dict[str, Provider] = {}
    for key, kind, name, town, partner in PROVIDERS:
        providers[key] = model_create(
            actor=None,
            instance=Provider(
                organisation=owner,
                kind=kind,
                name=name,
                town=town,
                partner=demo.partners[partner] if partner else None,
            ),
        )
    today = datetime.date.today()
    for provider_key, measure_kind, title, level, capacity, starts in MEASURES:
        measure = model_create(
            actor=None,
            instance=Measure(
                organisation=owner,
                provider=providers[provider_key],
                kind=measure_kind,
                title=title,
                target_level=level,
                places=providers[provider_key].town,
                languages="Deutsch",
                capacity=capacity,
            ),
        )
        for offset in starts:
            start = today + datetime.timedelta(days=offset)
            model_create(actor=None, instance=MeasureStart(measure=measure, starts_on=start))
