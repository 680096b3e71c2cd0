"""Opportunities (placement): vacancies, apprenticeships, internships of the organisation's
employers, checked by the opportunity form and written through the opportunity services."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.forms import BaseForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.placement.forms.opportunities import OpportunityEditForm, OpportunityForm
from bruecke.placement.kldb import fold, is_full_code
from bruecke.placement.models import (
    Employer,
    GermanLevel,
    InternshipKind,
    Occupation,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    WorkingTime,
)
from bruecke.placement.services.opportunities import (
    STATUS_NEXT,
    opportunity_create,
    opportunity_set_status,
    opportunity_update,
)
from bruecke.spreadsheets.base import Column, ImportContext, RowInvalid, Saved, Value, form_errors
from bruecke.spreadsheets.columns import reference_column, resolve
from bruecke.spreadsheets.entities.case_rows import on_columns
from bruecke.spreadsheets.formbacked import FormEntity, mapped_columns
from bruecke.spreadsheets.registry import register

# An import records open, filled and closed opportunities; drafts come from employers.
IMPORT_STATUSES = (OpportunityStatus.OPEN, OpportunityStatus.FILLED, OpportunityStatus.CLOSED)


def _statuses() -> list[tuple[str, Any]]:
    return [(s.value, s.label) for s in IMPORT_STATUSES]


def occupation_code(ctx: ImportContext, text: str) -> str:
    """A 5-digit KldB code as given, or the code of the one occupation with this title."""
    if is_full_code(text.strip()):
        return text.strip()
    key = f"occupation:{fold(text)}"
    if key not in ctx.cache:
        codes = list(Occupation.objects.filter(search_title=fold(text)).values_list("code", flat=True)[:2])
        ctx.cache[key] = codes[0] if len(codes) == 1 and is_full_code(codes[0]) else None
    code: str | None = ctx.cache[key]
    if code is None:
        raise RowInvalid(
            [
                (
                    "occupation",
                    _("No single occupation has this title. Please give the 5-digit KldB 2010 code."),
                )
            ]
        )
    return code


class Opportunities(FormEntity):
    key = "opportunities"
    label = gettext_lazy("opportunities")
    model = Opportunity
    permission = Perm.MANAGE_PLACEMENT
    order = 62
    columns = (
        reference_column("employer", gettext_lazy("employer"), gettext_lazy("employer")),
        Column("title", gettext_lazy("title"), required=True, max_length=200, aliases=("Stelle", "Titel")),
        Column(
            "kind",
            gettext_lazy("kind"),
            kind="choice",
            required=True,
            choices=lambda: OpportunityKind.choices,
            aliases=("Art", "Stellenart"),
        ),
        Column(
            "internship_kind",
            gettext_lazy("kind of internship"),
            kind="choice",
            choices=lambda: InternshipKind.choices,
            aliases=("Praktikumsart",),
        ),
        Column(
            "occupation",
            gettext_lazy("occupation (KldB 2010)"),
            required=True,
            max_length=300,
            aliases=("Beruf", "KldB"),
            help=gettext_lazy("The 5-digit KldB 2010 code, or the occupation's exact title."),
        ),
        Column(
            "working_time",
            gettext_lazy("working time"),
            kind="choice",
            choices=lambda: WorkingTime.choices,
            aliases=("Arbeitszeit",),
        ),
        Column("hours_per_week", gettext_lazy("hours per week"), kind="decimal", aliases=("Stunden",)),
        Column("shifts", gettext_lazy("shift work"), kind="boolean", aliases=("Schicht",)),
        Column("vocational_school", gettext_lazy("vocational school"), max_length=200),
        Column(
            "german_level",
            gettext_lazy("required German level"),
            kind="choice",
            choices=lambda: GermanLevel.choices,
            aliases=("Deutsch", "Sprachniveau"),
        ),
        Column(
            "qualifications",
            gettext_lazy("required qualifications"),
            max_length=2000,
            aliases=("Anforderungen", "Voraussetzungen"),
        ),
        Column("driving_licence", gettext_lazy("driving licence required"), kind="boolean"),
        Column("description", gettext_lazy("description"), max_length=4000, aliases=("Beschreibung",)),
        Column(
            "start_date", gettext_lazy("start date"), kind="date", required=True, aliases=("Beginn", "Start")
        ),
        Column("end_date", gettext_lazy("end date"), kind="date", aliases=("Ende",)),
        Column("places", gettext_lazy("number of places"), kind="integer", aliases=("Plätze", "Anzahl")),
        Column("expires_on", gettext_lazy("advertised until"), kind="date", aliases=("Ausgeschrieben bis",)),
        Column("status", gettext_lazy("status"), kind="choice", choices=_statuses),
        Column(
            "status_reason",
            gettext_lazy("reason for the status"),
            max_length=300,
            help=gettext_lazy("Needed when the opportunity is filled or closed."),
        ),
    )

    def form_class(self, existing: models.Model | None) -> type[BaseForm]:
        return OpportunityForm if existing is None else OpportunityEditForm

    def initial_data(
        self, ctx: ImportContext, existing: models.Model | None, form: type[BaseForm]
    ) -> dict[str, Any]:
        """A new opportunity starts from the model's defaults (full time, one place), as
        the empty form on the page does."""
        if existing is not None:
            return super().initial_data(ctx, existing, form)
        return {"working_time": WorkingTime.FULL_TIME, "places": 1}

    def _employer(self, ctx: ImportContext, text: str) -> Employer:
        employers = Employer.objects.filter(
            access.employer_filter(ctx.actor, write=True), organisation=ctx.organisation
        )
        return resolve(ctx, entity="employers", queryset=employers, text=text, column="employer")

    def prepare(self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None) -> Any:
        employer = self._employer(ctx, values["employer"])
        if isinstance(existing, Opportunity) and existing.employer_id != employer.pk:
            raise RowInvalid(
                [("employer", _("The employer of an opportunity cannot be changed. Record a new one."))]
            )
        values = {**values, "occupation": occupation_code(ctx, values["occupation"])}
        data = self.form_data(ctx, values, existing)
        form_class = self.form_class(existing)
        kwargs: dict[str, Any] = {"employer": employer}
        if existing is not None:
            kwargs["instance"] = existing
        form = form_class(data=data, **kwargs)
        if not form.is_valid():
            raise form_errors(form)
        status = self._target_status(ctx, values, existing)
        self._check_status(values, existing, status)
        return form, status, values.get("status_reason") or ""

    def _target_status(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> str:
        current = existing.status if isinstance(existing, Opportunity) else OpportunityStatus.OPEN
        if "status" not in mapped_columns(ctx) or not values.get("status"):
            return str(current)
        return str(values["status"])

    def _check_status(self, values: dict[str, Value], existing: models.Model | None, status: str) -> None:
        current = existing.status if isinstance(existing, Opportunity) else OpportunityStatus.OPEN
        if status == current:
            return
        if status not in STATUS_NEXT.get(current, set()):
            raise RowInvalid(
                [
                    (
                        "status",
                        _("An opportunity that is %(current)s cannot be set to %(new)s.")
                        % {
                            "current": OpportunityStatus(current).label,
                            "new": OpportunityStatus(status).label,
                        },
                    )
                ]
            )
        if status in (OpportunityStatus.FILLED, OpportunityStatus.CLOSED) and not values.get("status_reason"):
            raise RowInvalid([("status_reason", _("Please give the reason."))])

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        form, status, reason = prepared
        with on_columns({"reason": "status_reason"}):
            if existing is None:
                opportunity = opportunity_create(actor=ctx.actor, opportunity=form.instance)
                changed = True
            else:
                assert isinstance(existing, Opportunity)
                version = existing.version
                data = {
                    f: v for f, v in form.cleaned_data.items() if f in form._meta.fields and f != "version"
                }
                opportunity = opportunity_update(
                    actor=ctx.actor, opportunity=existing, data=data, expected_version=None
                )
                changed = opportunity.version != version
            if status != opportunity.status:
                opportunity = opportunity_set_status(
                    actor=ctx.actor,
                    opportunity=opportunity,
                    status=status,
                    reason=reason,
                    expected_version=None,
                )
                changed = True
        return Saved(opportunity, changed)


register(Opportunities())
