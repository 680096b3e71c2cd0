"""What the case-work entities share: the participant or case a row refers to (always
within the importing user's scope and organisation), staff and teams by name (looked up
once per file), and form values of yes/no/unknown questions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.cases.models import Case, CaseStatus
from bruecke.cases.selectors.cases import cases_visible_to, organisation_teams
from bruecke.core.access import Perm
from bruecke.network.models import Membership
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participants_visible_to
from bruecke.spreadsheets.base import Column, ImportContext, RowInvalid, Value
from bruecke.spreadsheets.columns import reference_column, resolve

PARTICIPANT = "participant"
CASE = "case"


def participant_column(*, required: bool = True) -> Column:
    column = reference_column(
        PARTICIPANT, gettext_lazy("participant"), gettext_lazy("participant"), required=required
    )
    return _with_aliases(column, ("Teilnehmer", "Teilnehmende", "Teilnehmer-Nr.", "TN", "TN-Nr.", "Person"))


def case_column(*, required: bool = True) -> Column:
    column = reference_column(CASE, gettext_lazy("case"), gettext_lazy("case"), required=required)
    return _with_aliases(column, ("Fall", "Fallnummer", "Fall-Nr.", "Akte"))


def _with_aliases(column: Column, aliases: tuple[str, ...]) -> Column:
    from dataclasses import replace

    return replace(column, aliases=aliases)


def participants_of(ctx: ImportContext, perm: Perm = Perm.EDIT_PARTICIPANTS) -> QuerySet[Participant]:
    """The importing organisation's participants the user may work on."""
    return participants_visible_to(ctx.actor, perm).filter(organisation=ctx.organisation)


def cases_of(ctx: ImportContext, perm: Perm = Perm.EDIT_PARTICIPANTS) -> QuerySet[Case]:
    return cases_visible_to(ctx.actor, perm).filter(organisation=ctx.organisation)


def participant_of_row(
    ctx: ImportContext, text: str, queryset: QuerySet[Participant] | None = None
) -> Participant:
    return resolve(
        ctx,
        entity="participants",
        queryset=participants_of(ctx) if queryset is None else queryset,
        text=text,
        column=PARTICIPANT,
    )


def case_of_row(
    ctx: ImportContext,
    values: dict[str, Value],
    *,
    perm: Perm = Perm.EDIT_PARTICIPANTS,
    open_only: bool = True,
) -> Case:
    """The case a row names in `case`, else the open case of the participant named in
    `participant`. An error names the column that was given."""
    queryset = cases_of(ctx, perm).select_related("participant", "organisation")
    if values.get(CASE):
        return resolve(ctx, entity="cases", queryset=queryset, text=str(values[CASE]), column=CASE)
    if not values.get(PARTICIPANT):
        raise RowInvalid([(CASE, _("Please give the case, or the participant whose open case is meant."))])
    participant = participant_of_row(ctx, str(values[PARTICIPANT]), participants_of(ctx, perm))
    cases = queryset.filter(participant=participant)
    found = cases.exclude(status=CaseStatus.CLOSED).first() if open_only else cases.first()
    if found is None:
        raise RowInvalid([(PARTICIPANT, _("This participant has no open case in your organisation."))])
    return found


def staff_ids(ctx: ImportContext) -> dict[str, int]:
    """E-mail addresses and user names (case-insensitive) of the organisation's active
    staff, to their user id; one query per file."""
    if "casework:staff" not in ctx.cache:
        found: dict[str, int] = {}
        members = Membership.objects.filter(
            organisation=ctx.organisation, ended_on__isnull=True, user__is_active=True
        ).values_list("user_id", "user__username", "user__email")
        for user_id, username, email in members:
            found[username.casefold()] = user_id
            if email:
                found.setdefault(email.casefold(), user_id)
        ctx.cache["casework:staff"] = found
    return dict(ctx.cache["casework:staff"])


def staff_id(ctx: ImportContext, column: str, text: str | None) -> int | None:
    """The staff member a cell names by e-mail address or user name, or an error on `column`."""
    if not text:
        return None
    found = staff_ids(ctx).get(text.strip().casefold())
    if found is None:
        raise RowInvalid(
            [(column, _("No staff member of your organisation has this e-mail address or user name."))]
        )
    return found


def team_id(ctx: ImportContext, column: str, text: str | None) -> int | None:
    """A team of the organisation by its name (case-insensitive); one query per file."""
    if not text:
        return None
    if "casework:teams" not in ctx.cache:
        teams = organisation_teams(ctx.organisation.pk).values_list("pk", "name")
        ctx.cache["casework:teams"] = {name.casefold(): pk for pk, name in teams}
    found = ctx.cache["casework:teams"].get(text.strip().casefold())
    if found is None:
        raise RowInvalid([(column, _("Your organisation works in no team of this name."))])
    return int(found)


def null_boolean(value: Value) -> str:
    """A yes/no/unknown answer as its form field reads it."""
    return {True: "true", False: "false"}.get(value, "")
