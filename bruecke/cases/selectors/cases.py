"""Which cases a user sees, and the case's contacts."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, Contact, ContactTopic, Task
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.network.models import Membership, Team

AnyUser = User | AnonymousUser


def cases_visible_to(user: AnyUser, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> QuerySet[Case]:
    """A partner's own cases (narrowed to the team where the role says so); shared
    participants give no access to the sharing partner's cases."""
    return Case.objects.filter(access.case_filter(user, perm))


def organisation_teams(organisation_id: int) -> QuerySet[Team]:
    """The active teams a partner works in (has active staff in): the only teams its cases
    may have. A case in a team where its partner has nobody is a case nobody can open."""
    staffed = Membership.objects.filter(
        organisation_id=organisation_id, ended_on__isnull=True, team__isnull=False
    ).values("team_id")
    return Team.objects.filter(pk__in=staffed, is_active=True).order_by("name")


def case_visible_to(user: AnyUser, case: Case) -> bool:
    """Whether `user` sees `case` as stored now, asked through the very rule every page uses."""
    return cases_visible_to(user).filter(pk=case.pk).exists()


def case_get(user: AnyUser, pk: object, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> Case:
    queryset = cases_visible_to(user, perm).select_related(
        "participant", "team", "office", "case_manager", "placement_officer", "organisation"
    )
    return access.get_or_404(queryset, pk=pk)


def case_contacts(case: Case) -> QuerySet[Contact]:
    return case.contacts.select_related("site", "recorded_by").prefetch_related("topics")


def attach_topic_labels(page: Page[Contact]) -> None:
    """Sets `topic_labels` on each contact of the page: linked and encrypted topics, with
    one query for the labels of the special-category topics."""
    page.object_list = list(page.object_list)
    labels = {topic.key: str(topic) for topic in ContactTopic.objects.filter(sensitive=True)}
    for contact in page.object_list:
        contact.topic_labels = contact.topic_names(labels)  # type: ignore[attr-defined]


def may_read_confidential(user: AnyUser, case: Case) -> bool:
    """Confidential notes: only the case's own case manager and placement officer."""
    return user.is_authenticated and user.pk in (case.case_manager_id, case.placement_officer_id)


def last_contact() -> Subquery:
    """The date of the outer case's latest contact: one probe of the (case, -date, -id)
    index, where MAX over a join grouped every selected column by case."""
    latest = Contact.objects.filter(case=OuterRef("pk")).order_by("-date", "-id").values("date")[:1]
    return Subquery(latest)


def participant_cases(user: AnyUser, participant_pk: int) -> QuerySet[Case]:
    """The participant's cases with their number of contacts and latest contact, each a
    subquery on the case's index entries (no join of every contact grouped by case)."""
    contacts = Contact.objects.filter(case=OuterRef("pk")).order_by().values("case")
    count = contacts.annotate(n=Count("pk")).values("n")
    return (
        cases_visible_to(user)
        .filter(participant_id=participant_pk)
        .select_related("case_manager", "team")
        .annotate(contact_count=Coalesce(Subquery(count), 0), last_contact=last_contact())
    )


# The section of the case page that shows the record a timeline event is about.
RECORD_SECTION = {
    "cases.contact": "contacts-heading",
    "cases.assessment": "barriers-heading",
    "cases.casedocument": "documents-heading",
    "cases.plan": "plan-heading",
    "cases.planversion": "plan-heading",
    "cases.goal": "plan-heading",
    "cases.step": "plan-heading",
    "cases.profile": "profile-heading",
    "cases.task": "tasks-heading",
    "cases.casetransfer": "transfers-heading",
    "esf.exitrecord": "exit-heading",
    "esf.followup": "exit-heading",
    "placement.application": "placement-heading",
    "placement.placement": "placement-heading",
    "offers.referral": "offers-heading",
}


def section_url(detail: str, heading: str) -> str:
    """The case page's tab that holds `heading` (transfers sit above the tabs)."""
    name = heading.removesuffix("-heading")
    if name == "transfers":
        return f"{detail}#{heading}"
    return f"{detail}?section={name}#{heading}"


def timeline_with_records(case: Case, events: list[CaseEvent]) -> list[CaseEvent]:
    """Adds `record_url` (the record's place on the case page) and, for task events, `task`
    (its title is shown, never stored in the event: titles are free text). One query."""
    task_ids = [int(e.object_id) for e in events if e.object_type == "cases.task" and e.object_id.isdigit()]
    # `or [0]`: an empty list would skip the query, and the page's query count would vary.
    tasks = {t.pk: t for t in Task.objects.filter(case=case, pk__in=task_ids or [0])}
    detail = reverse("cases:detail", args=[case.pk])
    for event in events:
        section = RECORD_SECTION.get(event.object_type)
        event.record_url = section_url(detail, section) if section else ""  # type: ignore[attr-defined]
        is_task = event.object_type == "cases.task" and event.object_id.isdigit()
        event.task = tasks.get(int(event.object_id)) if is_task else None  # type: ignore[attr-defined]
    return events


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    """Everything that happened in the case, newest first (paginated by the page)."""
    return case.events.select_related("actor")
