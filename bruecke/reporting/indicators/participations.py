"""The participations a report counts and the per-person values it needs, as SQL.

A participation (§11.1) is a participant row of the report's project: the entry date and
the entry characteristics come from `Participant.entry_date` and the one EntryRecord; the
exit is the latest ExitRecord of the participant and there is none while any case of the
participant is still open (a re-entry is a new case). Rows of one person at several
partners (a confirmed cross-partner match) are joined into one participation by the
engine (`bruecke.reporting.people`, `joined.py`, decision 0064); a merged registration is
no row at all (the scope condition leaves it out).

Everything here is an expression or a Q, so the engine counts in one query: no value is
computed per participant in Python (except the encrypted answers, see `sensitive.py`).
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

from bruecke.cases.models import Case as CaseModel
from bruecke.cases.models.case import CaseStatus
from bruecke.esf.exit_models import ExitRecord
from bruecke.esf.models import LabourMarketStatus
from bruecke.esf.results import add_months
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import LtuRule, PartialBirthDateRule, Project

from . import MEN, NON_BINARY, TOTAL, WOMEN, ReportRequest

GENDER_OF: dict[str, str] = {Gender.FEMALE: WOMEN, Gender.MALE: MEN, Gender.DIVERSE: NON_BINARY}


def gender_q(breakdown: str, prefix: str = "") -> Q:
    """The participants of one column of the breakdown ("divers" is non-binary, §11.13)."""
    if breakdown == TOTAL:
        return Q()
    genders = [gender for gender, key in GENDER_OF.items() if key == breakdown]
    return Q(**{f"{prefix}gender__in": genders})


def incomplete_q(prefix: str = "") -> Q:
    """§11.2: gender, birth year, labour-market status at entry and ISCED level are mandatory."""
    entry = f"{prefix}esf_entry__"
    return (
        Q(**{f"{prefix}gender__in": ["", Gender.NOT_STATED]})
        | Q(**{f"{prefix}birth_year__isnull": True})
        | Q(**{f"{entry}isnull": True})
        | Q(**{f"{entry}lm_status_entry": ""})
        | Q(**{f"{entry}isced_level__isnull": True})
    )


def complete_q(prefix: str = "") -> Q:
    return ~incomplete_q(prefix) & Q(**{f"{prefix}esf_entry__isnull": False})


def in_project_q(project: Project, scope_q: Q, partner_ids: list[int], prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}project_id": project.pk}) & scope_q
    if partner_ids:  # no partners chosen = every partner of the network
        condition &= Q(**{f"{prefix}organisation_id__in": partner_ids})
    return condition


def partner_ids(project: Project) -> list[int]:
    return list(project.partners.values_list("id", flat=True))


def participations(request: ReportRequest, partners: list[int] | None = None) -> QuerySet[Participant]:
    """Every participation of the project inside the scope (any entry date)."""
    ids = partner_ids(request.project) if partners is None else partners
    return Participant.objects.filter(in_project_q(request.project, request.scope.participant_q(), ids))


def entered_in_period(request: ReportRequest) -> Q:
    """§11.12: output indicators count participations whose first entry lies in the period."""
    return Q(entry_date__gte=request.start, entry_date__lte=request.end)


# --- age at entry (§11.5), in SQL -------------------------------------------------------


def _birth_month_day(rule: str, prefix: str) -> Case:
    """month * 100 + day of the birthday used for the age; partial dates per the project
    setting: year only → 1 January (document) or 1 July (midpoint); year and month → the
    1st or the 15th. A placeholder day and month count as year only."""
    midpoint = rule == PartialBirthDateRule.MIDPOINT
    month, day = F(f"{prefix}birth_month"), F(f"{prefix}birth_day")
    return Case(
        When(
            Q(**{f"{prefix}birth_date_is_placeholder": True}) | Q(**{f"{prefix}birth_month__isnull": True}),
            then=Value(701 if midpoint else 101),
        ),
        When(Q(**{f"{prefix}birth_day__isnull": True}), then=month * 100 + Value(15 if midpoint else 1)),
        default=month * 100 + day,
        output_field=IntegerField(),
    )


def age_at_entry(rule: str, prefix: str = "") -> Combinable:
    """Completed years at the entry date. Comparing month*100+day makes a 29 February
    birthday count from 1 March in other years (28 February is still before it)."""
    entry = f"{prefix}entry_date"
    entry_month_day = ExtractMonth(entry) * 100 + ExtractDay(entry)
    return (
        ExtractYear(entry)
        - F(f"{prefix}birth_year")
        - _before(entry_month_day, _birth_month_day(rule, prefix))
    )


def _before(left: Combinable, right: Combinable) -> Case:
    """1 when left < right, else 0 (a comparison of two expressions as a number)."""
    return Case(When(LessThan(left, right), then=Value(1)), default=Value(0), output_field=IntegerField())


# --- long-term unemployment (§11.4), in SQL ---------------------------------------------


def months_registered(prefix: str = "") -> Combinable:
    """Whole calendar-month difference between registration and entry (days ignored)."""
    entry, since = f"{prefix}entry_date", f"{prefix}esf_entry__registered_unemployed_since"
    return (ExtractYear(entry) * 12 + ExtractMonth(entry)) - (ExtractYear(since) * 12 + ExtractMonth(since))


def _registered_longer_than(months: int, prefix: str) -> Q:
    """entry > registration + `months` months (clamped to the month end) ⇔ the month
    difference is larger, or equal and the entry's day is later than the registration's
    day (a clamped day is never later than the entry's day)."""
    difference = months_registered(prefix)
    entry_day = ExtractDay(f"{prefix}entry_date")
    since_day = ExtractDay(f"{prefix}esf_entry__registered_unemployed_since")
    return Q(GreaterThan(difference, months)) | (
        Q(Exact(difference, months)) & Q(GreaterThan(entry_day, since_day))
    )


def ltu_q(project: Project, prefix: str = "") -> Q:
    """EECO03: registered unemployed with a registration date, for more than 12 months
    (EU variant: more than 6 months under 25 at entry). No date → not long-term."""
    unemployed = Q(**{f"{prefix}esf_entry__lm_status_entry": LabourMarketStatus.UNEMPLOYED}) & Q(
        **{f"{prefix}esf_entry__registered_unemployed_since__isnull": False}
    )
    if project.ltu_rule != LtuRule.EU_AGE_DEPENDENT:
        return unemployed & _registered_longer_than(12, prefix)
    age = age_at_entry(project.partial_birth_date_rule, prefix)
    young = Q(LessThan(age, 25)) & _registered_longer_than(6, prefix)
    older = Q(GreaterThanOrEqual(age, 25)) & _registered_longer_than(12, prefix)
    return unemployed & (young | older)


def age_q(project: Project, low: int | None, high: int | None, prefix: str = "") -> Q:
    """low <= age at entry <= high (either bound may be open)."""
    age = age_at_entry(project.partial_birth_date_rule, prefix)
    condition = Q()
    if low is not None:
        condition &= Q(GreaterThanOrEqual(age, low))
    if high is not None:
        condition &= Q(LessThanOrEqual(age, high))
    return condition


# --- the exit of a participation (§11.1, §11.12) -----------------------------------------


def final_exits(request: ReportRequest, partners: list[int] | None = None) -> QuerySet[ExitRecord]:
    """The exit record that ends each participation of the scope: the participant's latest
    (by exit date, then recording order), and none while any case of the participant is
    open. Every other exit record (an earlier exit before a re-entry) is ignored."""
    ids = partner_ids(request.project) if partners is None else partners
    later = ExitRecord.objects.filter(participant_id=OuterRef("participant_id")).filter(
        Q(exit_date__gt=OuterRef("exit_date")) | Q(exit_date=OuterRef("exit_date"), id__gt=OuterRef("id"))
    )
    open_case = CaseModel.objects.filter(participant_id=OuterRef("participant_id")).exclude(
        status=CaseStatus.CLOSED
    )
    return ExitRecord.objects.filter(
        in_project_q(request.project, request.scope.participant_q("participant__"), ids, "participant__")
    ).filter(~Exists(later), ~Exists(open_case))


def left_in_period(request: ReportRequest) -> Q:
    """§11.12: immediate results count participations whose final exit lies in the period."""
    return Q(exit_date__gte=request.start, exit_date__lte=request.end)


def follow_up_cutoff(end: datetime.date) -> datetime.date:
    """The last exit date whose six-month reference date (exit + 6 months, clamped to the
    month end) is on or before `end`: add_months is monotone, so the due exits are exactly
    those up to this day (several exit days can share a clamped reference date)."""
    cutoff = add_months(end, -6)
    while add_months(cutoff, 6) > end:  # a clamped start can overshoot by no more than days
        cutoff -= datetime.timedelta(days=1)
    while add_months(cutoff + datetime.timedelta(days=1), 6) <= end:
        cutoff += datetime.timedelta(days=1)
    return cutoff
