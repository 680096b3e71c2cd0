"""Demo ESF questionnaires (entry, exit with situations, six-month follow-ups).

Chosen so that the default report of the demo project "NAF MV plus" (whole network, project
start to today) shows every ESF Plus indicator EECO01–EECO17 and EECR01–EECR05 with at least
one person, and the quality checks have something to flag: two incomplete records, a refused
sensitive answer with the date it was asked, a dual citizen with an EU citizenship, a
same-day conflict after exit and a follow-up that first got no response. Everything is
written through the real services (audited), with dates relative to the participants' entry
dates, so the demo is right on any day. Mostly the existing demo participants get records;
one person aged 55+ is added in partner C (no existing demo participant is that old), and the
second network's project ABS-OPR gets two participants of its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.cases.services import cases as case_services
from bruecke.cases.services import exit as exit_services
from bruecke.esf import results
from bruecke.esf.exit_models import ExitReason, FollowUpAnswer, SituationType
from bruecke.esf.exit_services import SituationInput
from bruecke.esf.models import Answer, EntryRecord, LabourMarketStatus
from bruecke.esf.services import entry_record_save
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Organisation, Team
from bruecke.participants import services as participant_services
from bruecke.participants.models import Gender, Participant, ResidenceStatus
from bruecke.projects.models import Project

Unemployed, Inactive, Employed = (
    LabourMarketStatus.UNEMPLOYED,
    LabourMarketStatus.INACTIVE,
    LabourMarketStatus.EMPLOYED,
)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Entry:
    """One demo entry questionnaire, for the participant with this family name."""

    family_name: str
    lm: str
    isced: int | None
    unemployed_days: int | None = None  # registered unemployed this many days before entry
    sensitive: Mapping[str, str] = field(default_factory=dict)
    rural: bool | None = False
    further_citizenships: str = ""  # besides the nationality (a dual citizen)


NO_SENSITIVE: dict[str, str] = {
    "disability": Answer.NO,
    "minority": Answer.NO,
    "foreign_background": Answer.YES,
}
# Mohammed Al-Hassan (the open demo case of partner A) keeps no questionnaire: the entry
# form's tests and the "never recorded" warning at exit start from him.
ENTRIES = [
    # Long-term unemployed: registered 500 days before entry (more than 12 months).
    Entry("Rahimi", Unemployed, 1, unemployed_days=500, sensitive=NO_SENSITIVE),
    # Employed, tertiary education, a dual citizen with an EU citizenship (not a
    # third-country national, §11.11), refused the question on a disability.
    Entry(
        "Schewtschenko",
        Employed,
        6,
        sensitive={"disability": Answer.REFUSED, "minority": Answer.NO, "foreign_background": Answer.YES},
        further_citizenships="PL",
    ),
    Entry(
        "Hussein",
        Unemployed,
        2,
        unemployed_days=90,
        sensitive={"disability": Answer.NO, "minority": Answer.YES, "foreign_background": Answer.YES},
    ),
    Entry("Tesfay", Inactive, 3, sensitive=NO_SENSITIVE),
    Entry("Haidari", "", 1),  # incomplete: no labour-market status (a 14-year-old, flagged)
    # 17 years old, homeless at entry.
    Entry(
        "Gebremedhin",
        Inactive,
        2,
        sensitive={**NO_SENSITIVE, "homeless_or_housing_exclusion": Answer.YES},
    ),
    # Incomplete (no ISCED level): in no indicator, listed for completion.
    Entry("Alhasan", Inactive, None, sensitive=NO_SENSITIVE),
    Entry("Yusuf", Inactive, 0, sensitive=NO_SENSITIVE, rural=None),
    Entry(
        "Beridze",
        Unemployed,
        4,
        unemployed_days=200,
        sensitive={"disability": Answer.YES, "minority": Answer.NO, "foreign_background": Answer.NO},
    ),
    Entry("Ahmadi", Inactive, 7, sensitive=NO_SENSITIVE, rural=True),
    Entry("Mansour", Inactive, 0, sensitive=NO_SENSITIVE, rural=True),  # 55+
    # The three leavers (their own participants: the demo placement day opens cases for the
    # participants without one, and the reminders of `make run` rely on those cases).
    Entry("Nouri", Inactive, 7, sensitive=NO_SENSITIVE, rural=True),
    Entry(
        "Osmani",
        Unemployed,
        4,
        unemployed_days=200,
        sensitive={"disability": Answer.YES, "minority": Answer.NO, "foreign_background": Answer.NO},
    ),
    Entry("Rasuli", Inactive, 2, sensitive=NO_SENSITIVE),
]
# given names, family name, gender, birth year, nationality, team, entry days ago
LEAVERS = [
    ("Farid", "Nouri", Gender.MALE, 1999, "AF", "Schwerin", 260),
    ("Lina", "Osmani", Gender.FEMALE, 1990, "SY", "Schwerin", 230),
    ("Karim", "Rasuli", Gender.MALE, 2001, "IQ", "Greifswald", 120),
]


def seed_esf(demo: DemoNetwork) -> None:
    """Idempotent: a second run adds nothing."""
    if EntryRecord.objects.filter(organisation__network=demo.network).exists():
        return
    with transaction.atomic():
        _seed_older_participant(demo)
        _seed_leaver_people(demo)
        for entry in ENTRIES:
            participant = (
                Participant.objects.filter(organisation__network=demo.network, family_name=entry.family_name)
                .order_by("pk")
                .first()
            )
            if participant is not None:
                _entry(_staff(demo, participant.organisation), participant, entry)
        _seed_exits(demo)
        _seed_abs_opr(demo)


def _staff(demo: DemoNetwork, organisation: Organisation) -> User:
    by_partner = {"A": "cm_a", "B": "cm_b", "C": "user_c"}
    for key, persona in by_partner.items():
        if demo.partners[key] == organisation:
            return demo.users[persona]
    return demo.users["cm_a"]


def _entry(actor: User, participant: Participant, entry: Entry) -> None:
    data: dict[str, Any] = {
        "lm_status_entry": entry.lm,
        "isced_level": entry.isced,
        "rural_area": entry.rural,
        "registered_unemployed_since": (
            participant.entry_date - entry.unemployed_days * DAY if entry.unemployed_days else None
        ),
        **entry.sensitive,
    }
    if entry.sensitive:
        data["sensitive_asked_on"] = participant.entry_date
    if entry.further_citizenships:  # the nationality is the first citizenship at entry
        data["further_citizenships"] = entry.further_citizenships
    entry_record_save(actor=actor, participant=participant, data=data)


@dataclass(frozen=True)
class Person:
    """A demo participant the reports need and the fixed demo does not have."""

    given: str
    family: str
    gender: str
    born: tuple[int, int, int]  # year, month, day
    nationality: str
    town: str
    entry_days_ago: int
    status: str = "gestattung"


def _register(
    actor: User, person: Person, *, organisation: Organisation, project: Project, team: Team
) -> Participant:
    """Registers `person` through the participant service (idempotent by family name)."""
    existing = Participant.objects.filter(organisation=organisation, family_name=person.family).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    year, month, day = person.born
    return participant_services.participant_create(
        actor=actor,
        participant=Participant(
            organisation=organisation,
            project=project,
            team=team,
            given_names=person.given,
            family_name=person.family,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            gender=person.gender,
            nationality=person.nationality,
            country_of_birth=person.nationality,
            town=person.town,
            entry_date=today - person.entry_days_ago * DAY,
        ),
        residence=ResidenceStatus(
            status=person.status,
            issued_on=today - (person.entry_days_ago + 60) * DAY,
            valid_until=today + 200 * DAY,
        ),
    )


def _seed_older_participant(demo: DemoNetwork) -> None:
    """Partner C: a man aged 60 at entry (EECO08), in a rural area."""
    born = (timezone.localdate().year - 61, 4, 2)
    _register(
        demo.users["user_c"],
        Person("Haji", "Mansour", Gender.MALE, born, "AF", "Crivitz", 75),
        organisation=demo.partners["C"],
        project=Project.objects.get(network=demo.network, name="NAF MV plus"),
        team=demo.teams["Schwerin"],
    )


def _seed_leaver_people(demo: DemoNetwork) -> None:
    project = Project.objects.get(network=demo.network, name="NAF MV plus")
    for given, family, gender, year, nationality, team_name, days in LEAVERS:
        team = demo.teams[team_name]
        organisation = team.office.organisation if team.office else demo.partners["C"]
        person = Person(given, family, gender, (year, 3, 14), nationality, team_name, days)
        _register(_staff(demo, organisation), person, organisation=organisation, project=project, team=team)


def _open_and_close(
    demo: DemoNetwork,
    participant: Participant,
    team: Team,
    *,
    exit_after: int,
    situations: list[tuple[int, str]],
    qualification: bool = False,
) -> Any:
    """Opens a case on the entry date and closes it `exit_after` days later with the
    situations (days after exit, kind) in the 28-day window."""
    actor = _staff(demo, participant.organisation)
    today = timezone.localdate()
    case = case_services.case_open(
        actor=actor,
        case=Case(participant=participant, team=team, case_manager=actor, opened_on=participant.entry_date),
    )
    exit_date = min(participant.entry_date + exit_after * DAY, today)
    rows = [SituationInput(date=min(exit_date + d * DAY, today), kind=kind) for d, kind in situations]
    return exit_services.case_close(
        actor=actor,
        case=case,
        exit_data={
            "exit_date": exit_date,
            "exit_reason": ExitReason.COMPLETED if situations else ExitReason.EARLY_OTHER,
            "status_collected_on": max([r.date for r in rows], default=exit_date),
            "qualification_gained": qualification,
            "qualification_on": exit_date if qualification else None,
        },
        situations=rows,
    )


def _follow_up(demo: DemoNetwork, record: Any, answer: str, days_before_reference: int) -> None:
    """An answer dated inside ±28 days of exit + 6 months, never in the future."""
    reference = results.follow_up_reference_date(record.exit_date)
    answered = min(reference - days_before_reference * DAY, timezone.localdate())
    if not results.follow_up_counts(record.exit_date, answered) or answered < record.exit_date:
        return  # the demo participant entered too recently for a six-month follow-up
    exit_services.follow_up_record(
        actor=_staff(demo, record.organisation),
        record=record,
        data={
            "answered_on": answered,
            "employed": answer,
            "self_employed": False,
            "improvements": [],
            "note": "",
        },
    )


def _participant(demo: DemoNetwork, family_name: str) -> Participant | None:
    return Participant.objects.filter(organisation__network=demo.network, family_name=family_name).first()


def _seed_exits(demo: DemoNetwork) -> None:
    """Three leavers (LEAVERS, created for this), besides the closed demo case of
    partner A (job search, then a job: EECR04)."""
    ahmadi, beridze, alhasan = (_participant(demo, n) for n in ("Nouri", "Osmani", "Rasuli"))
    if ahmadi and not Case.objects.filter(participant=ahmadi).exists():
        # Apprenticeship upon leaving (EECR04 and EECR02) and a certificate (EECR03); six
        # months later first no response, then "employed" (an answer beats no response).
        record = _open_and_close(
            demo,
            ahmadi,
            demo.teams["Schwerin"],
            exit_after=5,
            situations=[(3, SituationType.APPRENTICESHIP)],
            qualification=True,
        )
        _follow_up(demo, record, FollowUpAnswer.NO_RESPONSE, 20)
        _follow_up(demo, record, FollowUpAnswer.YES, 5)
    if beridze and not Case.objects.filter(participant=beridze).exists():
        # Same-day conflict: a job and job searching recorded for the same day; the later
        # record (job searching) wins: EECR01. Not employed six months later.
        record = _open_and_close(
            demo,
            beridze,
            demo.teams["Schwerin"],
            exit_after=2,
            situations=[(1, SituationType.EMPLOYED), (1, SituationType.JOB_SEARCHING)],
        )
        _follow_up(demo, record, FollowUpAnswer.NO, 0)
    if alhasan and not Case.objects.filter(participant=alhasan).exists():
        # Back to school, then registered unemployed: EECR01 (the last labour-market
        # situation in the window) and EECR02.
        _open_and_close(
            demo,
            alhasan,
            demo.teams["Greifswald"],
            exit_after=40,
            situations=[(2, SituationType.SCHOOL), (10, SituationType.UNEMPLOYED_REGISTERED)],
        )


ABS_OPR_PEOPLE = [
    # given, family, birth year, gender, nationality, entry days ago, labour-market status, ISCED
    ("Ahmad", "Noori", 1996, Gender.MALE, "AF", 250, Unemployed, 2),
    ("Hanna", "Tkachenko", 1979, Gender.FEMALE, "UA", 240, Inactive, 6),
]


def _seed_abs_opr(demo: DemoNetwork) -> None:
    """ABS-OPR (second network): two participants, one of them a leaver with a job."""
    project = Project.objects.filter(network=demo.second_network, name="ABS-OPR").first()
    organisation = Organisation.objects.filter(network=demo.second_network).order_by("pk").first()
    team = Team.objects.filter(network=demo.second_network).order_by("pk").first()
    staff = (
        User.objects.filter(memberships__organisation=organisation, memberships__team=team)
        .order_by("pk")
        .first()
    )
    if not (project and organisation and team and staff):
        return
    for index, (given, family, year, gender, nationality, days, lm, isced) in enumerate(ABS_OPR_PEOPLE):
        if Participant.objects.filter(organisation=organisation, family_name=family).exists():
            continue
        person = Person(given, family, gender, (year, 6, 1), nationality, "Neuruppin", days, status="ae_24")
        participant = _register(staff, person, organisation=organisation, project=project, team=team)
        _entry(
            staff,
            participant,
            Entry(
                family, lm, isced, unemployed_days=100 if lm == Unemployed else None, sensitive=NO_SENSITIVE
            ),
        )
        if index == 0:
            case = case_services.case_open(
                actor=staff,
                case=Case(
                    participant=participant, team=team, case_manager=staff, opened_on=participant.entry_date
                ),
            )
            exit_date = participant.entry_date + 30 * DAY
            exit_services.case_close(
                actor=staff,
                case=case,
                exit_data={
                    "exit_date": exit_date,
                    "exit_reason": ExitReason.EARLY_JOB,
                    "status_collected_on": exit_date + 7 * DAY,
                    "qualification_gained": False,
                    "qualification_on": None,
                },
                situations=[SituationInput(date=exit_date + 7 * DAY, kind=SituationType.EMPLOYED)],
            )
