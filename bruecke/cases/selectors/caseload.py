"""Caseload figures per staff member, all from SQL aggregates (one query for the table).

Scope: the staff come from `access.caseload_staff_filter` (a team lead's team, or only the
user), the counted cases from `cases_visible_to` (the user's own partner and team).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, Contact, Task, TaskSource
from bruecke.cases.selectors.cases import AnyUser, cases_visible_to, last_contact
from bruecke.core import access
from bruecke.core.access import Perm

CONTACT_WINDOW_DAYS = 30
OPEN = [CaseStatus.ACTIVE, CaseStatus.PAUSED]


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) subquery (no GROUP BY, so it works for any filter)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def caseload_staff(user: AnyUser) -> QuerySet[User]:
    return User.objects.filter(access.caseload_staff_filter(user), is_active=True)


def _staff_cases(user: AnyUser) -> QuerySet[Case]:
    """Open cases in the user's scope of the staff member in the outer query."""
    staff = OuterRef("pk")
    return cases_visible_to(user).filter(Q(case_manager=staff) | Q(placement_officer=staff), status__in=OPEN)


def _without_contact_since(cases: QuerySet[Case], cutoff: datetime.date) -> QuerySet[Case]:
    """Cases with no contact after `cutoff`; cases opened after it are not neglected yet."""
    recent = Contact.objects.filter(case=OuterRef("pk"), date__gt=cutoff)
    return cases.filter(opened_on__lte=cutoff).exclude(Exists(recent))


def stale_cases_of(user: AnyUser, staff: User, weeks: int, today: datetime.date) -> QuerySet[Case]:
    """Open cases of `staff` (in the user's scope) with no contact for more than `weeks` weeks."""
    cases = cases_visible_to(user).filter(Q(case_manager=staff) | Q(placement_officer=staff), status__in=OPEN)
    return (
        _without_contact_since(cases, today - datetime.timedelta(weeks=weeks))
        .select_related("participant", "case_manager")
        .annotate(last_contact=last_contact())
        .order_by("opened_on", "pk")
    )


def _open_tasks(user: AnyUser, today: datetime.date) -> QuerySet[Task]:
    """Overdue open tasks of the outer staff member: on cases in scope, or free tasks of
    the user's organisations."""
    organisations = access.organisation_ids(user, Perm.VIEW_PERSONAL_DATA)
    in_scope = Q(case__in=cases_visible_to(user).values("pk")) | Q(
        case__isnull=True, organisation_id__in=organisations
    )
    return Task.objects.filter(in_scope, assignee=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)


def caseload_rows(user: AnyUser, weeks: int, today: datetime.date) -> QuerySet[User]:
    """One row per visible staff member with open cases, contacts in the last 30 days,
    cases without contact for more than `weeks` weeks, overdue plan steps and overdue tasks."""
    cutoff = today - datetime.timedelta(weeks=weeks)
    since = today - datetime.timedelta(days=CONTACT_WINDOW_DAYS)
    contacts = Contact.objects.filter(
        case__in=cases_visible_to(user).values("pk"), recorded_by=OuterRef("pk"), date__gte=since
    )
    return (
        caseload_staff(user)
        .annotate(
            open_cases=_count(_staff_cases(user)),
            recent_contacts=_count(contacts),
            stale_cases=_count(_without_contact_since(_staff_cases(user), cutoff)),
            overdue_plan_steps=_count(_open_tasks(user, today).filter(source=TaskSource.PLAN_STEP)),
            overdue_tasks=_count(_open_tasks(user, today)),
        )
        .order_by("last_name", "first_name", "pk")
    )


# The start page ("Mein Tag"): the user's own open cases and the cases without contact.
STALE_ON_DASHBOARD = 5
MY_CASES_PER_PAGE = 10


def my_open_cases(user: AnyUser) -> QuerySet[Case]:
    """The user's open cases (as case manager or placement officer), each with the date of
    its last contact and `next_due`: the due date of the case's earliest open task or plan
    step (the model has no appointments; a planned contact is a task). Both are correlated
    subqueries on the indexes (case, -date) and (case, done_on, due_on): one query a page."""
    next_due = (
        Task.objects.filter(case=OuterRef("pk"), done_on__isnull=True).order_by("due_on").values("due_on")[:1]
    )
    return (
        cases_visible_to(user)
        .filter(Q(case_manager_id=user.pk) | Q(placement_officer_id=user.pk), status__in=OPEN)
        .select_related("participant")
        .annotate(last_contact=last_contact(), next_due=Subquery(next_due))
        .order_by(F("next_due").asc(nulls_last=True), "participant__family_name", "pk")
    )


def team_stale_cases(user: AnyUser, weeks: int, today: datetime.date) -> QuerySet[Case]:
    """Open cases of the staff whose caseload the user sees (a team lead's team) with no
    contact for more than `weeks` weeks, the longest-neglected first."""
    staff = caseload_staff(user).values("pk")
    cases = cases_visible_to(user).filter(
        Q(case_manager__in=staff) | Q(placement_officer__in=staff), status__in=OPEN
    )
    return (
        _without_contact_since(cases, today - datetime.timedelta(weeks=weeks))
        .select_related("participant", "case_manager")
        .annotate(last_contact=last_contact())
        .order_by(F("last_contact").asc(nulls_first=True), "opened_on", "pk")
    )
