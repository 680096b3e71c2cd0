"""Progress and forecast of a project's targets (decision 0051).

`forecast()` is pure: from the achieved count, the count of the recent months and the due
date it derives the rate, the date the target will be reached at that rate and a status.
`target_progress()` counts in SQL, with the figures modules of the other areas, one query
per kind of figure (not per target, not per row).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from bruecke.esf.results import add_months
from bruecke.network.models import Organisation
from bruecke.offers.selectors import figures as offer_figures
from bruecke.offers.selectors import group_figures, referral_figures
from bruecke.participants.models import Participant
from bruecke.placement.selectors import figures as placement_figures
from bruecke.projects.models import Project
from bruecke.reporting.models import ProjectTarget, TargetKind, TargetProgress
from bruecke.reporting.people import counted_once, join_people, not_merged

# A forecast further away than this is no forecast: the rate is as good as zero.
HORIZON_DAYS = 100 * 365

REACHED = "reached"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
STATUS_LABELS = {REACHED: _("reached"), ON_TRACK: _("on track"), AT_RISK: _("at risk")}


@dataclass(frozen=True)
class Forecast:
    value: int
    achieved: int
    recent: int  # achieved in the recent span
    span_days: int
    reached_on: datetime.date | None  # the forecast date; None when reached or never
    due: datetime.date | None
    status: str

    @property
    def percent(self) -> int:
        """Achieved in whole percent of the value, at most 100 (for the bar)."""
        return min(100, self.achieved * 100 // self.value) if self.value > 0 else 100

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def per_month(self) -> Fraction:
        """The recent rate per average month (365.25 / 12 days)."""
        if self.span_days <= 0:
            return Fraction(0)
        return Fraction(self.recent, self.span_days) * Fraction(36525, 1200)


def forecast(
    *,
    value: int,
    achieved: int,
    recent: int,
    span_days: int,
    as_of: datetime.date,
    due: datetime.date | None,
) -> Forecast:
    """The target's status: reached when achieved ≥ value; otherwise the date it will be
    reached at the recent rate (recent / span_days per day), at risk when that date is after
    the due date or there is no rate at all."""
    remaining = value - achieved
    if remaining <= 0:
        return Forecast(value, achieved, recent, span_days, None, due, REACHED)
    reached_on = forecast_date(remaining=remaining, recent=recent, span_days=span_days, as_of=as_of)
    at_risk = reached_on is None or (due is not None and reached_on > due)
    return Forecast(value, achieved, recent, span_days, reached_on, due, AT_RISK if at_risk else ON_TRACK)


def forecast_date(
    *, remaining: int, recent: int, span_days: int, as_of: datetime.date
) -> datetime.date | None:
    """`as_of` + remaining / rate, rounded up to whole days; None for no rate (or one so low
    that the date is beyond any horizon)."""
    if recent <= 0 or span_days <= 0:
        return None
    days = math.ceil(Fraction(remaining * span_days, recent))
    if days > HORIZON_DAYS:
        return None
    return as_of + datetime.timedelta(days=days)


# --- counting -----------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The counting windows of a project: from its start, and the recent months."""

    start: datetime.date
    recent_start: datetime.date
    as_of: datetime.date

    @property
    def span_days(self) -> int:
        return (self.as_of - self.recent_start).days + 1


def window_for(project: Project, today: datetime.date) -> Window:
    """Counted up to today (at most to the project's end); the rate from the last
    `forecast_months` months, not before the project's start."""
    as_of = min(today, project.ends_on) if project.ends_on else today
    as_of = max(as_of, project.starts_on)
    recent_start = max(
        project.starts_on, add_months(as_of, -project.forecast_months) + datetime.timedelta(days=1)
    )
    return Window(start=project.starts_on, recent_start=recent_start, as_of=as_of)


def partner_ids(project: Project) -> list[int]:
    """The project's partners; none chosen means every partner of the network."""
    chosen = sorted(o.pk for o in project.partners.all())
    if chosen:
        return chosen
    return sorted(Organisation.objects.filter(network_id=project.network_id).values_list("id", flat=True))


Counter = Callable[[Project, list[int], datetime.date, datetime.date], dict[str, int]]


def _participants(
    project: Project, orgs: list[int], start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """People who entered: a merged registration never counts, registrations of one person
    at several partners once, at the earliest entry (decision 0064)."""
    everyone = Participant.objects.filter(not_merged(), project=project, organisation_id__in=orgs)
    joined = join_people(everyone, project.network_id)
    return {"": counted_once(everyone, joined).filter(entry_date__gte=start, entry_date__lte=end).count()}


def _placements(
    project: Project, orgs: list[int], start: datetime.date, end: datetime.date
) -> dict[str, int]:
    by_kind = placement_figures.placements_by_kind(orgs, None, start, end)
    return {"": sum(by_kind.values()), **by_kind}


def _trainings(project: Project, orgs: list[int], start: datetime.date, end: datetime.date) -> dict[str, int]:
    return {"": offer_figures.trainings_held(orgs, start, end)}


def _organisations_trained(
    project: Project, orgs: list[int], start: datetime.date, end: datetime.date
) -> dict[str, int]:
    reached = offer_figures.training_audience_by_kind(orgs, start, end)
    return {"": sum(r.count for r in reached.values())}


def _events(project: Project, orgs: list[int], start: datetime.date, end: datetime.date) -> dict[str, int]:
    by_kind = offer_figures.events_by_kind(orgs, start, end)
    return {"": sum(r.count for r in by_kind.values()), "audience": sum(r.people for r in by_kind.values())}


def _referrals(project: Project, orgs: list[int], start: datetime.date, end: datetime.date) -> dict[str, int]:
    return {"": sum(referral_figures.referrals_by_kind(orgs, None, start, end).values())}


def _group_participants(
    project: Project, orgs: list[int], start: datetime.date, end: datetime.date
) -> dict[str, int]:
    return {"": group_figures.participants_reached_total(orgs, start, end)}


COUNTERS: dict[str, tuple[Counter, str]] = {
    TargetKind.PARTICIPANTS: (_participants, ""),
    TargetKind.PLACEMENTS: (_placements, ""),
    TargetKind.TRAININGS: (_trainings, ""),
    TargetKind.ORGANISATIONS_TRAINED: (_organisations_trained, ""),
    TargetKind.EVENTS: (_events, ""),
    TargetKind.EVENT_AUDIENCE: (_events, "audience"),
    TargetKind.REFERRALS: (_referrals, ""),
    TargetKind.GROUP_PARTICIPANTS: (_group_participants, ""),
}


@dataclass(frozen=True)
class TargetRow:
    target: ProjectTarget
    forecast: Forecast


def target_progress(project: Project, targets: list[ProjectTarget], today: datetime.date) -> list[TargetRow]:
    """Every target of `project` with its progress and forecast. Each kind of figure is
    counted once for the whole period and once for the recent span, whatever the number
    of targets and rows."""
    window = window_for(project, today)
    orgs = partner_ids(project)
    counted: dict[Counter, tuple[dict[str, int], dict[str, int]]] = {}
    for target in targets:
        if target.kind in COUNTERS:
            counter = COUNTERS[target.kind][0]
            if counter not in counted:
                counted[counter] = (
                    counter(project, orgs, window.start, window.as_of),
                    counter(project, orgs, window.recent_start, window.as_of),
                )
    custom = _custom_progress(targets, window)
    rows = []
    for target in targets:
        if target.kind == TargetKind.CUSTOM:
            achieved, recent = custom.get(target.pk, (0, 0))
        else:
            counter, key = COUNTERS[target.kind]
            key = target.placement_kind or key
            total, latest = counted[counter]
            achieved, recent = total.get(key, 0), latest.get(key, 0)
        result = forecast(
            value=target.value,
            achieved=achieved,
            recent=recent,
            span_days=window.span_days,
            as_of=window.as_of,
            due=target.due_on or project.ends_on,
        )
        rows.append(TargetRow(target=target, forecast=result))
    return rows


def _custom_progress(targets: list[ProjectTarget], window: Window) -> dict[int, tuple[int, int]]:
    """Hand-entered progress of the custom targets (one query for all of them)."""
    ids = [t.pk for t in targets if t.kind == TargetKind.CUSTOM]
    if not ids:
        return {}
    rows = (
        TargetProgress.objects.filter(target_id__in=ids, date__gte=window.start, date__lte=window.as_of)
        .order_by()
        .values("target_id")
        .annotate(total=Sum("value"), recent=Sum("value", filter=Q(date__gte=window.recent_start)))
        .values_list("target_id", "total", "recent")
    )
    return {pk: (total or 0, recent or 0) for pk, total, recent in rows}
