"""Benchmark: the case page and its timeline with many contacts.

Usage (PostgreSQL is where the target applies):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/cases.py --contacts 1000 10000

For each size, a case of a fixed demo participant gets that many counselling contacts
(encrypted notes, two topics each, one timeline event each; loaded once and reused), then
the case page and the timeline are requested as the case manager. The query count must be
the same for every size.

`--team-cases N` also gives N generated participants of partner A, team Rostock, an open
case each (spread over the team's case managers, with 20 contacts each, some cases without
contact for months) and measures the team lead's caseload view.
"""

from __future__ import annotations

import argparse
import datetime
import random
from typing import Any

from common import analyze, measure, open_team_cases, print_header, setup, signed_in


def _case_with_contacts(demo: object, family_name: str, count: int) -> int:
    from bruecke.cases.models import Case, Contact, ContactTopic
    from bruecke.cases.services.cases import case_open
    from bruecke.participants.models import Participant

    # The demo participant of partner A: generated participants may share the family name,
    # so a second run on the same database must not pick (or fail on) one of them.
    participant = Participant.objects.filter(
        family_name=family_name,
        organisation=demo.partners["A"],  # type: ignore[attr-defined]
    ).order_by("id")[0]
    manager = demo.users["cm_a"]  # type: ignore[attr-defined]
    case = Case.objects.filter(participant=participant).first() or case_open(
        actor=manager,
        case=Case(
            participant=participant,
            team=participant.team,
            case_manager=manager,
            opened_on=datetime.date.today() - datetime.timedelta(days=3650),
        ),
    )
    missing = count - case.contacts.count()
    if missing <= 0:
        return case.pk
    rng = random.Random(count)
    topics = list(ContactTopic.objects.all())
    dates = [case.opened_on + datetime.timedelta(days=rng.randrange(3650)) for _ in range(missing)]
    contacts = Contact.objects.bulk_create(
        Contact(
            case=case,
            date=day,
            duration_minutes=rng.randrange(5, 90),
            channel="office",
            note="Bewerbungsunterlagen besprochen, nächster Termin vereinbart.",
            recorded_by=manager,
        )
        for day in dates
    )
    through = Contact.topics.through
    through.objects.bulk_create(
        through(contact_id=c.pk, contacttopic_id=t.pk) for c in contacts for t in rng.sample(topics, 2)
    )
    contact_events(case, manager, contacts)
    return case.pk


def contact_events(case: Any, manager: Any, contacts: list[Any]) -> None:
    """The timeline events the contact service would have written for `contacts`."""
    from bruecke.cases.models import CaseEvent, EventKind

    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=EventKind.CONTACT,
            occurred_on=c.date,
            actor=manager,
            object_type="cases.contact",
            object_id=str(c.pk),
            details={"channel": "office", "minutes": c.duration_minutes},
        )
        for c in contacts
    )


def demo_cases(sizes: list[int]) -> tuple[Any, dict[int, int]]:
    """The demo network and, per size, the id of a case of a fixed demo participant of
    partner A, team Rostock, with that many contacts."""
    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo

    demo = seed_network()
    participants_demo.seed_fixed(demo)
    names = ["Rahimi", "Schewtschenko", "Hussein"]
    return demo, {n: _case_with_contacts(demo, names[i], n) for i, n in enumerate(sizes)}


def _team_cases(demo: object, count: int) -> None:
    """Opens cases for generated participants of team Rostock until `count` exist, each
    with 20 contacts."""
    from bruecke.cases.models import Contact

    cases = open_team_cases(demo, count)
    rng = random.Random(count)
    today = datetime.date.today()
    Contact.objects.bulk_create(
        Contact(
            case=case,
            date=today - datetime.timedelta(days=rng.randrange(0, 200 if i % 5 else 400)),
            duration_minutes=30,
            channel="office",
            recorded_by=case.case_manager,
        )
        for i, case in enumerate(cases)
        for _ in range(20)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--team-cases", type=int, default=0)
    args = parser.parse_args()
    setup()
    demo, case_ids = demo_cases(args.contacts)
    if args.team_cases:
        _team_cases(demo, args.team_cases)
    analyze()
    client = signed_in(demo.users["cm_a"])
    print_header()
    counts = set()
    for size, pk in case_ids.items():
        counts.add(measure(client, f"case page, {size} contacts", f"/cases/{pk}/", args.runs))
        measure(client, f"timeline, {size} events", f"/cases/{pk}/timeline/", args.runs)
        measure(client, f"contacts page 10, {size} contacts", f"/cases/{pk}/?page=10", args.runs)
    print("case page query count constant:", len(counts) == 1)
    if args.team_cases:
        lead = signed_in(demo.users["team_lead"])
        measure(lead, f"caseload, {args.team_cases} team cases", "/cases/caseload/", args.runs)
        measure(lead, "caseload, 26 weeks", "/cases/caseload/?weeks=26", args.runs)


if __name__ == "__main__":
    main()
