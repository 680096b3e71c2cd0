"""The activity report (Sachbericht) as tables: the page shows them, the exports write them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models.contacts import Channel
from bruecke.offers.models import AudienceKind, AwarenessKind, GroupKind, MeasureKind
from bruecke.placement.models.placements import PlacementKind
from bruecke.reporting.activity import ActivityFigures, activity_figures
from bruecke.reporting.forms import ReportChoiceForm
from bruecke.reporting.registry import register_report
from bruecke.reporting.tables import Cell, Table

OUTCOMES = ["completed", "dropped_out", "rejected", "open"]


def valid_choice(user: User, params: dict[str, Any]) -> ReportChoiceForm:
    """The checked choice; 404 for a project or scope the user may not see, a
    ValidationError for any other bad parameter."""
    form = ReportChoiceForm(user, params)
    if not form.is_valid():
        if {"project", "scope"} & set(form.errors):
            raise Http404
        raise ValidationError(form.errors)
    return form


@register_report("activity", "Activity report (Sachbericht)")
def build_activity(user: User, params: dict[str, Any]) -> list[Table]:
    form = valid_choice(user, params)
    data = form.cleaned_data
    figures = activity_figures(data["project"], form.chosen_scope, data["start"], data["end"])
    return activity_tables(figures)


def activity_tables(figures: ActivityFigures) -> list[Table]:
    return [
        _participants(figures),
        _contacts(figures),
        _referrals(figures),
        _groups(figures),
        _trainings(figures),
        _events(figures),
        _placements(figures),
    ]


def _label(choices: Any, key: str) -> str:
    return str(dict(choices.choices).get(key, key or _("not recorded")))


def _participants(figures: ActivityFigures) -> Table:
    return Table(
        title=_("Participants"),
        columns=[_("Figure"), _("Count")],
        rows=[
            [_("New (entry in the period)"), figures.new],
            [_("Active (open case or contact in the period)"), figures.active],
            [_("Exited (exit in the period)"), figures.exited],
        ],
    )


def _contacts(figures: ActivityFigures) -> Table:
    rows: list[list[Cell]] = [
        [str(label), figures.contacts_by_channel.get(key, 0)] for key, label in Channel.choices
    ]
    rows.append([_("Anonymous short contacts (mobile consultation hours)"), figures.anonymous_contacts])
    total = sum(figures.contacts_by_channel.values()) + figures.anonymous_contacts
    rows.append([_("Total"), total])
    return Table(
        title=_("Counselling contacts"),
        columns=[_("Kind of contact"), _("Count")],
        rows=rows,
        notes=[_("Contacts in mobile consultation hours with named participants count under their channel.")],
    )


def _referrals(figures: ActivityFigures) -> Table:
    kinds = sorted({kind for kind, _outcome in figures.referrals}, key=lambda k: _label(MeasureKind, k))
    outcome_labels = [_("completed"), _("dropped out"), _("rejected"), _("open")]
    rows: list[list[Cell]] = []
    for kind in kinds:
        counts = [figures.referrals.get((kind, outcome), 0) for outcome in OUTCOMES]
        rows.append([_label(MeasureKind, kind), *counts, sum(counts)])
    totals = [sum(figures.referrals.get((k, o), 0) for k in kinds) for o in OUTCOMES]
    rows.append([_("Total"), *totals, sum(totals)])
    return Table(
        title=_("Referrals"),
        columns=[_("Kind of measure"), *outcome_labels, _("Total")],
        rows=rows,
    )


def _groups(figures: ActivityFigures) -> Table:
    rows: list[list[Cell]] = [
        [
            _label(GroupKind, kind),
            f.sessions_held,
            f.present,
            f.excused,
            f.absent,
            f.guests,
            f.participants_reached,
        ]
        for kind, f in sorted(figures.groups.by_kind.items(), key=lambda item: _label(GroupKind, item[0]))
    ]
    total = figures.groups.total
    rows.append(
        [
            _("Total"),
            total.sessions_held,
            total.present,
            total.excused,
            total.absent,
            total.guests,
            figures.group_participants,
        ]
    )
    notes = [_("Sessions count when their attendance was taken.")]
    if figures.per_partner_only:
        notes.append(
            _("Group offers, trainings and events are kept per partner: shown for the partners of the scope.")
        )
    return Table(
        title=_("Group offers and attendance"),
        columns=[
            _("Kind of group offer"),
            _("Sessions held"),
            _("Present"),
            _("Excused"),
            _("Absent"),
            _("Guests"),
            _("Participants reached"),
        ],
        rows=rows,
        notes=notes,
    )


def _trainings(figures: ActivityFigures) -> Table:
    rows: list[list[Cell]] = [
        [_label(AudienceKind, kind), reached.count, reached.people]
        for kind, reached in sorted(
            figures.training_audience.items(), key=lambda i: _label(AudienceKind, i[0])
        )
    ]
    rows.append(
        [
            _("Total"),
            sum(r.count for r in figures.training_audience.values()),
            sum(r.people for r in figures.training_audience.values()),
        ]
    )
    return Table(
        title=_("Trainings for partners"),
        columns=[_("Kind of organisation"), _("Organisations reached"), _("Attendees")],
        rows=rows,
        notes=[_("Trainings held: %(count)s") % {"count": figures.trainings}],
    )


def _events(figures: ActivityFigures) -> Table:
    rows: list[list[Cell]] = [
        [_label(AwarenessKind, kind), reached.count, reached.people]
        for kind, reached in sorted(figures.events.items(), key=lambda i: _label(AwarenessKind, i[0]))
    ]
    rows.append(
        [
            _("Total"),
            sum(r.count for r in figures.events.values()),
            sum(r.people for r in figures.events.values()),
        ]
    )
    return Table(
        title=_("Awareness events"), columns=[_("Kind of event"), _("Events"), _("Audience")], rows=rows
    )


def _placements(figures: ActivityFigures) -> Table:
    rows: list[list[Cell]] = [
        [str(label), figures.placements.get(key, 0)] for key, label in PlacementKind.choices
    ]
    rows.append([_("Total"), sum(figures.placements.values())])
    return Table(title=_("Placements"), columns=[_("Kind of placement"), _("Count")], rows=rows)
