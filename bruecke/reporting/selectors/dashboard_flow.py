"""Entries and exits per month, by region (the participant's team) and by partner.

An entry is a participation whose first entry lies in the period: a merged registration
never counts, registrations of one person at several partners once, with the partner and
region of the earliest entry (decision 0064). An exit is an exit record (the end of one
case) whose exit date lies in it. Three queries (four with cross-partner links), whatever
the data.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from bruecke.esf.exit_models import ExitRecord
from bruecke.participants.models import Participant
from bruecke.projects.models import Project
from bruecke.reporting.charts import ChartData, Series
from bruecke.reporting.people import counted_once, join_people
from bruecke.reporting.selectors import Slice, month_label, months

# A participant without a team, or a team without a region.
NO_REGION = ""


@dataclass(frozen=True)
class Flow:
    """Counts keyed by (month, region, partner name)."""

    entries: Counter[tuple[datetime.date, str, str]]
    exits: Counter[tuple[datetime.date, str, str]]

    def total(self, which: str) -> int:
        return sum(getattr(self, which).values())


def flow(part: Slice) -> Flow:
    everyone = Participant.objects.filter(part.participant_q())
    joined = join_people(everyone, Project.objects.filter(pk=part.project_id).values("network_id")[:1])
    entries = (
        counted_once(everyone, joined)
        .filter(entry_date__gte=part.start, entry_date__lte=part.end)
        .order_by()
        .annotate(month=TruncMonth("entry_date"), region=Coalesce(F("team__region"), Value(NO_REGION)))
        .values("month", "region", "organisation__name")
        .annotate(n=Count("id"))
        .values_list("month", "region", "organisation__name", "n")
    )
    exits = (
        ExitRecord.objects.filter(
            part.participant_q("participant__"), exit_date__gte=part.start, exit_date__lte=part.end
        )
        .order_by()
        .annotate(
            month=TruncMonth("exit_date"),
            region=Coalesce(F("participant__team__region"), Value(NO_REGION)),
        )
        .values("month", "region", "participant__organisation__name")
        .annotate(n=Count("id"))
        .values_list("month", "region", "participant__organisation__name", "n")
    )
    return Flow(entries=_counter(entries), exits=_counter(exits))


def _counter(rows: object) -> Counter[tuple[datetime.date, str, str]]:
    counts: Counter[tuple[datetime.date, str, str]] = Counter()
    for month, region, partner, n in rows:  # type: ignore[attr-defined]
        # TruncMonth of a date is a date on PostgreSQL, a datetime on some backends.
        day = month.date() if isinstance(month, datetime.datetime) else month
        counts[(day, region or NO_REGION, partner)] += n
    return counts


def _by(counts: Counter[tuple[datetime.date, str, str]], position: int) -> Counter[object]:
    result: Counter[object] = Counter()
    for key, n in counts.items():
        result[key[position]] += n
    return result


def per_month(data: Flow, part: Slice) -> ChartData:
    entries, exits = _by(data.entries, 0), _by(data.exits, 0)
    days = months(part.start, part.end)
    return ChartData(
        title=_("Entries and exits per month"),
        category_heading=_("Month"),
        categories=[month_label(day) for day in days],
        series=[
            Series(_("Entries"), [entries[day] for day in days]),
            Series(_("Exits"), [exits[day] for day in days]),
        ],
    )


def _grouped(data: Flow, position: int, title: str, heading: str, empty_label: str) -> ChartData:
    entries, exits = _by(data.entries, position), _by(data.exits, position)
    keys = sorted(set(entries) | set(exits), key=lambda key: (key == NO_REGION, str(key)))
    return ChartData(
        title=title,
        category_heading=heading,
        categories=[str(key) or empty_label for key in keys],
        series=[
            Series(_("Entries"), [entries[k] for k in keys]),
            Series(_("Exits"), [exits[k] for k in keys]),
        ],
    )


def by_region(data: Flow) -> ChartData:
    return _grouped(data, 1, _("Entries and exits by region"), _("Region"), _("No region"))


def by_partner(data: Flow) -> ChartData:
    return _grouped(data, 2, _("Entries and exits by partner"), _("Partner"), "–")
