"""What the rows of placements and referrals share: the participant and the case a row
belongs to (scoped through `core.access`), and a service's field errors as the row's
column errors. Registers no entity."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.cases.models import Case, CaseStatus
from bruecke.core import access
from bruecke.participants.models import Participant
from bruecke.spreadsheets.base import Column, ImportContext, RowInvalid, StrOrPromise, Value
from bruecke.spreadsheets.columns import reference_column, resolve


def participant_column() -> Column:
    return reference_column("participant", gettext_lazy("participant"), gettext_lazy("participant"))


def case_column() -> Column:
    column = reference_column("case", gettext_lazy("case"), gettext_lazy("case"), required=False)
    return Column(
        column.key,
        column.label,
        max_length=column.max_length,
        help=gettext_lazy(
            "Optional: the external id of the case from its own import, or its number in Brücke. "
            "Empty: the participant's current case."
        ),
    )


def row_case(ctx: ImportContext, values: Mapping[str, Value], case_scope: Q) -> Case:
    """The case of the row: the `case` column when given, else the participant's current
    case (open before closed, the latest opened first), among the cases `case_scope` lets
    the importing user work on in the organisation imported into."""
    participants = Participant.objects.filter(
        access.participant_filter(ctx.actor), organisation=ctx.organisation
    )
    participant = resolve(
        ctx, entity="participants", queryset=participants, text=values["participant"], column="participant"
    )
    cases = Case.objects.filter(case_scope, organisation=ctx.organisation, participant=participant)
    if values.get("case"):
        return resolve(ctx, entity="cases", queryset=cases, text=values["case"], column="case")
    key = f"current-case:{participant.pk}"
    if key not in ctx.cache:
        ordered = cases.select_related("participant").order_by("-opened_on", "-pk")
        ctx.cache[key] = ordered.exclude(status=CaseStatus.CLOSED).first() or ordered.first()
    case: Case | None = ctx.cache[key]
    if case is None:
        raise RowInvalid([("participant", _("This participant has no case you may work on."))])
    return case


def errors_as_columns(error: ValidationError, columns: Mapping[str, str | None]) -> RowInvalid:
    """A service's ValidationError as row errors: its field names mapped to column keys
    (unlisted names are kept; None means the whole row)."""
    found: list[tuple[str | None, StrOrPromise]] = []
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            column = None if name == "__all__" else columns.get(name, name)
            found.extend((column, message) for message in messages)
    else:
        found.extend((columns.get("__all__"), message) for message in error.messages)
    return RowInvalid(found)


@contextmanager
def on_columns(columns: Mapping[str, str | None]) -> Iterator[None]:
    """Runs a service call; its field errors become the row's column errors, and a record
    outside the importing user's scope (the services' 404) an error of the row."""
    try:
        yield
    except ValidationError as error:
        raise errors_as_columns(error, columns) from error
    except Http404 as error:
        raise RowInvalid([(None, _("You may not change this record."))]) from error


def unchangeable(column: str) -> RowInvalid:
    return RowInvalid(
        [
            (
                column,
                _("This value cannot be changed by an import. Change it on the record's page in Brücke."),
            )
        ]
    )
