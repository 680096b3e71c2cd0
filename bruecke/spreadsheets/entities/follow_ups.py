"""Answers to the follow-up six months after exit (§11.8): checked by the follow-up form,
recorded or corrected by the follow-up services (the stored results of the exit are
refreshed with them, and the follow-up task is done)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.cases.services.exit import follow_up_correct, follow_up_record
from bruecke.core.access import Perm
from bruecke.esf.exit_forms import FollowUpEditForm, FollowUpForm
from bruecke.esf.exit_models import ExitRecord, FollowUp, FollowUpAnswer, Improvement
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved, Value, form_errors
from bruecke.spreadsheets.entities.casework import CASE, case_column, case_of_row, participant_column
from bruecke.spreadsheets.formbacked import mapped_columns
from bruecke.spreadsheets.registry import register

_ANSWER_WORDS = {
    "ja": FollowUpAnswer.YES,
    "erwerbstätig": FollowUpAnswer.YES,
    "beschäftigt": FollowUpAnswer.YES,
    "nein": FollowUpAnswer.NO,
    "nicht erwerbstätig": FollowUpAnswer.NO,
    "keine antwort": FollowUpAnswer.NO_RESPONSE,
    "nicht erreicht": FollowUpAnswer.NO_RESPONSE,
    "nicht erreichbar": FollowUpAnswer.NO_RESPONSE,
    "verweigert": FollowUpAnswer.NO_RESPONSE,
    "antwort verweigert": FollowUpAnswer.NO_RESPONSE,
    "refused": FollowUpAnswer.NO_RESPONSE,
}
FIELDS = ("answered_on", "employed", "self_employed", "improvements", "note")


@dataclass(frozen=True)
class Prepared:
    record: ExitRecord
    follow_up: FollowUp | None
    data: dict[str, Any]


class FollowUps(Entity):
    key = "follow_ups"
    label = gettext_lazy("follow-ups six months after exit")
    model = FollowUp
    permission = Perm.EDIT_PARTICIPANTS
    order = 45
    description = gettext_lazy("The answers to the follow-up about six months after a case's exit.")
    columns = (
        case_column(required=False),
        participant_column(required=False),
        Column(
            "answered_on",
            gettext_lazy("answered on"),
            kind="date",
            required=True,
            aliases=("befragt am", "Datum der Nachbefragung", "Nachbefragung am", "Datum"),
        ),
        Column(
            "employed",
            gettext_lazy("in employment six months after exit"),
            kind="choice",
            required=True,
            choices=lambda: FollowUpAnswer.choices,
            synonyms=lambda: _ANSWER_WORDS,
            aliases=("erwerbstätig", "Antwort", "Ergebnis", "Verbleib nach 6 Monaten"),
        ),
        Column(
            "self_employed",
            gettext_lazy("self-employed"),
            kind="boolean",
            aliases=("selbstständig", "selbständig"),
        ),
        Column(
            "improvements",
            gettext_lazy("improvements since entry"),
            kind="choices",
            choices=lambda: Improvement.choices,
            aliases=("Verbesserungen", "Verbesserung"),
        ),
        Column("note", gettext_lazy("note"), max_length=2000, aliases=("Notiz", "Bemerkung")),
    )

    def prepare(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> Prepared:
        case = case_of_row(ctx, values, open_only=False)
        record = ExitRecord.objects.filter(case=case).first()
        if record is None:
            raise RowInvalid([(CASE, _("This case has no exit yet: please import the exit first."))])
        if existing is not None:
            assert isinstance(existing, FollowUp)
            if existing.exit_record_id != record.pk:
                raise RowInvalid([(CASE, _("This external id was imported for another case before."))])
            form: FollowUpForm = FollowUpEditForm(data=self._data(ctx, values, existing), instance=existing)
        else:
            instance = FollowUp(exit_record=record, organisation=record.organisation)
            form = FollowUpForm(data=self._data(ctx, values, None), instance=instance)
        if not form.is_valid():
            raise form_errors(form)
        return Prepared(record, existing, form.follow_up_data())

    def _data(
        self, ctx: ImportContext, values: dict[str, Value], follow_up: FollowUp | None
    ) -> dict[str, Any]:
        mapped = mapped_columns(ctx)
        data: dict[str, Any] = {}
        for name in FIELDS:
            value = values.get(name) if follow_up is None or name in mapped else getattr(follow_up, name)
            if name == "self_employed":
                data[name] = "on" if value else ""
            else:
                data[name] = ([] if name == "improvements" else "") if value is None else value
        if follow_up is not None:
            data["version"] = follow_up.version
        return data

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        assert isinstance(prepared, Prepared)
        if prepared.follow_up is None:
            return Saved(follow_up_record(actor=ctx.actor, record=prepared.record, data=prepared.data), True)
        version = prepared.follow_up.version
        updated = follow_up_correct(
            actor=ctx.actor, follow_up=prepared.follow_up, data=prepared.data, expected_version=None
        )
        return Saved(updated, updated.version != version)


register(FollowUps())
