"""Referrals (offers): a case's referral to a measure of the network's catalogue, with its
lifecycle.

A row gives the status the referral has reached and the date of each step on the way
(suggested, referred, waiting list, accepted, started, and the end: completed, dropped
out or rejected). The row's steps are recorded one by one through the referral services,
so the lifecycle's rules hold as on the pages: a sequence the lifecycle does not allow,
a step before the previous one or in the future is a row error. A later import of the
same row adds the steps that follow those already recorded; it never rewrites a step."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.cases.models import Case, CaseStatus
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.offers.models import ALLOWED_NEXT, FINAL_STATUSES, Measure, Referral, ReferralStatus
from bruecke.offers.services.referrals import START_STATUSES, referral_create, referral_step
from bruecke.placement.kldb import fold
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved, Value
from bruecke.spreadsheets.entities.case_rows import (
    case_column,
    on_columns,
    participant_column,
    row_case,
    unchangeable,
)
from bruecke.spreadsheets.registry import register

S = ReferralStatus
# The column holding the date of each status; the three final statuses share the end date.
DATE_COLUMNS: dict[str, str] = {
    S.SUGGESTED: "suggested_on",
    S.REFERRED: "referred_on",
    S.WAITING_LIST: "waiting_list_on",
    S.ACCEPTED: "accepted_on",
    S.STARTED: "started_on",
    S.COMPLETED: "ended_on",
    S.DROPPED_OUT: "ended_on",
    S.REJECTED: "ended_on",
}
# The order in which the steps before the end are taken.
WAY = (S.SUGGESTED, S.REFERRED, S.WAITING_LIST, S.ACCEPTED, S.STARTED)

Step = tuple[str, datetime.date]


@dataclass
class ReferralRow:
    case: Case
    measure: Measure
    steps: list[Step]
    expected_start_on: datetime.date | None
    planned_end_on: datetime.date | None
    note: str
    # The steps still to record (all of them for a new referral).
    todo: list[Step] = field(default_factory=list)


def _date_column(key: str, label: Any, *aliases: str) -> Column:
    return Column(key, label, kind="date", aliases=aliases)


def row_steps(status: str, values: dict[str, Value]) -> list[Step]:
    """The steps a row describes, in lifecycle order, ending at `status`; raises
    RowInvalid where the dates do not fit the status."""
    final = status in FINAL_STATUSES
    steps: list[Step] = []
    errors: list[tuple[str | None, str]] = []
    reached = False
    for step in WAY:
        on = values.get(DATE_COLUMNS[step])
        if reached and on is not None:
            errors.append((DATE_COLUMNS[step], _("This date belongs to a step after the row's status.")))
        elif on is not None:
            steps.append((step, on))
        reached = reached or step == status
    if final:
        steps.append((status, values.get("ended_on")))  # type: ignore[arg-type]
    elif values.get("ended_on") is not None:
        errors.append(("ended_on", _("Only a completed, dropped out or rejected referral has an end.")))
    if values.get(DATE_COLUMNS[status]) is None:
        errors.append((DATE_COLUMNS[status], _("Please give the date of the row's status.")))
    if errors:
        raise RowInvalid(errors)
    return steps


def check_steps(steps: list[Step], *, opened_on: datetime.date) -> None:
    """The lifecycle's rules for a sequence of steps: how a referral begins, which status
    may follow which, and dates from the case's opening to today, never going back."""
    first, first_on = steps[0]
    if first not in START_STATUSES:
        raise RowInvalid(
            [
                (
                    "referred_on",
                    _("A referral starts as suggested or referred. Please give the date it was referred."),
                )
            ]
        )
    if first_on < opened_on:
        raise RowInvalid(
            [
                (
                    DATE_COLUMNS[first],
                    _("The date cannot be before the case was opened (%(date)s).")
                    % {"date": opened_on.strftime("%d.%m.%Y")},
                )
            ]
        )
    today = timezone.localdate()
    for (before, before_on), (status, on) in itertools.pairwise(steps):
        if status not in ALLOWED_NEXT[before]:
            raise RowInvalid(
                [
                    (
                        "status",
                        _("A referral that is “%(current)s” cannot become “%(status)s”.")
                        % {"current": S(before).label, "status": S(status).label},
                    )
                ]
            )
        if on < before_on:
            raise RowInvalid(
                [
                    (
                        DATE_COLUMNS[status],
                        _("The date cannot be before the previous step (%(date)s).")
                        % {"date": before_on.strftime("%d.%m.%Y")},
                    )
                ]
            )
    for status, on in steps:
        if on > today:
            raise RowInvalid([(DATE_COLUMNS[status], _("The date cannot be in the future."))])


class Referrals(Entity):
    key = "referrals"
    label = gettext_lazy("referrals")
    model = Referral
    permission = Perm.RECORD_CASE_WORK
    order = 64
    columns = (
        participant_column(),
        case_column(),
        Column(
            "measure",
            gettext_lazy("measure"),
            required=True,
            max_length=200,
            aliases=("Maßnahme", "Angebot", "Kurs"),
            help=gettext_lazy("The title of the measure in the network's catalogue."),
        ),
        Column(
            "provider",
            gettext_lazy("provider"),
            max_length=200,
            aliases=("Träger", "Anbieter"),
            help=gettext_lazy("Needed only when several measures of the catalogue have the same title."),
        ),
        Column(
            "status",
            gettext_lazy("status"),
            kind="choice",
            required=True,
            choices=lambda: ReferralStatus.choices,
            aliases=("Stand",),
        ),
        _date_column("suggested_on", gettext_lazy("suggested on"), "vorgeschlagen am"),
        _date_column("referred_on", gettext_lazy("referred on"), "vermittelt am", "verwiesen am"),
        _date_column("waiting_list_on", gettext_lazy("on the waiting list since"), "Warteliste seit"),
        _date_column("accepted_on", gettext_lazy("accepted on"), "zugesagt am", "angenommen am"),
        _date_column("started_on", gettext_lazy("started on"), "begonnen am", "Beginn"),
        _date_column("ended_on", gettext_lazy("ended on"), "beendet am", "Ende"),
        _date_column("expected_start_on", gettext_lazy("expected start"), "voraussichtlicher Beginn"),
        _date_column("planned_end_on", gettext_lazy("planned end"), "geplantes Ende"),
        Column("note", gettext_lazy("note"), max_length=2000, aliases=("Notiz", "Bemerkung")),
    )

    def _measure(self, ctx: ImportContext, values: dict[str, Value]) -> Measure:
        title, provider = values["measure"], values.get("provider") or ""
        key = f"measure:{fold(title)}:{fold(provider)}"
        if key not in ctx.cache:
            measures = Measure.objects.filter(access.offers_filter(ctx.actor) & Q(title_key=fold(title)))
            if provider:
                measures = measures.filter(provider__name_key=fold(provider))
            ctx.cache[key] = list(measures.select_related("provider").order_by("pk")[:2])
        found: list[Measure] = ctx.cache[key]
        if not found:
            raise RowInvalid([("measure", _("The network's catalogue has no measure with this title."))])
        if len(found) > 1:
            raise RowInvalid(
                [("provider", _("Several measures have this title. Please give the provider's name."))]
            )
        return found[0]

    def prepare(self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None) -> Any:
        case = row_case(ctx, values, access.case_filter(ctx.actor, Perm.RECORD_CASE_WORK))
        measure = self._measure(ctx, values)
        steps = row_steps(values["status"], values)
        check_steps(steps, opened_on=case.opened_on)
        row = ReferralRow(
            case,
            measure,
            steps,
            values.get("expected_start_on"),
            values.get("planned_end_on"),
            values.get("note") or "",
        )
        start = next((on for status, on in steps if status == S.STARTED), None) or row.expected_start_on
        if row.planned_end_on is not None and start is not None and row.planned_end_on < start:
            raise RowInvalid(
                [
                    (
                        "planned_end_on",
                        _("The planned end cannot be before the start (%(date)s).")
                        % {"date": start.strftime("%d.%m.%Y")},
                    )
                ]
            )
        if isinstance(existing, Referral):
            row.todo = self._later_steps(existing, row)
        else:
            if case.status == CaseStatus.CLOSED:
                raise RowInvalid(
                    [("participant", _("The case is closed. Reopen it to refer the participant."))]
                )
            if not measure.is_active:
                raise RowInvalid([("measure", _("This measure is no longer offered."))])
            row.todo = steps
        return row

    def _later_steps(self, existing: Referral, row: ReferralRow) -> list[Step]:
        """The file's steps after those recorded; the recorded ones must be the file's first."""
        if existing.measure_id != row.measure.pk:
            raise unchangeable("measure")
        if existing.case_id != row.case.pk:
            raise unchangeable("case")
        recorded = [(s.status, s.occurred_on) for s in existing.steps.order_by("occurred_on", "pk")]
        if row.steps[: len(recorded)] != recorded[: len(row.steps)]:
            raise RowInvalid(
                [
                    (
                        "status",
                        _(
                            "The steps recorded in Brücke differ from the row's. "
                            "An import only adds the steps that follow them."
                        ),
                    )
                ]
            )
        return row.steps[len(recorded) :]

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        row: ReferralRow = prepared
        todo = list(row.todo)
        if not todo:
            assert isinstance(existing, Referral)
            return Saved(existing, False)
        referral = existing
        with on_columns({"on": "status"}):
            if referral is None:
                status, on = todo.pop(0)
                referral = referral_create(
                    actor=ctx.actor,
                    case=row.case,
                    measure=row.measure,
                    status=status,
                    on=on,
                    expected_start_on=row.expected_start_on,
                    note="" if todo else row.note,
                )
            assert isinstance(referral, Referral)
            for index, (status, on) in enumerate(todo):
                referral = referral_step(
                    actor=ctx.actor,
                    referral=referral,
                    status=status,
                    on=on,
                    note=row.note if index == len(todo) - 1 else "",
                    expected_start_on=row.expected_start_on,
                    planned_end_on=row.planned_end_on,
                )
        return Saved(referral, True)


register(Referrals())
