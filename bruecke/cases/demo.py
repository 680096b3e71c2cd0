"""Demo cases: Mohammed Al-Hassan's case in Rostock with a few contacts."""

from __future__ import annotations

import datetime

from django.db import transaction

from bruecke.cases.models import BarrierType, Case, Channel, Contact, ContactTopic
from bruecke.cases.services import barriers as barrier_services
from bruecke.cases.services import cases as case_services
from bruecke.cases.services import contacts as contact_services
from bruecke.cases.services import transfer as transfer_services
from bruecke.cases.topics import ensure_default_barriers, ensure_default_topics
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services as participant_services
from bruecke.participants.info_sheet import INFO_SHEET_VERSION
from bruecke.participants.models import Consent, ConsentMethod, ConsentPurpose, Participant


@transaction.atomic
def seed_cases(demo: DemoNetwork) -> None:
    # The catalogue comes with a data migration; test databases that were flushed lack it.
    ensure_default_topics(ContactTopic)
    ensure_default_barriers(BarrierType)
    seed_pending_transfer(demo)
    participant = Participant.objects.filter(organisation=demo.partners["A"], family_name="Al-Hassan").first()
    if participant is None or Case.objects.filter(participant=participant).exists():
        return
    manager, officer = demo.users["cm_a"], demo.users["po_a"]
    case = case_services.case_open(
        actor=manager,
        case=Case(
            participant=participant,
            team=demo.teams["Rostock"],
            case_manager=manager,
            placement_officer=officer,
            opened_on=participant.entry_date,
        ),
    )
    topics = {t.key: t for t in ContactTopic.objects.all()}
    for days, channel, minutes, keys, note, confidential in [
        (
            0,
            Channel.OFFICE,
            60,
            ["work_permission", "language_course"],
            "Erstgespräch; Ziel Ausbildung.",
            False,
        ),
        (7, Channel.PHONE, 15, ["language_course"], "B1-Kurs ab nächstem Monat angefragt.", False),
        (14, Channel.OFFICE, 45, ["health"], "Belastung nach Flucht angesprochen.", True),
    ]:
        contact_services.contact_record(
            actor=manager,
            contact=Contact(
                case=case,
                date=min(case.opened_on + datetime.timedelta(days=days), datetime.date.today()),
                duration_minutes=minutes,
                channel=channel,
                note=note,
                confidential=confidential,
            ),
            topics=[topics[k] for k in keys if k in topics],
        )

    barriers = {b.key: b for b in BarrierType.objects.all()}
    first = [
        ("german", 3, "A2, Kurs B1 geplant"),
        ("psychological", 2, "Schlafstörungen"),
        ("recognition", 3, ""),
    ]
    later = [
        ("german", 2, "B1-Kurs begonnen"),
        ("psychological", 1, "Beratungsstelle angebunden"),
        ("recognition", 3, ""),
    ]
    for days, items in [(0, first), (14, later)]:
        barrier_services.assessment_record(
            actor=manager,
            case=case,
            assessed_on=min(case.opened_on + datetime.timedelta(days=days), datetime.date.today()),
            items=[(barriers[key], severity, note) for key, severity, note in items],
        )


def seed_pending_transfer(demo: DemoNetwork) -> None:
    """Fatima Yusuf moves from Greifswald (partner B) to Rostock (partner A): a pending
    transfer that partner A's Rostock staff can decide on (the main demo case stays put)."""
    participant = Participant.objects.filter(organisation=demo.partners["B"], family_name="Yusuf").first()
    if participant is None or Case.objects.filter(participant=participant).exists():
        return
    manager = demo.users["cm_b"]
    case = case_services.case_open(
        actor=manager,
        case=Case(
            participant=participant,
            team=demo.teams["Greifswald"],
            case_manager=manager,
            opened_on=participant.entry_date,
        ),
    )
    participant_services.consent_record(
        actor=manager,
        consent=Consent(
            participant=participant,
            purpose=ConsentPurpose.TRANSFER,
            given_on=participant.entry_date,
            method=ConsentMethod.ON_SCREEN,
            sheet_version=INFO_SHEET_VERSION,
            sheet_language="de",
        ),
        shared_with=[demo.partners["A"]],
    )
    transfer_services.transfer_request(
        actor=manager,
        case=case,
        to_organisation=demo.partners["A"],
        to_team=demo.teams["Rostock"],
        reason="Umzug nach Rostock",
    )
