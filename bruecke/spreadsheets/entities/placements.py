"""Placements (placement): a participant started work, training or school.

A row without an opportunity is recorded directly on the participant's case, as the
placement page does for a placement found without the pipeline. A row naming an
opportunity goes through the pipeline as a placement officer would: the participant is
proposed, has applied and signed the contract, then started (the steps dated by the start,
or today when it lies ahead); so the opportunity's place is filled and the rules engine is
asked exactly as on the pages. An end date ends the placement through the update service.
A placement's participant, case, kind, start, employer and opportunity are not changed by
a later import; hours, wage band, fixed term and the end are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.cases.models import Case, CaseStatus
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.placement.models import (
    Application,
    Employer,
    Opportunity,
    OpportunityStatus,
    Placement,
    PlacementKind,
    Stage,
    WageBand,
)
from bruecke.placement.services import pipeline
from bruecke.placement.services.placements import placement_create, placement_update
from bruecke.rules.types import Outcome
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved, Value
from bruecke.spreadsheets.columns import reference_column, resolve
from bruecke.spreadsheets.entities.case_rows import (
    case_column,
    errors_as_columns,
    on_columns,
    participant_column,
    row_case,
    unchangeable,
)
from bruecke.spreadsheets.formbacked import mapped_columns
from bruecke.spreadsheets.registry import register

# Service field names that are not column keys.
SERVICE_FIELDS: dict[str, str | None] = {"stage": "opportunity", "on": "start_date", "case": "participant"}
EDITABLE = ("hours_per_week", "wage_band", "fixed_term_until", "ended_on", "end_reason")


@dataclass
class PlacementRow:
    case: Case
    kind: str
    start_date: datetime.date
    employer: Employer | None
    opportunity: Opportunity | None
    data: dict[str, Any]


class Placements(Entity):
    key = "placements"
    label = gettext_lazy("placements")
    model = Placement
    permission = Perm.MANAGE_PLACEMENT
    order = 66
    columns = (
        participant_column(),
        case_column(),
        Column(
            "kind",
            gettext_lazy("kind"),
            kind="choice",
            required=True,
            choices=lambda: PlacementKind.choices,
            aliases=("Art", "Art der Aufnahme"),
        ),
        Column(
            "start_date", gettext_lazy("start date"), kind="date", required=True, aliases=("Beginn", "Start")
        ),
        reference_column("employer", gettext_lazy("employer"), gettext_lazy("employer"), required=False),
        reference_column(
            "opportunity", gettext_lazy("opportunity"), gettext_lazy("opportunity"), required=False
        ),
        Column("hours_per_week", gettext_lazy("hours per week"), kind="decimal", aliases=("Stunden",)),
        Column(
            "wage_band",
            gettext_lazy("wage band"),
            kind="choice",
            choices=lambda: WageBand.choices,
            aliases=("Lohn", "Vergütung"),
        ),
        Column("fixed_term_until", gettext_lazy("fixed term until"), kind="date", aliases=("befristet bis",)),
        Column("ended_on", gettext_lazy("ended on"), kind="date", aliases=("Ende", "beendet am")),
        Column("end_reason", gettext_lazy("reason for the end"), max_length=300, aliases=("Grund",)),
    )

    def prepare(self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None) -> Any:
        case = row_case(ctx, values, access.placement_work_filter(ctx.actor, write=True))
        opportunity = self._opportunity(ctx, values)
        employer = self._employer(ctx, values, opportunity)
        if isinstance(existing, Placement):
            return self._prepare_update(ctx, values, existing, case, employer, opportunity)
        row = PlacementRow(
            case, values["kind"], values["start_date"], employer, opportunity, self._data(ctx, values, None)
        )
        self._check_new(ctx, row)
        return row

    def _opportunity(self, ctx: ImportContext, values: dict[str, Value]) -> Opportunity | None:
        if not values.get("opportunity"):
            return None
        opportunities = Opportunity.objects.filter(
            access.opportunity_filter(ctx.actor, write=True), organisation=ctx.organisation
        ).select_related("employer")
        return resolve(
            ctx,
            entity="opportunities",
            queryset=opportunities,
            text=values["opportunity"],
            column="opportunity",
        )

    def _employer(
        self, ctx: ImportContext, values: dict[str, Value], opportunity: Opportunity | None
    ) -> Employer | None:
        if not values.get("employer"):
            return opportunity.employer if opportunity is not None else None
        employers = Employer.objects.filter(access.employer_filter(ctx.actor), organisation=ctx.organisation)
        employer = resolve(
            ctx, entity="employers", queryset=employers, text=values["employer"], column="employer"
        )
        if opportunity is not None and opportunity.employer_id != employer.pk:
            raise RowInvalid([("employer", _("The opportunity belongs to another employer."))])
        return employer

    def _data(
        self, ctx: ImportContext, values: dict[str, Value], existing: Placement | None
    ) -> dict[str, Any]:
        """The editable fields: the file's where it has the column, else the record's."""
        mapped = mapped_columns(ctx)
        data: dict[str, Any] = {}
        for name in EDITABLE:
            if existing is not None and name not in mapped:
                data[name] = getattr(existing, name)
            else:
                data[name] = values.get(name)
        data["wage_band"] = data["wage_band"] or ""
        data["end_reason"] = data["end_reason"] or ""
        return data

    def _check_new(self, ctx: ImportContext, row: PlacementRow) -> None:
        errors: list[tuple[str | None, str]] = []
        if row.start_date < row.case.opened_on:
            errors.append(
                (
                    "start_date",
                    _("The date cannot be before the case was opened (%(date)s).")
                    % {"date": row.case.opened_on.strftime("%d.%m.%Y")},
                )
            )
        errors.extend(_end_errors(row.data))
        placement = Placement(
            case=row.case,
            participant_id=row.case.participant_id,
            organisation_id=row.case.organisation_id,
            kind=row.kind,
            start_date=row.start_date,
            employer=row.employer,
            hours_per_week=row.data["hours_per_week"],
            wage_band=row.data["wage_band"],
            fixed_term_until=row.data["fixed_term_until"],
            ended_on=row.data["ended_on"],
            created_by=ctx.actor,
        )
        try:
            placement.full_clean(exclude=["case", "created_by", "hours_per_week"])
        except ValidationError as error:
            errors.extend(errors_as_columns(error, SERVICE_FIELDS).errors)
        if row.opportunity is not None:
            errors.extend(_pipeline_errors(row))
        if errors:
            raise RowInvalid(errors)

    def _prepare_update(
        self,
        ctx: ImportContext,
        values: dict[str, Value],
        existing: Placement,
        case: Case,
        employer: Employer | None,
        opportunity: Opportunity | None,
    ) -> PlacementRow:
        fixed = {
            "participant": existing.participant_id == case.participant_id,
            "case": not values.get("case") or existing.case_id == case.pk,
            "kind": existing.kind == values["kind"],
            "start_date": existing.start_date == values["start_date"],
            "employer": not values.get("employer") or existing.employer_id == getattr(employer, "pk", None),
            "opportunity": not values.get("opportunity")
            or existing.opportunity_id == getattr(opportunity, "pk", None),
        }
        for column, same in fixed.items():
            if not same:
                raise unchangeable(column)
        data = self._data(ctx, values, existing)
        if existing.ended_on is not None and data["ended_on"] is None:
            raise RowInvalid([("ended_on", _("An ended placement cannot be reopened by an import."))])
        if existing.ended_on is not None and data["ended_on"] != existing.ended_on:
            raise unchangeable("ended_on")
        if errors := _end_errors(data):
            raise RowInvalid(errors)
        return PlacementRow(existing.case, existing.kind, existing.start_date, employer, opportunity, data)

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        row: PlacementRow = prepared
        if isinstance(existing, Placement):
            version = existing.version
            with on_columns(SERVICE_FIELDS):
                placement = self._update(ctx, existing, row.data)
            return Saved(placement, placement.version != version)
        # The pipeline's errors without a field (no free place left, …) concern the opportunity.
        with on_columns({**SERVICE_FIELDS, "__all__": "opportunity" if row.opportunity else None}):
            placement = self._create(ctx, row)
            if row.data["ended_on"] is not None:
                placement = self._update(ctx, placement, row.data)
        return Saved(placement, True)

    def _create(self, ctx: ImportContext, row: PlacementRow) -> Placement:
        data = {
            "kind": row.kind,
            "start_date": row.start_date,
            "employer": row.employer,
            **{name: row.data[name] for name in ("hours_per_week", "wage_band", "fixed_term_until")},
        }
        application = None
        if row.opportunity is not None:
            application = _contract(ctx, row)
        return placement_create(actor=ctx.actor, case=row.case, data=data, application=application)

    def _update(self, ctx: ImportContext, placement: Placement, data: dict[str, Any]) -> Placement:
        changes = {name: data[name] for name in ("hours_per_week", "wage_band", "fixed_term_until")}
        if data["ended_on"] is not None and placement.ended_on is None:
            changes.update(ended_on=data["ended_on"], end_reason=data["end_reason"])
        return placement_update(actor=ctx.actor, placement=placement, data=changes)


def _step_date(row: PlacementRow) -> datetime.date:
    """The pipeline's steps are dated by the start, or today when the start lies ahead."""
    return min(row.start_date, timezone.localdate())


def _pipeline_errors(row: PlacementRow) -> list[tuple[str | None, str]]:
    """What the pipeline would refuse, checked without writing (the same rules as
    `pipeline.application_create` and the move to "started")."""
    assert row.opportunity is not None
    opportunity = row.opportunity
    if row.case.status == CaseStatus.CLOSED:
        return [("participant", _("The case is closed. Reopen it to propose an opportunity."))]
    if opportunity.status != OpportunityStatus.OPEN or opportunity.places_free <= 0:
        return [("opportunity", _("This opportunity has no free place left."))]
    if Application.objects.filter(case=row.case, opportunity=opportunity).exists():
        return [("opportunity", _("This participant is already in the pipeline for this opportunity."))]
    answer = pipeline.permit_answer(Application(case=row.case, opportunity=opportunity))
    if answer is not None and answer.outcome == Outcome.BANNED:
        return [("opportunity", _("The rules engine says this activity is not allowed for the participant."))]
    if pipeline.permit_needed(answer):
        return [
            (
                "opportunity",
                _(
                    "The participant needs a work permission for this activity. Record the placement "
                    "in the pipeline with the permission, or import it without the opportunity."
                ),
            )
        ]
    return []


def _contract(ctx: ImportContext, row: PlacementRow) -> Application:
    """Proposed, applied and contract signed, all on the step date."""
    assert row.opportunity is not None
    on = _step_date(row)
    application = pipeline.application_create(
        actor=ctx.actor, case=row.case, opportunity=row.opportunity, on=on
    )
    for stage in (Stage.APPLIED, Stage.CONTRACT):
        application = pipeline.application_move(actor=ctx.actor, application=application, stage=stage, on=on)
    return application


def _end_errors(data: dict[str, Any]) -> list[tuple[str | None, str]]:
    ended_on: datetime.date | None = data["ended_on"]
    hours: Decimal | None = data["hours_per_week"]
    errors: list[tuple[str | None, str]] = []
    if hours is not None and not Decimal(1) <= hours <= Decimal(60):
        errors.append(("hours_per_week", _("Please give between 1 and 60 hours per week.")))
    if ended_on is not None and ended_on > timezone.localdate():
        errors.append(("ended_on", _("The date cannot be in the future.")))
    if ended_on is not None and not data["end_reason"].strip():
        errors.append(("end_reason", _("Please give the reason.")))
    if ended_on is None and data["end_reason"].strip():
        errors.append(("ended_on", _("Please give the date the placement ended.")))
    return errors


register(Placements())
