"""Consents as recorded on paper: one row per consent purpose, checked by the consent
form's rules and written through `consent_record`; a revocation date revokes through
`consent_revoke`. A recorded consent never changes; a later file can only revoke it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.forms import BaseForm
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.core.access import Perm
from bruecke.network.models import Organisation
from bruecke.participants import services
from bruecke.participants.forms import ConsentForm
from bruecke.participants.models import Consent, ConsentMethod, ConsentPurpose, InfoSheetLanguage, Participant
from bruecke.spreadsheets.base import Column, ImportContext, RowInvalid, Saved, Value, form_errors
from bruecke.spreadsheets.convert import word
from bruecke.spreadsheets.entities.participant_refs import (
    PARTICIPANT,
    participant_column,
    resolve_participant,
    with_aliases,
)
from bruecke.spreadsheets.formbacked import FormEntity, form_value
from bruecke.spreadsheets.registry import register

PURPOSE_WORDS = [
    ("counselling", "Beratung"),
    ("counselling", "Beratung und Dokumentation"),
    ("funder_reporting", "ESF"),
    ("funder_reporting", "Berichterstattung"),
    ("funder_reporting", "ESF-Berichterstattung"),
    ("sharing", "Weitergabe"),
    ("sharing", "Datenweitergabe"),
    ("contact_after_exit", "Kontakt nach Austritt"),
    ("contact_after_exit", "Nachbefragung"),
    ("transfer", "Übergabe"),
    ("transfer", "Fallübergabe"),
]
METHOD_WORDS = [("signed_paper", "Papier"), ("signed_paper", "unterschrieben"), ("on_screen", "Bildschirm")]
LANGUAGE_WORDS = [
    ("de", "Deutsch"),
    ("en", "Englisch"),
    ("ar", "Arabisch"),
    ("fa", "Farsi"),
    ("fa", "Dari"),
    ("fa", "Persisch"),
    ("uk", "Ukrainisch"),
]
# What a recorded consent is compared on when its row is imported again.
COMPARED = ("purpose", "given_on", "sheet_version", "sheet_language", "method")


class ConsentImportForm(ConsentForm):
    """The consent form's rules, except the scan: the signed paper stays in the paper
    file, a spreadsheet brings no scan."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.errors.pop("scan_file", None)
        return data


@dataclass(frozen=True)
class PreparedConsent:
    form: ConsentImportForm
    participant: Participant
    revoked_on: datetime.date | None


def _partners(ctx: ImportContext) -> dict[str, int]:
    """The other active partners of the network, by folded name and short name."""
    if "consents:partners" not in ctx.cache:
        found = Organisation.objects.filter(network_id=ctx.organisation.network_id, is_active=True).exclude(
            pk=ctx.organisation.pk
        )
        ctx.cache["consents:partners"] = {
            word(name): o.pk for o in found for name in (o.name, o.short_name) if name
        }
    partners: dict[str, int] = ctx.cache["consents:partners"]
    return partners


def partner_numbers(ctx: ImportContext, text: str | None) -> list[int]:
    if not text:
        return []
    known = _partners(ctx)
    numbers = []
    for part in (p for p in text.replace("\n", ";").split(";") if p.strip()):
        if word(part) not in known:
            raise RowInvalid(
                [
                    (
                        "shared_with",
                        _("No partner organisation of your network has the name “%(name)s”.")
                        % {"name": part.strip()[:80]},
                    )
                ]
            )
        numbers.append(known[word(part)])
    return numbers


class Consents(FormEntity):
    key = "consents"
    label = gettext_lazy("consents")
    model = Consent
    permission = Perm.EDIT_PARTICIPANTS
    order = 12
    description = gettext_lazy("Consents given on paper: one row per purpose, with date and sheet version.")
    columns = (
        participant_column(),
        Column(
            "purpose",
            gettext_lazy("purpose"),
            kind="choice",
            required=True,
            choices=with_aliases(lambda: ConsentPurpose.choices, PURPOSE_WORDS),
            aliases=("Zweck", "Einwilligung"),
        ),
        Column(
            "given_on",
            gettext_lazy("given on"),
            kind="date",
            required=True,
            aliases=("Datum", "erteilt am", "unterschrieben am", "Unterschrift"),
        ),
        Column(
            "sheet_version",
            gettext_lazy("version of the information sheet"),
            required=True,
            max_length=20,
            aliases=("Version", "Bogenversion", "Fassung", "Stand"),
        ),
        Column(
            "sheet_language",
            gettext_lazy("language of the information sheet"),
            kind="choice",
            choices=with_aliases(lambda: InfoSheetLanguage.choices, LANGUAGE_WORDS),
            aliases=("Sprache", "Sprache des Bogens"),
            help=gettext_lazy("Empty: German."),
        ),
        Column(
            "method",
            gettext_lazy("how it was given"),
            kind="choice",
            choices=with_aliases(lambda: ConsentMethod.choices, METHOD_WORDS),
            aliases=("Art", "Form"),
            help=gettext_lazy("Empty: signed on paper."),
        ),
        Column(
            "shared_with",
            gettext_lazy("shared with (partner organisations)"),
            max_length=2000,
            aliases=("Weitergabe an", "Partner", "Partnerorganisationen"),
            help=gettext_lazy("Names of partner organisations of your network, separated by “;”."),
        ),
        Column("revoked_on", gettext_lazy("revoked on"), kind="date", aliases=("widerrufen am", "Widerruf")),
    )

    def existing(self, ctx: ImportContext, object_id: int) -> models.Model | None:
        return Consent.objects.filter(pk=object_id, participant__organisation=ctx.organisation).first()

    def form_class(self, existing: models.Model | None) -> type[BaseForm]:
        return ConsentImportForm

    def _form(
        self, ctx: ImportContext, values: dict[str, Value], participant: Participant
    ) -> ConsentImportForm:
        data = {
            "purpose": values.get("purpose") or "",
            "given_on": form_value(values.get("given_on")),
            "method": values.get("method") or ConsentMethod.SIGNED_PAPER,
            "sheet_language": values.get("sheet_language") or InfoSheetLanguage.DE,
            "shared_with": [str(n) for n in partner_numbers(ctx, values.get("shared_with"))],
        }
        form = ConsentImportForm(data=data, participant=participant)
        form.instance.sheet_version = values.get("sheet_version") or ""
        return form

    def prepare(  # type: ignore[override]
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> PreparedConsent:
        participant = resolve_participant(ctx, str(values[PARTICIPANT]))
        form = self._form(ctx, values, participant)
        if not form.is_valid():
            raise form_errors(form)
        revoked_on: datetime.date | None = values.get("revoked_on")
        self._check_revocation(revoked_on, form.cleaned_data["given_on"])
        if isinstance(existing, Consent):
            self._check_unchanged(existing, form, participant, revoked_on)
        return PreparedConsent(form, participant, revoked_on)

    @staticmethod
    def _check_revocation(revoked_on: datetime.date | None, given_on: datetime.date) -> None:
        if revoked_on is None:
            return
        if revoked_on > timezone.localdate():
            raise RowInvalid([("revoked_on", _("The date cannot be in the future."))])
        if revoked_on < given_on:
            raise RowInvalid([("revoked_on", _("A consent cannot be revoked before it was given."))])

    @staticmethod
    def _check_unchanged(
        existing: Consent, form: ConsentImportForm, participant: Participant, revoked_on: datetime.date | None
    ) -> None:
        """A recorded consent stays as given; only a revocation can be added."""
        changed = "" if existing.participant_id == participant.pk else PARTICIPANT
        for name in COMPARED:
            if not changed and getattr(existing, name) != getattr(form.instance, name):
                changed = name
        partners = {o.pk for o in form.cleaned_data.get("shared_with") or []}
        if not changed and set(existing.shared_with.values_list("pk", flat=True)) != partners:
            changed = "shared_with"
        if changed:
            raise RowInvalid(
                [
                    (
                        changed,
                        _(
                            "A recorded consent cannot be changed. For a new consent, "
                            "add a row with a new external id."
                        ),
                    )
                ]
            )
        if existing.revoked_on is not None and existing.revoked_on != revoked_on:
            raise RowInvalid([("revoked_on", _("A revocation cannot be changed or undone."))])

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        assert isinstance(prepared, PreparedConsent)
        if isinstance(existing, Consent):
            if existing.revoked_on is None and prepared.revoked_on is not None:
                return Saved(
                    services.consent_revoke(actor=ctx.actor, consent=existing, on=prepared.revoked_on), True
                )
            return Saved(existing, False)
        form = prepared.form
        consent = services.consent_record(
            actor=ctx.actor, consent=form.instance, shared_with=form.cleaned_data.get("shared_with") or []
        )
        if prepared.revoked_on is not None:
            consent = services.consent_revoke(actor=ctx.actor, consent=consent, on=prepared.revoked_on)
        return Saved(consent, True)


register(Consents())
