"""Demo cases: Mohammed Al-Hassan's case in Rostock with a few contacts."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bruecke.cases.models import BarrierType, Case, Channel, Contact, ContactTopic, Task
from bruecke.cases.services import barriers as barrier_services
from bruecke.cases.services import cases as case_services
from bruecke.cases.services import contacts as contact_services
from bruecke.cases.services import tasks as task_services
from bruecke.cases.topics import ensure_default_barriers, ensure_default_topics
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant


@transaction.atomic
def seed_cases(demo: DemoNetwork) -> None:
    _seed_case(demo)
    _seed_tasks(demo)


def _seed_case(demo: DemoNetwork) -> None:
    # The catalogue comes with a data migration; test databases that were flushed lack it.
    ensure_default_topics(ContactTopic)
    ensure_default_barriers(BarrierType)
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
