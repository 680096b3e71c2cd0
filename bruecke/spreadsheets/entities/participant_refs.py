"""What the participant entities share: the `participant` reference column, resolving it
within the importing user's scope, and choices that also accept the words German
spreadsheets use for a value."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import cast

from django.utils.translation import gettext_lazy as _

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.participants.models import Participant
from bruecke.spreadsheets.base import Column, ImportContext, StrOrPromise
from bruecke.spreadsheets.columns import reference_column, resolve

PARTICIPANT = "participant"
Choices = Sequence[tuple[str, StrOrPromise]]


def participant_column() -> Column:
    column = reference_column(PARTICIPANT, cast(str, _("participant")), cast(str, _("participant")))
    aliases = ("Teilnehmer", "Teilnehmerin", "Teilnehmende", "TN", "TN-Nr.", "Teilnehmernummer", "Person")
    return Column(
        column.key,
        column.label,
        required=True,
        max_length=column.max_length,
        aliases=aliases,
        help=column.help,
    )


def resolve_participant(ctx: ImportContext, text: str) -> Participant:
    """The participant a row names (external id or Brücke number); 'no record' for anyone
    outside the importing user's scope, including other organisations' participants."""
    participant = resolve(
        ctx,
        entity="participants",
        queryset=Participant.objects.filter(
            access.participant_filter(ctx.actor, Perm.EDIT_PARTICIPANTS), organisation=ctx.organisation
        ),
        text=text,
        column=PARTICIPANT,
    )
    participant.organisation = ctx.organisation  # same row; spares a query per row
    return participant


def may_edit(ctx: ImportContext, participant: Participant) -> bool:
    return (
        Participant.objects.filter(access.participant_filter(ctx.actor, Perm.EDIT_PARTICIPANTS))
        .filter(pk=participant.pk)
        .exists()
    )


def with_aliases(
    choices: Callable[[], Choices], aliases: Iterable[tuple[str, str]]
) -> Callable[[], list[tuple[str, StrOrPromise]]]:
    """The choices, followed by further words that stand for a code (matched like labels;
    the saved value mapping of a file still comes first)."""
    extra = list(aliases)

    def choices_with_aliases() -> list[tuple[str, StrOrPromise]]:
        return [*choices(), *extra]

    return choices_with_aliases
