"""The results of participations joined across partners (§11.1, decision 0064).

A joined participation ends with the latest exit record of any of its registrations, and
has no exit while any of them still has an open case. That exit record may belong to a
later registration, while the entry characteristics the result base needs (gender,
completeness, employed at entry, age) come from the earliest entry. So these few
participations are counted on their first registration's row, annotated with the id of
the exit record that ends them: every result condition, written for exit-record rows, is
rewritten for that row (`on_first_registration`). Exact, and two queries for the exits
and open cases of the linked registrations plus one aggregate.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import replace
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When

from bruecke.cases.models import Case as CaseModel
from bruecke.cases.models.case import CaseStatus
from bruecke.esf.exit_models import ExitRecord
from bruecke.participants.models import Participant
from bruecke.reporting.people import JoinedPeople, among

from .grouped import _empty, _fold
from .outputs import Counted
from .participations import complete_q

P = "participant__"
FINAL_EXIT = "report_final_exit_id"


def final_exit_of_groups(joined: JoinedPeople) -> dict[int, tuple[int, datetime.date]]:
    """First registration → (exit record id, exit date) of the joined participations that
    have ended: the latest exit of any registration, none while any case is open."""
    members = joined.member_ids()
    if not members:
        return {}
    still_open = set(
        CaseModel.objects.filter(among("participant_id", members))
        .exclude(status=CaseStatus.CLOSED)
        .values_list("participant_id", flat=True)
    )
    blocked = {joined.first_of[pk] for pk in still_open}
    latest: dict[int, tuple[datetime.date, int]] = {}
    exits = ExitRecord.objects.filter(among("participant_id", members)).values_list(
        "pk", "participant_id", "exit_date"
    )
    for pk, participant_id, exit_date in exits:
        first = joined.first_of[participant_id]
        if first not in blocked and (exit_date, pk) > latest.get(first, (datetime.date.min, 0)):
            latest[first] = (exit_date, pk)
    return {first: (pk, exit_date) for first, (exit_date, pk) in latest.items()}


def joined_leavers(joined: JoinedPeople, start: datetime.date, end: datetime.date) -> QuerySet[Participant]:
    """The first registrations of joined participations whose final exit lies in the
    period, annotated with that exit record's id (FINAL_EXIT)."""
    ended = {
        first: pk
        for first, (pk, exit_date) in final_exit_of_groups(joined).items()
        if start <= exit_date <= end
    }
    if not ended:  # still annotated, so that conditions on FINAL_EXIT resolve (no query runs)
        return Participant.objects.none().annotate(**{FINAL_EXIT: Value(0, output_field=IntegerField())})
    final_exit = Case(
        *(When(pk=first, then=Value(pk)) for first, pk in sorted(ended.items())),
        output_field=IntegerField(),
    )
    return Participant.objects.filter(pk__in=sorted(ended)).annotate(**{FINAL_EXIT: final_exit})


def on_first_registration(condition: Q) -> Q:
    """A condition on an exit-record row ("participant__…" reaches the registration),
    rewritten for a registration row annotated with FINAL_EXIT: the registration's own
    fields lose the prefix, each exit-record test becomes an EXISTS on that exit record
    (one row, so a test and its EXISTS agree, negated or not)."""
    rewritten = copy.copy(condition)
    rewritten.children = [_child(child) for child in condition.children]
    return rewritten


def _child(child: Any) -> Any:
    if isinstance(child, Q):
        return on_first_registration(child)
    if isinstance(child, tuple):
        lookup, value = child
        if lookup.startswith(P):
            return (lookup[len(P) :], _expression(value))
        return Exists(ExitRecord.objects.filter(pk=OuterRef(FINAL_EXIT), **{lookup: value}))
    return _expression(child)


def _expression(node: Any) -> Any:
    """An expression with every F("participant__x") read as F("x"); an F of the exit record
    has no counterpart on the registration row, so it is refused rather than misread."""
    if isinstance(node, Q):
        return on_first_registration(node)
    if isinstance(node, F):
        if not node.name.startswith(P):
            raise ValueError(f"exit-record field {node.name!r} inside an expression")
        return F(node.name[len(P) :])
    if not hasattr(node, "get_source_expressions"):
        return node
    rewritten = copy.copy(node)
    rewritten.set_source_expressions([_expression(source) for source in node.get_source_expressions()])
    return rewritten


def on_first_registrations(items: list[Counted]) -> list[Counted]:
    return [replace(item, condition=on_first_registration(item.condition)) for item in items]


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def joined_counts(rows: QuerySet[Participant], items: list[Counted], extra: dict[str, Q]) -> dict[str, int]:
    """What `grouped_counts` gives for exit-record rows, for the joined participations
    (`joined_leavers` rows): the conditions are rewritten for the first registration and
    read per row, one row per joined participation (few), in one query. Not grouped in
    SQL: a grouped aggregate cannot reach the per-row exit id the conditions refer to."""
    mine = on_first_registrations(items)
    conditions = {f"report_c{index}": _flag(item.condition) for index, item in enumerate(mine)}
    conditions |= {
        f"report_x{index}": _flag(on_first_registration(condition))
        for index, condition in enumerate(extra.values())
    }
    totals = _empty(items, extra)
    values = rows.annotate(
        report_gender=F("gender"), report_complete=_flag(complete_q()), **conditions
    ).values("report_gender", "report_complete", *conditions)
    for row in values:
        _fold(totals, {**row, "report_rows": 1}, items, extra)
    return totals
