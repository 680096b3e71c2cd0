"""Employers (placement): a list of companies with their sector, size and cooperation."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.forms import BaseForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bruecke.core.access import Perm
from bruecke.placement.forms.employers import EmployerEditForm, EmployerForm
from bruecke.placement.models import CooperationStatus, Employer, Sector, SizeBand
from bruecke.placement.services.employers import employer_create, employer_update
from bruecke.spreadsheets.base import Column, ImportContext, Saved
from bruecke.spreadsheets.formbacked import FormEntity
from bruecke.spreadsheets.registry import register


class Employers(FormEntity):
    key = "employers"
    label = _("employers")
    model = Employer
    permission = Perm.MANAGE_PLACEMENT
    order = 60
    columns = (
        Column(
            "name", _("name"), required=True, max_length=200, aliases=("Firma", "Arbeitgeber", "Unternehmen")
        ),
        Column(
            "sector",
            _("sector (WZ 2008)"),
            kind="choice",
            required=True,
            choices=lambda: Sector.choices,
            aliases=("Branche", "WZ"),
        ),
        Column("size_band", _("size"), kind="choice", choices=lambda: SizeBand.choices, aliases=("Größe",)),
        Column(
            "cooperation_status",
            _("cooperation status"),
            kind="choice",
            choices=lambda: CooperationStatus.choices,
            aliases=("Status", "Kooperation"),
        ),
        Column("open_to_refugees", _("openness to refugees"), max_length=2000),
        Column("language_needs", _("language needs"), max_length=2000, aliases=("Sprachanforderungen",)),
        Column(
            "training_licence",
            _("licensed to train apprentices"),
            kind="boolean",
            aliases=("Ausbildungsbetrieb", "Ausbildungsberechtigung"),
        ),
        Column("notes", _("notes"), max_length=4000, aliases=("Notizen", "Bemerkungen")),
        Column("website", _("website"), max_length=200, aliases=("Webseite", "Internet")),
        Column("shared_with_network", _("share with the network's partners"), kind="boolean"),
    )

    def detail_url(self, object_id: int) -> str:
        return reverse("placement:employer_detail", args=[object_id])

    def form_class(self, existing: models.Model | None) -> type[BaseForm]:
        return EmployerForm if existing is None else EmployerEditForm

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        if existing is None:
            employer = prepared.save(commit=False)
            employer.organisation = ctx.organisation
            return Saved(employer_create(actor=ctx.actor, employer=employer), True)
        assert isinstance(existing, Employer)
        data = {f: v for f, v in prepared.cleaned_data.items() if f in prepared._meta.fields}
        version = existing.version
        saved = employer_update(actor=ctx.actor, employer=existing, data=data, expected_version=None)
        return Saved(saved, saved.version != version)


register(Employers())
