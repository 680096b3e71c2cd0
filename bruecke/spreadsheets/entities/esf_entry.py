"""The ESF entry questionnaire: one row per participant, checked by the questionnaire's own
form and saved by its service (citizenships and third-country status frozen at entry
exactly as on the page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.core.access import Perm
from bruecke.esf import selectors
from bruecke.esf.forms import EntryRecordForm
from bruecke.esf.models import (
    Answer,
    EntryRecord,
    IscedLevel,
    LabourMarketStatus,
    SchoolQualification,
    VocationalQualification,
    citizenship_codes,
)
from bruecke.esf.services import entry_record_save, entry_records_create
from bruecke.participants.models import Participant
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved, Value, form_errors
from bruecke.spreadsheets.entities.casework import (
    PARTICIPANT,
    null_boolean,
    participant_column,
    participant_of_row,
    participants_of,
)
from bruecke.spreadsheets.formbacked import file_form, mapped_columns
from bruecke.spreadsheets.models import ExternalKey
from bruecke.spreadsheets.registry import register

_ANSWER_WORDS = {
    "ja": Answer.YES,
    "j": Answer.YES,
    "nein": Answer.NO,
    "n": Answer.NO,
    "keine angabe": Answer.REFUSED,
    "verweigert": Answer.REFUSED,
    "antwort verweigert": Answer.REFUSED,
    "k. a.": Answer.REFUSED,
    "k.a.": Answer.REFUSED,
}
_LM_WORDS = {
    "arbeitslos gemeldet": LabourMarketStatus.UNEMPLOYED,
    "arbeitslos": LabourMarketStatus.UNEMPLOYED,
    "arbeitslos (gemeldet)": LabourMarketStatus.UNEMPLOYED,
    "erwerbslos gemeldet": LabourMarketStatus.UNEMPLOYED,
    "registered unemployed": LabourMarketStatus.UNEMPLOYED,
    "erwerbstätig": LabourMarketStatus.EMPLOYED,
    "beschäftigt": LabourMarketStatus.EMPLOYED,
    "selbstständig": LabourMarketStatus.EMPLOYED,
    "selbständig": LabourMarketStatus.EMPLOYED,
    "nichterwerbstätig": LabourMarketStatus.INACTIVE,
    "nicht erwerbstätig": LabourMarketStatus.INACTIVE,
    "inaktiv": LabourMarketStatus.INACTIVE,
}
_ISCED_WORDS = {f"isced {level}": str(level) for level in IscedLevel.values}
_SCHOOL_WORDS = {
    "kein abschluss": SchoolQualification.NONE,
    "ohne abschluss": SchoolQualification.NONE,
    "hauptschulabschluss": SchoolQualification.HAUPTSCHULE,
    "hauptschule": SchoolQualification.HAUPTSCHULE,
    "mittlerer abschluss": SchoolQualification.MITTLERER,
    "realschulabschluss": SchoolQualification.MITTLERER,
    "mittlere reife": SchoolQualification.MITTLERER,
    "abitur": SchoolQualification.HOCHSCHULREIFE,
    "fachabitur": SchoolQualification.HOCHSCHULREIFE,
    "hochschulreife": SchoolQualification.HOCHSCHULREIFE,
    "fachhochschulreife": SchoolQualification.HOCHSCHULREIFE,
}
_VOCATIONAL_WORDS = {
    "keine": VocationalQualification.NONE,
    "kein": VocationalQualification.NONE,
    "kein berufsabschluss": VocationalQualification.NONE,
    "berufsausbildung": VocationalQualification.DUAL,
    "ausbildung": VocationalQualification.DUAL,
    "lehre": VocationalQualification.DUAL,
    "meister": VocationalQualification.MEISTER,
    "techniker": VocationalQualification.MEISTER,
    "studium": VocationalQualification.UNIVERSITY,
    "hochschulabschluss": VocationalQualification.UNIVERSITY,
    "hochschule": VocationalQualification.UNIVERSITY,
}


def _answer(key: str, label: Any, aliases: tuple[str, ...]) -> Column:
    return Column(
        key,
        label,
        kind="choice",
        choices=lambda: Answer.choices,
        aliases=aliases,
        synonyms=lambda: _ANSWER_WORDS,
    )


def _field_label(name: str) -> Any:
    field = EntryRecord._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.verbose_name


# Yes/no/unknown questions: the form reads "true", "false" or "" (unknown).
NULL_BOOLEANS = frozenset(
    {
        "in_education_training",
        "household_jobless",
        "household_single_adult",
        "household_dependent_children",
        "rural_area",
    }
)


@dataclass(frozen=True)
class Prepared:
    participant: Participant
    record: EntryRecord | None
    data: dict[str, Any]


class EsfEntries(Entity):
    key = "esf_entries"
    label = gettext_lazy("ESF entry questionnaires")
    model = EntryRecord
    permission = Perm.EDIT_PARTICIPANTS
    order = 20
    description = gettext_lazy("One row per participant: the answers of the ESF entry questionnaire.")
    columns = (
        participant_column(),
        Column(
            "lm_status_entry",
            _field_label("lm_status_entry"),
            kind="choice",
            choices=lambda: LabourMarketStatus.choices,
            synonyms=lambda: _LM_WORDS,
            aliases=(
                "Erwerbsstatus",
                "Arbeitsmarktstatus",
                "Erwerbsstatus bei Eintritt",
                "Status bei Eintritt",
            ),
        ),
        Column(
            "registered_unemployed_since",
            _field_label("registered_unemployed_since"),
            kind="date",
            aliases=("arbeitslos seit", "arbeitslos gemeldet seit", "Datum Arbeitslosmeldung"),
        ),
        Column(
            "in_education_training",
            _field_label("in_education_training"),
            kind="boolean",
            aliases=("in Ausbildung", "in Bildung oder Ausbildung"),
        ),
        Column(
            "isced_level",
            _field_label("isced_level"),
            kind="choice",
            choices=lambda: [(str(value), label) for value, label in IscedLevel.choices],
            synonyms=lambda: _ISCED_WORDS,
            aliases=("ISCED", "ISCED-Stufe", "Bildungsstand", "höchster Bildungsabschluss"),
        ),
        Column(
            "school_qualification_de",
            _field_label("school_qualification_de"),
            kind="choice",
            choices=lambda: SchoolQualification.choices,
            synonyms=lambda: _SCHOOL_WORDS,
            aliases=("Schulabschluss", "allgemeinbildender Schulabschluss"),
        ),
        Column(
            "vocational_qualification_de",
            _field_label("vocational_qualification_de"),
            kind="choice",
            choices=lambda: VocationalQualification.choices,
            synonyms=lambda: _VOCATIONAL_WORDS,
            aliases=("Berufsabschluss", "beruflicher Abschluss", "Berufsausbildung"),
        ),
        _answer("disability", _field_label("disability"), ("Behinderung", "Menschen mit Behinderungen")),
        Column(
            "disability_details",
            _field_label("disability_details"),
            max_length=2000,
            aliases=("Angaben zur Behinderung",),
        ),
        _answer("minority", _field_label("minority"), ("Minderheit", "Angehörige einer Minderheit")),
        _answer(
            "foreign_background",
            _field_label("foreign_background"),
            ("Migrationshintergrund", "ausländische Herkunft"),
        ),
        _answer(
            "homeless_or_housing_exclusion",
            _field_label("homeless_or_housing_exclusion"),
            ("obdachlos", "Obdachlosigkeit", "wohnungslos"),
        ),
        Column(
            "sensitive_asked_on",
            _field_label("sensitive_asked_on"),
            kind="date",
            aliases=("sensible Fragen gestellt am", "Fragen gestellt am"),
        ),
        Column(
            "household_jobless",
            _field_label("household_jobless"),
            kind="boolean",
            aliases=("Erwerbslosenhaushalt",),
        ),
        Column(
            "household_single_adult",
            _field_label("household_single_adult"),
            kind="boolean",
            aliases=("alleinerziehend", "Alleinerziehende"),
        ),
        Column(
            "household_dependent_children",
            _field_label("household_dependent_children"),
            kind="boolean",
            aliases=("unterhaltsberechtigte Kinder", "Kinder im Haushalt"),
        ),
        Column(
            "further_citizenships",
            gettext_lazy("further citizenships"),
            max_length=60,
            aliases=("weitere Staatsangehörigkeiten", "weitere Staatsangehörigkeit"),
        ),
        Column(
            "rural_area",
            _field_label("rural_area"),
            kind="boolean",
            aliases=("ländlicher Raum", "ländliches Gebiet"),
        ),
    )

    def look_up(self, ctx: ImportContext, rows: Sequence[dict[str, Value]]) -> None:
        """The participants the chunk's rows name, in one query (with their project,
        organisation and questionnaire); kept for this chunk only, so that memory stays
        flat in a large file."""
        texts = {str(values[PARTICIPANT]) for values in rows if values.get(PARTICIPANT)}
        ctx.cache[_CHUNK] = participants_named(ctx, texts, _participants(ctx))

    def prepare(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> Prepared:
        text = str(values[PARTICIPANT])
        named: dict[str, Participant | None] = ctx.cache.get(_CHUNK, {})
        if text in named:
            participant = named[text]
            if participant is None:
                raise RowInvalid([(PARTICIPANT, _("No record with this id or number in your organisation."))])
        else:
            participant = participant_of_row(ctx, text, _participants(ctx))
        seen: set[int] = ctx.cache.setdefault("esf_entries:participants", set())
        if participant.pk in seen:
            raise RowInvalid(
                [(PARTICIPANT, _("A participant has one entry questionnaire: this is their second row."))]
            )
        seen.add(participant.pk)
        record: EntryRecord | None = getattr(participant, "esf_entry", None)
        if existing is not None and existing.pk != getattr(record, "pk", None):
            raise RowInvalid(
                [(PARTICIPANT, _("This external id was imported for another participant before."))]
            )
        instance = record or EntryRecord(participant=participant, organisation=participant.organisation)
        variant = selectors.variant_of(participant)
        form = file_form(
            ctx,
            EntryRecordForm,
            (variant, record is None),
            data=self._form_data(ctx, values, record),
            instance=instance,
            variant=variant,
            version=record.version if record else None,
        )
        if not form.is_valid():
            raise form_errors(form)
        data = {n: v for n, v in form.cleaned_data.items() if n in _MODEL_FIELDS}
        data["further_citizenships"] = form.cleaned_data["further_citizenships"]
        return Prepared(participant, record, data)

    def _form_data(
        self, ctx: ImportContext, values: dict[str, Value], record: EntryRecord | None
    ) -> dict[str, Any]:
        data = _current(record)
        mapped = mapped_columns(ctx)
        for column in self.columns[1:]:
            if column.key in mapped or (record is None and values.get(column.key) is not None):
                data[column.key] = _form_value(column.key, values.get(column.key))
        if record is not None:
            data["version"] = record.version
        return data

    saves_chunks = True

    def save_chunk(self, ctx: ImportContext, rows: Sequence[tuple[Any, models.Model | None]]) -> list[Saved]:
        """New questionnaires through `entry_records_create` together, changed ones one by one."""
        saved: list[Saved | None] = []
        new: list[tuple[Participant, dict[str, Any]]] = []
        for prepared, existing in rows:
            assert isinstance(prepared, Prepared)
            if prepared.record is None:
                new.append((prepared.participant, prepared.data))
                saved.append(None)
            else:
                saved.append(self.save(ctx, prepared, existing))
        known = ("participant", "organisation")
        created = iter(entry_records_create(actor=ctx.actor, entries=new, known_relations=known))
        return [done if done is not None else Saved(next(created), True) for done in saved]

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        assert isinstance(prepared, Prepared)
        before = prepared.record.version if prepared.record else None
        saved = entry_record_save(
            actor=ctx.actor,
            participant=prepared.participant,
            data=prepared.data,
            known_relations=("participant", "organisation"),  # read in this file's transaction
        )
        return Saved(saved, before is None or saved.version != before)


_CHUNK = "esf_entries:chunk"


def _participants(ctx: ImportContext) -> QuerySet[Participant]:
    return participants_of(ctx).select_related("project", "organisation", "esf_entry")


def participants_named(
    ctx: ImportContext, texts: set[str], queryset: QuerySet[Participant]
) -> dict[str, Participant | None]:
    """`resolve` (bruecke/spreadsheets/columns.py) for many cells at once, in two queries:
    each text names the participant of `queryset` (the user's scope) that it names as an
    external id of the participant import into this organisation, else by its number;
    the lowest number when both match, None when neither does."""
    keys = ExternalKey.objects.filter(
        organisation=ctx.organisation, entity="participants", external_id__in=texts
    ).values_list("external_id", "object_id")
    by_key = dict(keys)
    numbers = {text: int(text) for text in texts if text.isdigit() and len(text) < 19}
    found = queryset.in_bulk({*by_key.values(), *numbers.values()})
    named: dict[str, Participant | None] = {}
    for text in texts:
        pks = [pk for pk in (by_key.get(text), numbers.get(text)) if pk is not None and pk in found]
        named[text] = found[min(pks)] if pks else None
    return named


_MODEL_FIELDS = frozenset(f.name for f in EntryRecord._meta.fields) - {"version"}


def _form_value(name: str, value: Value) -> Any:
    if name in NULL_BOOLEANS:
        return null_boolean(value)
    return "" if value is None else value


def _current(record: EntryRecord | None) -> dict[str, Any]:
    """The stored answers as form data: what an unmapped column keeps on update."""
    if record is None:
        return {}
    data: dict[str, Any] = {}
    for name in EntryRecordForm.Meta.fields:
        value = getattr(record, name)
        data[name] = null_boolean(value) if name in NULL_BOOLEANS else "" if value is None else value
    data["further_citizenships"] = " ".join(citizenship_codes(record.citizenships)[1:])
    return data


register(EsfEntries())
