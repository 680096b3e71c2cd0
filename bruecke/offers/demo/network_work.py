"""Demo network work of partner A: trainings for partners with their audience and one
handout, awareness events, cooperation partners with a contact person and a meeting."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from bruecke.core.services import model_create
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import (
    AudienceKind,
    AwarenessEvent,
    AwarenessKind,
    CooperationContact,
    CooperationMeeting,
    CooperationPartner,
    MeetingKind,
    PartnerKind,
    Training,
    TrainingAudience,
    TrainingMaterial,
)
from bruecke.offers.services import network_work as services

OWN_TRAINING = "Arbeitsmarktzugang für Geflüchtete: Beschäftigungsduldung und Aufenthaltserlaubnis"
OWN_PARTNER = "Industrie- und Handelskammer zu Rostock"
OWN_CONTACT = "Birte Sommerfeld"
DEMO_HANDOUT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# (topic, days ago, trainer, place, [(kind, organisation name, attendees)])
TRAININGS = [
    (
        OWN_TRAINING,
        40,
        "Refugee Law Clinic Rostock",
        "Rostock",
        [
            (AudienceKind.JOBCENTER, "Jobcenter Rostock", 9),
            (AudienceKind.AGENTUR, "Agentur für Arbeit Rostock", 4),
            (AudienceKind.IMMIGRATION_OFFICE, "Ausländerbehörde Rostock", 3),
        ],
    ),
    (
        "Anerkennung ausländischer Abschlüsse für Arbeitgeber",
        75,
        "IQ Netzwerk Mecklenburg-Vorpommern",
        "Güstrow",
        [
            (AudienceKind.COMPANY, "", 12),
            (AudienceKind.CHAMBER, "Handwerkskammer Ostmecklenburg-Vorpommern", 2),
        ],
    ),
    (
        "Schulpflicht und Sprachförderung für neu zugewanderte Jugendliche",
        12,
        "",
        "Rostock",
        [
            (AudienceKind.SCHOOL, "", 14),
            (AudienceKind.MUNICIPALITY, "Hanse- und Universitätsstadt Rostock", 2),
        ],
    ),
]
# (title, kind, days ago, place, audience)
EVENTS = [
    ("Oase der Vielfalt am Stadthafen", AwarenessKind.OASE, 30, "Rostock", 180),
    (
        "Planspiel „Flüchtling für einen Tag“ mit der Berufsschule",
        AwarenessKind.SIMULATION,
        20,
        "Rostock",
        26,
    ),
]
# (kind, name, town, contact (name, function), meeting (kind, subject, days ago, agreed for days))
PARTNERS = [
    (
        PartnerKind.IHK,
        OWN_PARTNER,
        "Rostock",
        (OWN_CONTACT, "Willkommenslotsin"),
        (MeetingKind.AGREEMENT, "Kooperationsvereinbarung Ausbildungsbörse", 60, 365),
    ),
    (
        PartnerKind.AUTHORITY,
        "Ausländerbehörde Landkreis Rostock",
        "Güstrow",
        ("Jens Petersen", "Sachgebietsleiter"),
        (MeetingKind.MEETING, "Abstimmung Beschäftigungserlaubnisse", 25, None),
    ),
    (
        PartnerKind.SCHOOL,
        "Berufliche Schule Dienstleistung und Gewerbe Rostock",
        "Rostock",
        ("Sabine Krüger", "Schulsozialarbeiterin"),
        (MeetingKind.MEETING, "Berufsvorbereitungsjahr mit Sprachförderung", 10, None),
    ),
]


def seed(demo: DemoNetwork) -> None:
    """Creates partner A's trainings, events and cooperation partners once."""
    owner = demo.partners["A"]
    if Training.objects.filter(organisation=owner).exists():
        return
    today = datetime.date.today()
    actor = demo.users["team_lead"]
    for topic, days, trainer, place, rows in TRAININGS:
        training = services.training_create(
            actor=actor,
            training=Training(
                organisation=owner,
                topic=topic,
                held_on=today - datetime.timedelta(days=days),
                trainer=trainer,
                place=place,
            ),
            audience=[
                TrainingAudience(kind=kind, organisation_name=name, attendees=n) for kind, name, n in rows
            ],
        )
        if topic == OWN_TRAINING:
            services.material_upload(
                actor=actor,
                material=TrainingMaterial(training=training, title="Handout Beschäftigungsduldung"),
                upload=SimpleUploadedFile("handout.pdf", DEMO_HANDOUT, content_type="application/pdf"),
            )
    for title, kind, days, place, audience in EVENTS:
        model_create(
            actor=actor,
            instance=AwarenessEvent(
                organisation=owner,
                title=title,
                kind=kind,
                held_on=today - datetime.timedelta(days=days),
                place=place,
                audience=audience,
            ),
        )
    for partner_kind, name, town, (contact, function), (meeting_kind, subject, days, agreed) in PARTNERS:
        partner = model_create(
            actor=actor,
            instance=CooperationPartner(organisation=owner, kind=partner_kind, name=name, town=town),
        )
        model_create(
            actor=actor, instance=CooperationContact(partner=partner, name=contact, function=function)
        )
        held_on = today - datetime.timedelta(days=days)
        services.meeting_create(
            actor=actor,
            meeting=CooperationMeeting(
                partner=partner,
                held_on=held_on,
                kind=meeting_kind,
                subject=subject,
                agreed_until=held_on + datetime.timedelta(days=agreed) if agreed else None,
            ),
        )
