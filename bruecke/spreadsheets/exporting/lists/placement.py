"""Employers (placement:employer_list), opportunities (placement:opportunity_list) and
placements (the placements of the pipeline page, placement:pipeline, in its scope)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core.access import Perm
from bruecke.participants.models import Participant
from bruecke.placement.forms.employers import EmployerFilterForm
from bruecke.placement.forms.opportunities import OpportunityFilterForm
from bruecke.placement.models import Employer, Opportunity, Placement
from bruecke.placement.selectors.employers import employer_list
from bruecke.placement.selectors.opportunities import opportunity_list
from bruecke.placement.selectors.scope import placements_visible_to
from bruecke.reporting.tables import Cell
from bruecke.spreadsheets.exporting.fields import model_column, number_column
from bruecke.spreadsheets.exporting.registry import Column, ExportContext, ListExport, register, with_perm


def form_filters(form_class: type[forms.Form], query: Mapping[str, str]) -> dict[str, Any]:
    """The filter form's values, exactly as the list page takes them (none if invalid)."""
    form = form_class(dict(query) or None)
    return form.cleaned_data if form.is_bound and form.is_valid() else {}


def _employer_rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Employer]:
    return employer_list(user, form_filters(EmployerFilterForm, query), today)


def _towns(row: Employer, context: ExportContext) -> Cell | bool:
    return ", ".join(sorted({site.town for site in getattr(row, "active_sites", []) if site.town})) or None


def _open_count(row: Employer, context: ExportContext) -> Cell | bool:
    return getattr(row, "open_count", None)


def _own(row: Any, context: ExportContext) -> bool:
    return row.organisation_id in context.organisation_ids(Perm.VIEW_PLACEMENT)


def _partner(row: Any, context: ExportContext) -> Cell | bool:
    return row.organisation.short_name or row.organisation.name


def _employer_notes(row: Employer, context: ExportContext) -> Cell | bool:
    # Internal notes stay with the employer's own organisation (as on the employer page).
    return (row.notes or None) if _own(row, context) else None


_view = with_perm(Perm.VIEW_PLACEMENT)

EMPLOYERS = register(
    ListExport(
        key="employers",
        title=_("Employers"),
        record_type=Employer,
        page="placement:employer_list",
        may_export=_view,
        query_keys=("q", "sector", "status", "owner", "weeks"),
        rows=_employer_rows,
        columns=(
            number_column(_("employer number")),
            model_column(Employer, "name"),
            model_column(Employer, "sector"),
            model_column(Employer, "size_band"),
            model_column(Employer, "cooperation_status"),
            Column("towns", _("Town(s)"), _towns),
            model_column(Employer, "last_contact_on"),
            Column("open_count", _("Open opportunities"), _open_count),
            model_column(Employer, "training_licence"),
            model_column(Employer, "website"),
            Column("partner", _("partner organisation"), _partner),
            model_column(Employer, "shared_with_network"),
        ),
        notes=(Column("notes", _("notes"), _employer_notes),),
        may_read_notes=_view,
    )
)


def _opportunity_rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Opportunity]:
    return opportunity_list(user, form_filters(OpportunityFilterForm, query))


OPPORTUNITIES = register(
    ListExport(
        key="opportunities",
        title=_("Opportunities"),
        record_type=Opportunity,
        page="placement:opportunity_list",
        may_export=_view,
        query_keys=(
            "kind",
            "status",
            "occupation",
            "town",
            "employer",
            "start_from",
            "start_until",
            "owner",
        ),
        rows=_opportunity_rows,
        columns=(
            number_column(_("opportunity number")),
            model_column(Opportunity, "title"),
            model_column(Opportunity, "employer.name", label=_("employer")),
            model_column(Opportunity, "site.town"),
            model_column(Opportunity, "kind"),
            model_column(Opportunity, "occupation"),
            model_column(Opportunity, "working_time"),
            model_column(Opportunity, "hours_per_week"),
            model_column(Opportunity, "german_level"),
            model_column(Opportunity, "start_date"),
            model_column(Opportunity, "end_date"),
            model_column(Opportunity, "places"),
            model_column(Opportunity, "places_filled"),
            model_column(Opportunity, "status"),
            model_column(Opportunity, "expires_on"),
            Column("partner", _("partner organisation"), _partner),
        ),
    )
)


def _placement_rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Placement]:
    from bruecke.placement.views.pipeline import pipeline_mine

    queryset = placements_visible_to(user)
    if pipeline_mine(user, query):
        queryset = queryset.filter(Q(case__placement_officer_id=user.pk) | Q(case__case_manager_id=user.pk))
    return queryset.select_related("participant", "employer", "opportunity", "organisation").order_by(
        "-start_date", "-pk"
    )


PLACEMENTS = register(
    ListExport(
        key="placements",
        title=_("Placements"),
        record_type=Placement,
        page="placement:pipeline",
        may_export=_view,
        query_keys=("scope",),
        rows=_placement_rows,
        columns=(
            number_column(_("placement number")),
            number_column(_("case number"), "case_id"),
            number_column(_("participant number"), "participant_id"),
            model_column(Placement, "participant.family_name", label=_("family name")),
            model_column(Placement, "participant.given_names", label=_("given names")),
            model_column(Placement, "employer.name", label=_("employer")),
            model_column(Placement, "opportunity.title", label=_("opportunity")),
            model_column(Placement, "kind"),
            model_column(Placement, "start_date"),
            model_column(Placement, "hours_per_week"),
            model_column(Placement, "wage_band"),
            model_column(Placement, "fixed_term_until"),
            model_column(Placement, "status"),
            model_column(Placement, "ended_on"),
            model_column(Placement, "end_reason"),
            model_column(Placement, "status_6_months"),
        ),
        names=((Case, "case_id"), (Participant, "participant_id")),
    )
)
