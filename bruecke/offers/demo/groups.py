"""Demo group offers of partner A, team Rostock: an application training with four sessions
(attendance taken for the two past ones) and a women's café with guests."""

from __future__ import annotations

import datetime

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import AttendanceStatus, Enrolment, GroupKind, GroupOffer, GroupSession
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
    """Creates the two group offers once, then enrols partner A's open Rostock cases that are
    not enrolled yet and takes the missing attendance of past sessions. Idempotent; seeded
    again after `seed_demo`'s placement day, which opens more cases."""
    owner = demo.partners["A"]
    actor = demo.users["cm_a"]
    team = demo.teams["Rostock"]
    today = datetime.date.today()
    training = GroupOffer.objects.filter(organisation=owner, title=TRAINING).first()
    if training is None:
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
        _sessions(
            actor, training, [(-14, topics[0]), (-7, topics[1]), (7, topics[2]), (14, topics[3])], today
        )
    cafe = GroupOffer.objects.filter(organisation=owner, title=CAFE).first()
    if cafe is None:
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
        _sessions(actor, cafe, [(-16, "Kennenlernen"), (-2, "Kita und Schule")], today, guests=(5, 3))
    cases = list(
        Case.objects.filter(organisation=owner, team=team)
        .exclude(status=CaseStatus.CLOSED)
        # Adults only: the school demo's pupils do not belong in an application training.
        .filter(participant__birth_year__lte=today.year - 18)
        .select_related("participant")
        .order_by("pk")[: training.capacity or 8]
    )
    _enrol_and_attend(actor, training, cases, today)
    women = [case for case in cases if case.participant.gender == Gender.FEMALE]
    _enrol_and_attend(actor, cafe, women, today)


def _sessions(
    actor: User,
    offer: GroupOffer,
    sessions: list[tuple[int, str]],
    today: datetime.date,
    guests: tuple[int, ...] = (),
) -> None:
    for index, (offset, topic) in enumerate(sessions):
        services.session_create(
            actor=actor,
            session=GroupSession(
                offer=offer,
                date=today + datetime.timedelta(days=offset),
                starts_at=datetime.time(10, 0),
                ends_at=datetime.time(12, 0),
                topic=topic,
                guests=guests[index] if index < len(guests) else 0,
            ),
        )


def _enrol_and_attend(actor: User, offer: GroupOffer, cases: list[Case], today: datetime.date) -> None:
    enrolled = set(Enrolment.objects.filter(offer=offer).values_list("participant_id", flat=True))
    for case in cases:
        if case.participant_id not in enrolled:
            services.enrolment_create(
                actor=actor, offer=offer, case=case, enrolled_on=offer.starts_on, over_capacity=True
            )
    enrolments = list(Enrolment.objects.filter(offer=offer, left_on__isnull=True).order_by("pk"))
    for index, session in enumerate(offer.sessions.filter(date__lt=today).order_by("date")):
        recorded = set(session.attendances.values_list("enrolment_id", flat=True))
        rows = {
            e.pk: PATTERN[(i + index) % len(PATTERN)]
            for i, e in enumerate(enrolments)
            if e.pk not in recorded
        }
        if rows or session.attendance_taken_at is None:
            services.attendance_save(
                actor=actor, session=session, rows=rows, guests=session.guests, expected_version=None
            )
