"""Residence-status history: one row per document (several per participant, each with its
own external id), checked by the page's form, added through `residence_status_add` and
corrected through `residence_status_update`; both keep the participant's current status
and eligibility up to date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.core.access import Perm
from bruecke.participants import services
from bruecke.participants.forms import ResidenceStatusForm
from bruecke.participants.models import Participant, ResidenceStatus, ResidenceStatusType, WorkNote
from bruecke.spreadsheets.base import Column, ImportContext, RowInvalid, Saved, Value
from bruecke.spreadsheets.entities.participant_refs import (
    PARTICIPANT,
    participant_column,
    resolve_participant,
    with_aliases,
)
from bruecke.spreadsheets.formbacked import FormEntity
from bruecke.spreadsheets.registry import register

# The short names German lists use for a status (the labels of the choices match too).
STATUS_WORDS = [
    ("gestattung", "Gestattung"),
    ("gestattung", "Aufenthaltsgestattung"),
    ("gestattung", "§ 55 AsylG"),
    ("duldung_60a", "Duldung"),
    ("duldung_60a", "§ 60a"),
    ("duldung_60b", "Duldung light"),
    ("duldung_60b", "§ 60b"),
    ("duldung_60c", "Ausbildungsduldung"),
    ("duldung_60c", "§ 60c"),
    ("duldung_60d", "Beschäftigungsduldung"),
    ("duldung_60d", "§ 60d"),
    ("ae_25_1", "§ 25 Abs. 1"),
    ("ae_25_1", "Asylberechtigt"),
    ("ae_25_2_refugee", "§ 25 Abs. 2 Flüchtling"),
    ("ae_25_2_refugee", "Flüchtlingseigenschaft"),
    ("ae_25_2_subsidiary", "§ 25 Abs. 2 subsidiär"),
    ("ae_25_2_subsidiary", "subsidiärer Schutz"),
    ("ae_25_3", "§ 25 Abs. 3"),
    ("ae_25_3", "Abschiebungsverbot"),
    ("ae_25_4", "§ 25 Abs. 4"),
    ("ae_25_5", "§ 25 Abs. 5"),
    ("ae_24", "§ 24"),
    ("ae_24", "vorübergehender Schutz"),
    ("ae_25a", "§ 25a"),
    ("ae_25b", "§ 25b"),
    ("ae_104c", "§ 104c"),
    ("ae_104c", "Chancen-Aufenthaltsrecht"),
    ("ae_16a", "§ 16a"),
    ("ae_16g", "§ 16g"),
    ("ae_18ab", "§ 18a"),
    ("ae_18ab", "§ 18b"),
    ("ae_19d", "§ 19d"),
    ("niederlassung", "Niederlassungserlaubnis"),
    ("niederlassung", "NE"),
    ("eu", "EU"),
    ("eu", "Freizügigkeit"),
    # A plain "Fiktionsbescheinigung" is most often the continuation of a title (§ 81 Abs. 4).
    ("fiktion_continuation", "Fiktionsbescheinigung"),
    ("fiktion_continuation", "Fiktionsbescheinigung § 81 Abs. 4"),
    ("fiktion_continuation", "§ 81 Abs. 4"),
    ("fiktion_stay", "Fiktionsbescheinigung § 81 Abs. 3"),
    ("fiktion_stay", "§ 81 Abs. 3"),
    ("fiktion_24", "Fiktionsbescheinigung § 24"),
    ("fiktion_24", "Fiktionsbescheinigung vorübergehender Schutz"),
    ("visa_free", "visumfrei"),
    ("visa_free", "visumfreier Aufenthalt"),
    ("visa_free", "Kurzaufenthalt visumfrei"),
]
WORK_NOTE_WORDS = [
    ("permitted", "gestattet"),
    ("permitted", "Erwerbstätigkeit erlaubt"),
    ("with_permission", "mit Erlaubnis"),
    ("with_permission", "nur mit Erlaubnis der ABH"),
    ("not_permitted", "nicht gestattet"),
    ("not_permitted", "Arbeitsverbot"),
]
FIELDS = (
    "status",
    "issued_on",
    "valid_until",
    "asylum_applied_on",
    "reception_centre_obligation",
    "work_note",
    "note",
)


@dataclass(frozen=True)
class PreparedStatus:
    form: BaseForm
    participant: Participant


class ResidenceStatuses(FormEntity):
    key = "residence_statuses"
    label = gettext_lazy("residence statuses")
    model = ResidenceStatus
    permission = Perm.EDIT_PARTICIPANTS
    order = 11
    description = gettext_lazy(
        "The residence documents of each participant, one row per document; "
        "the newest issue date is the current status."
    )
    columns = (
        participant_column(),
        Column(
            "status",
            gettext_lazy("residence status"),
            kind="choice",
            required=True,
            choices=with_aliases(lambda: ResidenceStatusType.choices, STATUS_WORDS),
            aliases=("Aufenthaltsstatus", "Status", "Aufenthaltstitel"),
        ),
        Column(
            "issued_on",
            gettext_lazy("issued on"),
            kind="date",
            required=True,
            aliases=("ausgestellt am", "Ausstellungsdatum", "erteilt am"),
        ),
        Column(
            "valid_until", gettext_lazy("valid until"), kind="date", aliases=("gültig bis", "befristet bis")
        ),
        Column(
            "asylum_applied_on",
            gettext_lazy("asylum application on"),
            kind="date",
            aliases=("Asylantrag", "Asylantrag am", "Asylantragstellung"),
        ),
        Column(
            "reception_centre_obligation",
            gettext_lazy("obliged to live in a reception centre"),
            kind="boolean",
            aliases=("Wohnpflicht Aufnahmeeinrichtung", "Aufnahmeeinrichtung"),
        ),
        Column(
            "work_note",
            gettext_lazy("note on work in the document"),
            kind="choice",
            choices=with_aliases(lambda: WorkNote.choices, WORK_NOTE_WORDS),
            aliases=("Nebenbestimmung", "Erwerbstätigkeit", "Arbeitserlaubnis"),
        ),
        Column(
            "note",
            gettext_lazy("note"),
            max_length=300,
            aliases=("Bemerkung", "Notiz", "Dokumentnummer"),
            help=gettext_lazy("Free text, e.g. the document number."),
        ),
    )

    def existing(self, ctx: ImportContext, object_id: int) -> models.Model | None:
        return ResidenceStatus.objects.filter(
            pk=object_id, participant__organisation=ctx.organisation
        ).first()

    def form_class(self, existing: models.Model | None) -> type[BaseForm]:
        return ResidenceStatusForm

    def form_kwargs(self, ctx: ImportContext, existing: models.Model | None) -> dict[str, Any]:
        # The form checks the values as for a new document; the record is changed by the service.
        return {"instance": ResidenceStatus()}

    def initial_data(
        self, ctx: ImportContext, existing: models.Model | None, form: type[BaseForm]
    ) -> dict[str, Any]:
        if existing is None:
            return {}
        data = model_to_dict(existing, fields=FIELDS)
        return {k: ("on" if v is True else "" if v is False or v is None else v) for k, v in data.items()}

    def prepare(  # type: ignore[override]
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> PreparedStatus:
        participant = resolve_participant(ctx, str(values[PARTICIPANT]))
        if isinstance(existing, ResidenceStatus) and existing.participant_id != participant.pk:
            raise RowInvalid(
                [
                    (
                        PARTICIPANT,
                        _("A residence document recorded for one participant cannot move to another."),
                    )
                ]
            )
        form = super().prepare(ctx, values, existing)
        form.instance.participant = participant  # type: ignore[attr-defined]
        return PreparedStatus(form, participant)

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        assert isinstance(prepared, PreparedStatus)
        form = prepared.form
        if existing is None:
            return Saved(services.residence_status_add(actor=ctx.actor, status=form.instance), True)  # type: ignore[attr-defined]
        assert isinstance(existing, ResidenceStatus)
        data = {name: form.cleaned_data[name] for name in FIELDS}
        updated, changed = services.residence_status_update(actor=ctx.actor, status=existing, data=data)
        return Saved(updated, bool(changed))


register(ResidenceStatuses())
