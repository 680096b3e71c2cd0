"""The participant list (participants:list) with its search, filters and sort order."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.core.access import Perm
from bruecke.participants import selectors
from bruecke.participants.models import Participant
from bruecke.reporting.tables import Cell
from bruecke.spreadsheets.exporting.fields import model_column, number_column
from bruecke.spreadsheets.exporting.registry import Column, ExportContext, ListExport, register, with_perm

# The search text lives in the session behind an opaque token (names never travel in
# URLs); the export resolves it when it is started and keeps it encrypted in the job's
# parameters (a sealed key, decision 0073).
SEARCH = "search"


def _rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Participant]:
    from bruecke.participants import views

    sort, descending = views.list_ordering(query)
    selected = views.list_filter(query, query.get(SEARCH, ""))
    return selectors.participant_list(user, selected, today).order_by(*views.list_order_by(sort, descending))


def search_of(query: Mapping[str, str], session: Any) -> dict[str, str]:
    """The search text behind the page's token `s`, as the page shows it."""
    from bruecke.participants.views import SEARCH_SESSION_KEY

    token = query.get("s", "")
    search = str(session.get(SEARCH_SESSION_KEY, {}).get(token, "")) if token else ""
    return {SEARCH: search} if search else {}


def _birth_date(row: Participant, context: ExportContext) -> Cell | bool:
    return row.birth_date_display


def _team(row: Participant, context: ExportContext) -> Cell | bool:
    return str(row.team or row.organisation)


# Contact details are for those who keep the participants' data (case managers, team
# leads); a placement officer's export names and dates the people, without them.
_keeper = with_perm(Perm.EDIT_PARTICIPANTS)

PARTICIPANTS = register(
    ListExport(
        key="participants",
        title=_("Participants"),
        record_type=Participant,
        page="participants:list",
        may_export=with_perm(Perm.VIEW_PERSONAL_DATA),
        query_keys=("team", "status", "expiring", "eligibility", "incomplete_esf", "o", SEARCH),
        rows=_rows,
        columns=(
            number_column(_("participant number")),
            model_column(Participant, "family_name", label=_("family name")),
            model_column(Participant, "given_names", label=_("given names")),
            Column("birth_date", _("date of birth"), _birth_date),
            model_column(Participant, "gender"),
            model_column(Participant, "nationality"),
            Column("team", _("team"), _team),
            model_column(Participant, "current_status"),
            model_column(Participant, "current_valid_until"),
            model_column(Participant, "eligibility"),
            model_column(Participant, "entry_date"),
            model_column(Participant, "german_level"),
            model_column(Participant, "phone", visible=_keeper),
            model_column(Participant, "email", visible=_keeper),
            model_column(Participant, "street", visible=_keeper),
            model_column(Participant, "postcode", visible=_keeper),
            model_column(Participant, "town", visible=_keeper),
        ),
        from_session=search_of,
        sealed_keys=(SEARCH,),
    )
)
