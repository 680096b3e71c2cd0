"""Cases and contacts, exported from the caseload page (cases:caseload).

There is no page listing cases or contacts one by one: the caseload is where a user sees
the cases of their scope (their own, or their team's for a team lead). Its filter, the
number of weeks without contact, gives the cases export a column "no contact for more than
N weeks", and the contacts export the period: the contacts of the last N weeks.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.forms.caseload import CaseloadFilterForm
from bruecke.cases.models import Case, Contact, ContactTopic
from bruecke.cases.selectors.caseload import OPEN, caseload_staff
from bruecke.cases.selectors.cases import cases_visible_to, may_read_confidential
from bruecke.core.access import Perm
from bruecke.participants.models import Participant
from bruecke.reporting.tables import Cell
from bruecke.spreadsheets.exporting.fields import model_column, number_column
from bruecke.spreadsheets.exporting.registry import Column, ExportContext, ListExport, register, with_perm


def caseload_weeks(query: Mapping[str, str]) -> int:
    return CaseloadFilterForm(query if "weeks" in query else None).weeks_or_default()


def caseload_cases(user: User) -> QuerySet[Case]:
    """The open cases the caseload page counts: of the staff it shows, in the user's scope."""
    staff = caseload_staff(user).values("pk")
    return cases_visible_to(user).filter(
        Q(case_manager__in=staff) | Q(placement_officer__in=staff), status__in=OPEN
    )


def _case_rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Case]:
    return (
        caseload_cases(user)
        .select_related("participant", "team", "office", "case_manager", "placement_officer")
        .annotate(last_contact=Max("contacts__date"))
        .order_by("participant__family_name", "participant__given_names", "pk")
    )


def _stale(row: Case, context: ExportContext) -> Cell | bool:
    if "weeks" not in context.memo:
        context.memo["weeks"] = caseload_weeks(context.query)
    weeks = int(context.memo["weeks"])
    cutoff = context.today - datetime.timedelta(weeks=weeks)
    last = getattr(row, "last_contact", None)
    return row.opened_on <= cutoff and (last is None or last <= cutoff)


def _last_contact(row: Case, context: ExportContext) -> Cell | bool:
    return getattr(row, "last_contact", None)


CASES = register(
    ListExport(
        key="cases",
        title=_("Cases"),
        record_type=Case,
        page="cases:caseload",
        may_export=with_perm(Perm.VIEW_PERSONAL_DATA),
        query_keys=("weeks",),
        rows=_case_rows,
        columns=(
            number_column(_("case number")),
            number_column(_("participant number"), "participant_id"),
            model_column(Case, "participant.family_name", label=_("family name")),
            model_column(Case, "participant.given_names", label=_("given names")),
            model_column(Case, "team"),
            model_column(Case, "office"),
            model_column(Case, "case_manager"),
            model_column(Case, "placement_officer"),
            model_column(Case, "status"),
            model_column(Case, "opened_on"),
            Column("last_contact", _("last contact"), _last_contact),
            Column("stale", _("without contact for more than the chosen weeks"), _stale),
        ),
        names=((Participant, "participant_id"),),
    )
)


def _contact_rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Contact]:
    since = today - datetime.timedelta(weeks=caseload_weeks(query))
    return (
        Contact.objects.filter(case__in=caseload_cases(user).values("pk"), date__gt=since)
        .select_related("case__participant", "recorded_by", "site")
        .prefetch_related("topics")
        .order_by("-date", "-pk")
    )


def _topics(row: Contact, context: ExportContext) -> Cell | bool:
    return ", ".join(str(topic) for topic in row.topics.all()) or None


def _own_staff(row: Contact, context: ExportContext) -> bool:
    return not row.confidential or may_read_confidential(context.user, row.case)


def _note(row: Contact, context: ExportContext) -> Cell | bool:
    if not _own_staff(row, context):
        return gettext("confidential")
    return row.note or None


def _sensitive_topics(row: Contact, context: ExportContext) -> Cell | bool:
    if not _own_staff(row, context):
        return gettext("confidential")
    if "sensitive_labels" not in context.memo:
        context.memo["sensitive_labels"] = {
            t.key: str(t) for t in ContactTopic.objects.filter(sensitive=True)
        }
    labels: dict[str, Any] = context.memo["sensitive_labels"]
    return ", ".join(labels.get(key, key) for key in row.sensitive_topic_keys) or None


CONTACTS = register(
    ListExport(
        key="contacts",
        title=_("Contacts"),
        record_type=Contact,
        page="cases:caseload",
        may_export=with_perm(Perm.VIEW_PERSONAL_DATA),
        query_keys=("weeks",),
        rows=_contact_rows,
        columns=(
            number_column(_("contact number")),
            number_column(_("case number"), "case_id"),
            number_column(_("participant number"), "case.participant_id"),
            model_column(Contact, "case.participant.family_name", label=_("family name")),
            model_column(Contact, "case.participant.given_names", label=_("given names")),
            model_column(Contact, "date"),
            model_column(Contact, "duration_minutes"),
            model_column(Contact, "channel"),
            model_column(Contact, "site"),
            model_column(Contact, "interpreter"),
            model_column(Contact, "interpreter_language"),
            Column("topics", _("topics"), _topics),
            model_column(Contact, "confidential"),
            model_column(Contact, "recorded_by"),
        ),
        # Counselling notes and special-category topics: for those who record case work;
        # a confidential note only for the case's own case manager and placement officer.
        notes=(
            Column("note", _("counselling note"), _note),
            Column("sensitive_topics", _("special-category topics"), _sensitive_topics),
        ),
        may_read_notes=with_perm(Perm.RECORD_CASE_WORK),
        names=((Case, "case_id"), (Participant, "case.participant_id")),
    )
)
