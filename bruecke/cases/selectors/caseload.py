"""Caseload figures per staff member, all from SQL aggregates (one query for the table).

Scope: the staff come from `access.caseload_staff_filter` (a team lead's team, or only the
user), the counted cases from `cases_visible_to` (the user's own partner and team).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, F, Func, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, Contact, Task, TaskSource
from bruecke.cases.selectors.cases import AnyUser, cases_visible_to
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
        .annotate(last_contact=Max("contacts__date"))
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
