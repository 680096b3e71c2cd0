"""Demo of the school pathway: three school-age participants of partner A (team Rostock)
with their cases, registered through the participant and case services like the rest of
the demo. One 15-year-old not enrolled for three months, one 17-year-old at a vocational
school who leaves in four months with no follow-on, one 10-year-old in a DaZ class.
Idempotent: a participant that exists (by name) is left as it is."""

from __future__ import annotations

import datetime

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.cases.services import cases as case_services
from bruecke.esf.results import add_months
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import (
    EnrolmentStatus,
    FollowOn,
    LeavingCertificate,
    SchoolRecord,
    SchoolType,
)
from bruecke.offers.services import school as services
from bruecke.participants import services as participant_services
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import Project

# (given names, family name, age in years, months past the birthday, gender, nationality)
PUPILS = [
    ("Samira", "Haidari", 15, 2, Gender.FEMALE, "AF"),
    ("Dawit", "Gebremedhin", 17, 5, Gender.MALE, "ER"),
    ("Lina", "Karimi", 10, 7, Gender.FEMALE, "SY"),
]


def _born(today: datetime.date, years: int, months: int) -> datetime.date:
    return add_months(today, -(12 * years + months))


def seed(demo: DemoNetwork, today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    organisation, team, actor = demo.partners["A"], demo.teams["Rostock"], demo.users["cm_a"]
    project = Project.objects.get(network=demo.network, name="NAF MV plus")
    for given, family, years, months, gender, nationality in PUPILS:
        if Participant.objects.filter(
            organisation=organisation, given_names=given, family_name=family
        ).exists():
            continue
        born = _born(today, years, months)
        participant = participant_services.participant_create(
            actor=actor,
            participant=Participant(
                organisation=organisation,
                project=project,
                team=team,
                given_names=given,
                family_name=family,
                birth_year=born.year,
                birth_month=born.month,
                birth_day=born.day,
                gender=gender,
                nationality=nationality,
                country_of_birth=nationality,
                town="Rostock",
                entry_date=today - datetime.timedelta(days=120),
            ),
        )
        case = case_services.case_open(
            actor=actor,
            case=Case(
                participant=participant, team=team, case_manager=actor, opened_on=participant.entry_date
            ),
        )
        _school(actor, case, family, today)


def _school(actor: User, case: Case, family: str, today: datetime.date) -> None:
    if family == "Haidari":
        record = SchoolRecord(case=case, status=EnrolmentStatus.NOT_ENROLLED, status_on=add_months(today, -3))
        services.school_record_create(actor=actor, record=record)
    elif family == "Gebremedhin":
        record = SchoolRecord(
            case=case,
            status=EnrolmentStatus.ENROLLED,
            status_on=add_months(today, -3),
            school_name="Berufliche Schule Dienstleistung und Gewerbe Rostock",
            school_type=SchoolType.VOCATIONAL,
            grade=11,
            expected_certificate=LeavingCertificate.BERUFSREIFE,
            expected_leaving_on=add_months(today, 4),
        )
        services.school_record_create(actor=actor, record=record)
        services.transition_save(
            actor=actor,
            case=case,
            data={"career_orientation_on": add_months(today, -2), "follow_on": FollowOn.NONE},
            expected_version=0,
        )
    else:
        record = SchoolRecord(
            case=case,
            status=EnrolmentStatus.ENROLLED,
            status_on=add_months(today, -4),
            school_name="Grundschule am Mühlenteich",
            school_type=SchoolType.PRIMARY,
            grade=4,
            language_support=True,
        )
        services.school_record_create(actor=actor, record=record)
