"""Demo cases: Mohammed Al-Hassan's case in Rostock with a few contacts and a plan."""

from __future__ import annotations

import datetime

from django.db import transaction

from bruecke.cases.models import BarrierType, Case, Channel, Contact, ContactTopic, Plan, Responsible
from bruecke.cases.services import barriers as barrier_services
from bruecke.cases.services import cases as case_services
from bruecke.cases.services import contacts as contact_services
from bruecke.cases.services import plan as plan_services
from bruecke.cases.topics import ensure_default_barriers, ensure_default_topics
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant


@transaction.atomic
def seed_cases(demo: DemoNetwork) -> None:
    # The catalogue comes with a data migration; test databases that were flushed lack it.
    ensure_default_topics(ContactTopic)
    ensure_default_barriers(BarrierType)
    participant = Participant.objects.filter(organisation=demo.partners["A"], family_name="Al-Hassan").first()
    if participant is None:
        return
    existing = Case.objects.filter(participant=participant).first()
    if existing is not None:
        seed_plan(demo, existing)
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
    seed_plan(demo, case)


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
