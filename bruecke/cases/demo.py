"""Demo cases: Mohammed Al-Hassan's case in Rostock with contacts, profile, document and plan; Abdulrahman
Hussein's closed case (exit questionnaire and a follow-up answer)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.cases.models import (
    AnonymousContact,
    BarrierType,
    Case,
    CaseDocument,
    Channel,
    Contact,
    ContactTopic,
    DigitalSkills,
    DocumentType,
    DrivingLicence,
    Plan,
    Profile,
    QualificationKind,
    RecognitionStatus,
    Responsible,
    Task,
)
from bruecke.cases.services import barriers as barrier_services
from bruecke.cases.services import cases as case_services
from bruecke.cases.services import contacts as contact_services
from bruecke.cases.services import documents as document_services
from bruecke.cases.services import exit as exit_services
from bruecke.cases.services import mobile as mobile_services
from bruecke.cases.services import plan as plan_services
from bruecke.cases.services import profile as profile_services
from bruecke.cases.services import tasks as task_services
from bruecke.cases.services import transfer as transfer_services
from bruecke.cases.services.profile import RowChange
from bruecke.cases.topics import ensure_default_barriers, ensure_default_topics
from bruecke.esf.exit_models import ExitReason, FollowUpAnswer, SituationType
from bruecke.esf.exit_services import SituationInput
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import MobileSite, Team
from bruecke.participants import services as participant_services
from bruecke.participants.info_sheet import INFO_SHEET_VERSION
from bruecke.participants.models import Consent, ConsentMethod, ConsentPurpose, Participant


@transaction.atomic
def seed_cases(demo: DemoNetwork) -> None:
    from bruecke.offers.demo import seed_offers  # offers build on cases
    from bruecke.placement.demo import seed_placement  # placement builds on cases
    from bruecke.reporting.demo import seed_reporting  # reports count all of the above
    from bruecke.spreadsheets.demo import seed_spreadsheets  # imports employers

    _seed_case(demo)
    _seed_tasks(demo)
    seed_placement(demo)
    seed_offers(demo)
    seed_reporting(demo)
    seed_spreadsheets(demo)


def _seed_case(demo: DemoNetwork) -> None:
    # The catalogue comes with a data migration; test databases that were flushed lack it.
    ensure_default_topics(ContactTopic)
    ensure_default_barriers(BarrierType)
    _seed_closed_case(demo)
    seed_anonymous_contacts(demo)
    seed_pending_transfer(demo)
    participant = Participant.objects.filter(organisation=demo.partners["A"], family_name="Al-Hassan").first()
    if participant is None:
        return
    case = Case.objects.filter(participant=participant).first() or _open_demo_case(demo, participant)
    seed_profile(demo, case)
    seed_document(demo, case)
    seed_plan(demo, case)


def _open(participant: Participant, team: Team, manager: User, officer: User | None = None) -> Case:
    """Opens a demo case on the participant's entry date."""
    return case_services.case_open(
        actor=manager,
        case=Case(
            participant=participant,
            team=team,
            case_manager=manager,
            placement_officer=officer,
            opened_on=participant.entry_date,
        ),
    )


def _open_demo_case(demo: DemoNetwork, participant: Participant) -> Case:
    manager, officer = demo.users["cm_a"], demo.users["po_a"]
    case = _open(participant, demo.teams["Rostock"], manager, officer)
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
    return case


# A minimal valid PDF, standing in for the scan of a vocational certificate.
DEMO_DOCUMENT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_profile(demo: DemoNetwork, case: Case) -> None:
    """Mohammed's strengths, goals, experience as an electrician, his certificate and the
    occupation he wishes to work in (from the placement catalogue)."""
    from bruecke.placement.demo.catalogue import seed_occupations

    if Profile.objects.filter(case=case).exists():
        return
    seed_occupations()  # idempotent; the wished occupation's title comes from it
    profile_services.profile_save(
        actor=demo.users["cm_a"],
        case=case,
        data={
            "strengths": "Zuverlässig, handwerklich geschickt, lernt schnell.",
            "wishes": "Wieder als Elektriker arbeiten, in Rostock bleiben.",
            "possibilities": "Ausbildung oder Anpassungsqualifizierung nach Anerkennung.",
            "career_goals": "Elektroniker für Energie- und Gebäudetechnik",
            "digital_skills": DigitalSkills.BASIC,
            "digital_skills_note": "Smartphone sicher, Computer wenig",
            "driving_licence": DrivingLicence.NONE,
            "driving_licence_in_progress": True,
            "public_transport": True,
            "bicycle": True,
            "max_travel_minutes": 60,
            "max_hours_per_week": None,
            "shifts_possible": True,
        },
        experiences=[
            RowChange(
                pk=None,
                data={
                    "occupation": "Elektriker",
                    "kldb_code": "26212",
                    "isco_code": "7411",
                    "years": Decimal("6.5"),
                    "country": "SY",
                },
            )
        ],
        qualifications=[
            RowChange(
                pk=None,
                data={
                    "kind": QualificationKind.VOCATIONAL,
                    "title": "Berufsabschluss Elektroinstallation",
                    "country": "SY",
                    "year": 2012,
                    "document_available": True,
                    "recognition": RecognitionStatus.IN_PROGRESS,
                },
            )
        ],
        wished_occupations=[RowChange(pk=None, data={"kldb_code": "26212"})],
        expected_version=None,
    )


def seed_document(demo: DemoNetwork, case: Case) -> None:
    if CaseDocument.objects.filter(case=case).exists():
        return
    document_services.document_upload(
        actor=demo.users["cm_a"],
        document=CaseDocument(
            case=case,
            doc_type=DocumentType.CERTIFICATE,
            title="Berufsabschluss Elektroinstallation (Übersetzung)",
            issued_on=datetime.date(2012, 7, 1),
        ),
        upload=SimpleUploadedFile("zeugnis.pdf", DEMO_DOCUMENT, content_type="application/pdf"),
    )


def _seed_closed_case(demo: DemoNetwork) -> None:
    """Partner A, team Rostock: left early for a job after a short job search."""
    participant = Participant.objects.filter(organisation=demo.partners["A"], family_name="Hussein").first()
    if participant is None or Case.objects.filter(participant=participant).exists():
        return
    manager = demo.users["cm_a"]
    case = _open(participant, demo.teams["Rostock"], manager)
    today = datetime.date.today()
    exit_date = min(participant.entry_date + datetime.timedelta(days=60), today)
    job_from = min(exit_date + datetime.timedelta(days=10), today)
    record = exit_services.case_close(
        actor=manager,
        case=case,
        exit_data={
            "exit_date": exit_date,
            "exit_reason": ExitReason.EARLY_JOB,
            "status_collected_on": job_from,
            "qualification_gained": False,
            "qualification_on": None,
        },
        situations=[
            SituationInput(date=exit_date, kind=SituationType.JOB_SEARCHING),
            SituationInput(date=job_from, kind=SituationType.EMPLOYED),
        ],
    )
    exit_services.follow_up_record(
        actor=manager,
        record=record,
        data={
            "answered_on": today,
            "employed": FollowUpAnswer.YES,
            "self_employed": False,
            "improvements": [],
            "note": "Telefonisch erreicht; arbeitet weiter als Lagerhelfer.",
        },
    )


DEMO_ANONYMOUS_SITE = "Rathaus Bad Doberan"


def seed_anonymous_contacts(demo: DemoNetwork) -> None:
    """Two mobile consultation hours of team Rostock with anonymous short contacts."""
    manager = demo.users["cm_a"]
    site = MobileSite.objects.filter(network=demo.network, name=DEMO_ANONYMOUS_SITE).first()
    if site is None or AnonymousContact.objects.filter(site=site, recorded_by=manager).exists():
        return
    topics = {t.key: t for t in ContactTopic.objects.all()}
    today = datetime.date.today()
    Row = mobile_services.AnonymousRow
    for days, rows in [
        (
            7,
            [
                Row(10, "ar", [topics["work_permission"]], "male", "18_29"),
                Row(15, "fa", [topics["language_course"], topics["school"]], "female", "under_18"),
                Row(5, "uk", [topics["housing"]]),
            ],
        ),
        (35, [Row(20, "ar", [topics["job_search"]], "male", "30_54")]),
    ]:
        mobile_services.mobile_hour_record(
            actor=manager, site=site, date=today - datetime.timedelta(days=days), rows=rows
        )


def seed_plan(demo: DemoNetwork, case: Case) -> None:
    """Two goals with steps, agreed at the first contact (once; idempotent)."""
    if Plan.objects.filter(case=case).exists():
        return
    agreed_on = case.opened_on
    day = datetime.timedelta(days=1)
    step = plan_services.StepInput
    plan_services.plan_save(
        actor=demo.users["cm_a"],
        case=case,
        agreed_on=agreed_on,
        expected_version=0,
        goals=[
            plan_services.GoalInput(
                id=None,
                title="Deutsch B1",
                target_on=agreed_on + 180 * day,
                steps=[
                    step(None, "Anmeldung zum B1-Kurs", Responsible.PARTICIPANT, agreed_on + 14 * day),
                    step(
                        None,
                        "Kostenübernahme klären",
                        Responsible.OTHER,
                        agreed_on + 30 * day,
                        responsible_name="Jobcenter",
                    ),
                ],
            ),
            plan_services.GoalInput(
                id=None,
                title="Ausbildung als Elektroniker/in",
                target_on=agreed_on + 365 * day,
                steps=[
                    step(
                        None,
                        "Anerkennung der Schulzeugnisse beantragen",
                        Responsible.COUNSELLOR,
                        agreed_on + 21 * day,
                    ),
                    step(
                        None,
                        "Praktikum in einem Elektrobetrieb suchen",
                        Responsible.COUNSELLOR,
                        agreed_on + 60 * day,
                    ),
                ],
            ),
        ],
    )


def _seed_tasks(demo: DemoNetwork) -> None:
    """Anna Berger's "my day": one overdue task and one due today on Mohammed's case."""
    case = Case.objects.filter(participant__family_name="Al-Hassan", organisation=demo.partners["A"]).first()
    if case is None:
        return
    manager, today = demo.users["cm_a"], timezone.localdate()
    for days, title in [
        (-2, "Bewerbungsunterlagen durchsehen"),
        (0, "Sprachkursträger wegen B1-Platz anrufen"),
    ]:
        if not Task.objects.filter(case=case, title=title).exists():
            task_services.task_create(
                actor=manager,
                task=Task(
                    case=case, assignee=manager, title=title, due_on=today + datetime.timedelta(days=days)
                ),
            )


def seed_pending_transfer(demo: DemoNetwork) -> None:
    """Fatima Yusuf moves from Greifswald (partner B) to Rostock (partner A): a pending
    transfer that partner A's Rostock staff can decide on (the main demo case stays put)."""
    participant = Participant.objects.filter(organisation=demo.partners["B"], family_name="Yusuf").first()
    if participant is None or Case.objects.filter(participant=participant).exists():
        return
    manager = demo.users["cm_b"]
    case = _open(participant, demo.teams["Greifswald"], manager)
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
