"""Demo group offers of partner A, team Rostock: an application training with four sessions
(attendance taken for the two past ones) and a women's café with guests."""

from __future__ import annotations

import datetime

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import AttendanceStatus, GroupKind, GroupOffer, GroupSession
from bruecke.offers.services import groups as services
from bruecke.participants.models import Gender

TRAINING = "Bewerbungstraining"
CAFE = "Frauencafé"
# Attendance of the past sessions, by position in the roster (cycled).
PATTERN = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.PRESENT,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


def seed(demo: DemoNetwork) -> None:
    """Creates the two group offers once."""
    owner = demo.partners["A"]
    if GroupOffer.objects.filter(organisation=owner, title=TRAINING).exists():
        return
    actor = demo.users["cm_a"]
    team = demo.teams["Rostock"]
    today = datetime.date.today()
    cases = list(
        Case.objects.filter(organisation=owner, team=team)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("participant")
        .order_by("pk")[:4]
    )
    training = services.group_offer_create(
        actor=actor,
        offer=GroupOffer(
            organisation=owner,
            team=team,
            title=TRAINING,
            kind=GroupKind.APPLICATION_TRAINING,
            description="Lebenslauf, Anschreiben und Vorstellungsgespräch – in vier Terminen.",
            place="Beratungsstelle Rostock, Raum 2",
            trainer=actor,
            capacity=8,
            starts_on=today - datetime.timedelta(days=21),
            ends_on=today + datetime.timedelta(days=21),
            languages="Deutsch, Arabisch",
        ),
    )
    topics = ["Lebenslauf", "Anschreiben", "Vorstellungsgespräch üben", "Bewerbung online"]
    _run(actor, training, cases, [(-14, topics[0]), (-7, topics[1]), (7, topics[2]), (14, topics[3])], today)

    cafe = services.group_offer_create(
        actor=actor,
        offer=GroupOffer(
            organisation=owner,
            team=team,
            title=CAFE,
            kind=GroupKind.WOMENS_CAFE,
            description="Offener Treff für Frauen mit Kinderbetreuung; Gäste sind willkommen.",
            place="Stadtteilzentrum Rostock-Lütten Klein",
            trainer_name="Samira Haddad",
            starts_on=today - datetime.timedelta(days=30),
            languages="Deutsch, Arabisch, Dari, Ukrainisch",
        ),
    )
    women = [case for case in cases if case.participant.gender == Gender.FEMALE]
    _run(actor, cafe, women, [(-16, "Kennenlernen"), (-2, "Kita und Schule")], today, guests=(5, 3))


def _run(
    actor: User,
    offer: GroupOffer,
    cases: list[Case],
    sessions: list[tuple[int, str]],
    today: datetime.date,
    guests: tuple[int, ...] = (),
) -> None:
    enrolments = [
        services.enrolment_create(actor=actor, offer=offer, case=case, enrolled_on=offer.starts_on)
        for case in cases
    ]
    for index, (offset, topic) in enumerate(sessions):
        session = services.session_create(
            actor=actor,
            session=GroupSession(
                offer=offer,
                date=today + datetime.timedelta(days=offset),
                starts_at=datetime.time(10, 0),
                ends_at=datetime.time(12, 0),
                topic=topic,
            ),
        )
        if offset < 0:
            rows = {e.pk: PATTERN[(i + index) % len(PATTERN)] for i, e in enumerate(enrolments)}
            services.attendance_save(
                actor=actor,
                session=session,
                rows=rows,
                guests=guests[index] if index < len(guests) else 0,
                expected_version=None,
            )
