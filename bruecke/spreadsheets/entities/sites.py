"""Employer sites (placement): the addresses where an employer's people work, checked by
the site page's own form and written through `site_create` / `site_update` (coordinates
from the place catalogue when the file gives none, copied to the site's opportunities)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.forms import BaseForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.views_helpers import model_data
from bruecke.placement.forms.employers import SiteEditForm, SiteForm
from bruecke.placement.models import Employer, EmployerSite
from bruecke.placement.models.employers import fold_name
from bruecke.placement.services.employers import place_coordinates, site_create, site_update
from bruecke.spreadsheets.base import Column, ImportContext, RowInvalid, Saved, Value
from bruecke.spreadsheets.columns import resolve
from bruecke.spreadsheets.formbacked import FormEntity, mapped_columns
from bruecke.spreadsheets.registry import register

EMPLOYER = "employer"
ADDRESS = ("street", "postcode", "town")
COORDINATES = ("latitude", "longitude")


class EmployerSites(FormEntity):
    key = "employer_sites"
    label = gettext_lazy("employer sites")
    model = EmployerSite
    permission = Perm.MANAGE_PLACEMENT
    order = 61  # after the employers, before their opportunities
    description = gettext_lazy("The addresses of your employers' sites.")
    columns = (
        Column(
            EMPLOYER,
            gettext_lazy("employer"),
            required=True,
            max_length=200,
            aliases=("Arbeitgeber", "Firma", "Unternehmen"),
            help=gettext_lazy(
                "The external id of the employer from its own import, its number in Brücke or its exact name."
            ),
        ),
        Column("name", gettext_lazy("name of the site"), max_length=200, aliases=("Standort", "Filiale")),
        Column(
            "street",
            gettext_lazy("street and number"),
            max_length=200,
            aliases=("Straße", "Strasse", "Adresse", "Anschrift"),
        ),
        Column("postcode", gettext_lazy("postcode"), max_length=10, aliases=("PLZ", "Postleitzahl")),
        Column("town", gettext_lazy("town"), required=True, max_length=100, aliases=("Ort", "Stadt")),
        Column(
            "latitude",
            gettext_lazy("latitude"),
            kind="decimal",
            aliases=("Breitengrad", "Breite"),
            help=gettext_lazy("Leave both coordinates empty to take those of the postcode or town."),
        ),
        Column("longitude", gettext_lazy("longitude"), kind="decimal", aliases=("Längengrad", "Länge")),
    )

    def existing(self, ctx: ImportContext, object_id: int) -> models.Model | None:
        return (
            EmployerSite.objects.filter(pk=object_id, employer__organisation=ctx.organisation)
            .select_related("employer")
            .first()
        )

    def form_class(self, existing: models.Model | None) -> type[BaseForm]:
        return SiteForm if existing is None else SiteEditForm

    def employer(self, ctx: ImportContext, text: str) -> Employer:
        """The organisation's employer the cell names: an external id of the employers'
        import or a number in Brücke (as opportunities name it), else its exact name when
        exactly one employer of the organisation has it."""
        employers = Employer.objects.filter(
            access.employer_filter(ctx.actor, write=True), organisation=ctx.organisation
        )
        try:
            return resolve(ctx, entity="employers", queryset=employers, text=text, column=EMPLOYER)
        except RowInvalid as not_found:
            cache_key = f"employer_sites:name:{fold_name(text)}"
            if cache_key not in ctx.cache:
                ctx.cache[cache_key] = list(employers.filter(search_name=fold_name(text)).order_by("pk")[:2])
            named: list[Employer] = ctx.cache[cache_key]
            if len(named) == 1:
                return named[0]
            if len(named) > 1:
                message = _(
                    "Several employers of your organisation have this name. "
                    "Please give the external id or the number."
                )
                raise RowInvalid([(EMPLOYER, message)]) from None
            raise not_found from None

    def form_data(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> dict[str, Any]:
        data = super().form_data(ctx, values, existing)
        # A moved site without coordinates in the file gets those of its new address.
        moved = isinstance(existing, EmployerSite) and any(
            str(data.get(name) or "") != str(getattr(existing, name) or "") for name in ADDRESS
        )
        if moved and not set(COORDINATES) & mapped_columns(ctx):
            data["latitude"] = data["longitude"] = ""
        return data

    def prepare(self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None) -> Any:
        employer = self.employer(ctx, values[EMPLOYER])
        if isinstance(existing, EmployerSite) and existing.employer_id != employer.pk:
            message = _("The employer of a site cannot be changed. Record a new site.")
            raise RowInvalid([(EMPLOYER, message)])
        form = super().prepare(ctx, values, existing)
        form.instance.employer = employer  # type: ignore[attr-defined]
        self._check_coordinates(ctx, form.cleaned_data)
        return form

    def _check_coordinates(self, ctx: ImportContext, cleaned: dict[str, Any]) -> None:
        """The service's check of coordinates, already in the dry run: without both
        coordinates the catalogue must know the postcode or town (looked up once per file)."""
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and longitude is not None:
            return
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            raise RowInvalid([(missing, _("Please enter both coordinates or leave both empty."))])
        postcode, town = cleaned.get("postcode") or "", cleaned.get("town") or ""
        cache_key = f"employer_sites:place:{postcode.strip()}:{fold_name(town)}"
        if cache_key not in ctx.cache:
            ctx.cache[cache_key] = place_coordinates(postcode, town) is not None
        if not ctx.cache[cache_key]:
            message = _(
                "No coordinates are known for this postcode or town. Please enter the latitude "
                "and longitude (for example from a map)."
            )
            raise RowInvalid([("latitude", message)])

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        if existing is None:
            return Saved(site_create(actor=ctx.actor, site=prepared.instance), True)
        assert isinstance(existing, EmployerSite)
        version = existing.version
        saved = site_update(actor=ctx.actor, site=existing, data=model_data(prepared), expected_version=None)
        return Saved(saved, saved.version != version)


register(EmployerSites())
