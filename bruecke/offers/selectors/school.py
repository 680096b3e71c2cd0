"""Reading the school pathway: the records of a case or participant in the user's scope,
and the two worklists (school-age participants not enrolled, school leavers without a
follow-on) in SQL.

Ages are never computed in Python over participants: the age range becomes a window of
birth dates for today (school_age.age_window) and the lists filter the participant's birth
columns, narrowed first by the indexed `birth_year`. A partial birth date counts when any
of its possible dates falls into the window ("could be", decision 0047).
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Case as CaseExpr
from django.db.models import Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce

from bruecke.cases.models import Case, CaseStatus
from bruecke.core import access
from bruecke.esf.results import add_months
from bruecke.offers.models import EnrolmentStatus, FollowOn, SchoolRecord, TransitionRecord
from bruecke.offers.school_age import age_window
from bruecke.offers.selectors.cases import newest_recordable_case
from bruecke.participants.models import SchoolingStatus

M = TypeVar("M", bound=models.Model)
OPEN_CASE_STATUSES = [CaseStatus.ACTIVE, CaseStatus.PAUSED]


def _date_key(day: datetime.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def born_within(
    queryset: QuerySet[M], first: datetime.date, last: datetime.date, prefix: str = ""
) -> QuerySet[M]:
    """Rows whose (possibly partial) birth date could fall between `first` and `last`
    (inclusive). `prefix` leads to the participant (e.g. "participant__")."""
    year = Cast(F(f"{prefix}birth_year"), IntegerField()) * Value(10000)
    year_only = Q(**{f"{prefix}birth_date_is_placeholder": True}) | Q(
        **{f"{prefix}birth_month__isnull": True}
    )
    month = Cast(F(f"{prefix}birth_month"), IntegerField()) * Value(100)
    day = Cast(F(f"{prefix}birth_day"), IntegerField())
    earliest = ExpressionWrapper(
        year + CaseExpr(When(year_only, then=Value(101)), default=month + Coalesce(day, Value(1))),
        output_field=IntegerField(),
    )
    # Day 31 stands for "the last day of the month": no real date lies between it and 31.
    latest = ExpressionWrapper(
        year + CaseExpr(When(year_only, then=Value(1231)), default=month + Coalesce(day, Value(31))),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(**{f"{prefix}birth_year__gte": first.year, f"{prefix}birth_year__lte": last.year})
        .alias(_born_earliest=earliest, _born_latest=latest)
        .filter(_born_earliest__lte=_date_key(last), _born_latest__gte=_date_key(first))
    )


def school_age_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return age_window(today, settings.OFFERS_SCHOOL_AGE_FROM, settings.OFFERS_SCHOOL_AGE_UNTIL)


def leaving_until(today: datetime.date) -> datetime.date:
    return add_months(today, settings.OFFERS_SCHOOL_LEAVING_MONTHS)


def school_age_not_enrolled(user: Any, today: datetime.date) -> QuerySet[Case]:
    """Open cases in the user's scope whose participant could be of school age today and
    is not enrolled: no school record, or one that says not enrolled or requested. A
    participant recorded as having completed compulsory schooling is left out."""
    first, last = school_age_window(today)
    enrolled = SchoolRecord.objects.filter(case_id=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
    cases = Case.objects.filter(access.case_filter(user), status__in=OPEN_CASE_STATUSES)
    return (
        born_within(cases, first, last, prefix="participant__")
        .exclude(participant__schooling_status=SchoolingStatus.FINISHED)
        .filter(~Exists(enrolled))
        .select_related("participant", "school_record")
        .order_by("participant__latin_name", "pk")
    )


def leaving_without_follow_on(user: Any, today: datetime.date) -> QuerySet[SchoolRecord]:
    """Enrolled school records of open cases in the user's scope whose expected leaving date
    is within OFFERS_SCHOOL_LEAVING_MONTHS months (or already passed while the record still
    says enrolled) and whose case has no follow-on after school recorded."""
    follow_on = TransitionRecord.objects.filter(case_id=OuterRef("case_id")).exclude(follow_on=FollowOn.NONE)
    return (
        SchoolRecord.objects.filter(
            access.case_record_filter(user),
            status=EnrolmentStatus.ENROLLED,
            expected_leaving_on__lte=leaving_until(today),
            case__status__in=OPEN_CASE_STATUSES,
        )
        .filter(~Exists(follow_on))
        .select_related("participant", "case")
        .order_by("expected_leaving_on", "pk")
    )


def school_record_of(user: Any, case: Case) -> SchoolRecord | None:
    return SchoolRecord.objects.filter(access.case_record_filter(user), case=case).first()


def transition_record_of(user: Any, case: Case) -> TransitionRecord | None:
    return TransitionRecord.objects.filter(access.case_record_filter(user), case=case).first()


def participant_school(user: Any, participant_id: int) -> dict[str, Any]:
    """The school records of a participant's cases that the user sees (newest case first),
    and the newest open case the user may record on (for the buttons). Three queries."""
    school = list(
        SchoolRecord.objects.filter(access.case_record_filter(user), participant_id=participant_id)
        .select_related("case")
        .order_by("-case__opened_on", "-pk")
    )
    transition = list(
        TransitionRecord.objects.filter(access.case_record_filter(user), participant_id=participant_id)
        .select_related("case")
        .order_by("-case__opened_on", "-pk")
    )
    writable = newest_recordable_case(user, participant_id)
    return {
        "school": school[0] if school else None,
        "transition": transition[0] if transition else None,
        "writable_case": writable,
    }
