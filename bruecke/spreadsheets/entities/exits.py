"""The exit of a case with the ESF exit questionnaire and its dated situations (§11.6: the
situations from the exit date to 4 weeks later, each with the day it began). A new row
closes the case through the closing service, a changed row corrects the questionnaire
through the correction service; both refresh the stored results as the page does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.cases.models import Case, CaseStatus
from bruecke.cases.selectors.exit import open_steps, open_tasks
from bruecke.cases.services.exit import case_close, exit_correct
from bruecke.core.access import Perm
from bruecke.esf.exit_forms import ExitEditForm, ExitForm
from bruecke.esf.exit_models import ExitReason, ExitRecord, SituationType
from bruecke.esf.exit_services import SituationInput
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved, StrOrPromise, Value
from bruecke.spreadsheets.entities.casework import (
    CASE,
    case_column,
    case_of_row,
    null_boolean,
    participant_column,
)
from bruecke.spreadsheets.formbacked import mapped_columns
from bruecke.spreadsheets.registry import register

# Situations after exit, each a pair of columns: situation_N and situation_N_since.
SITUATION_COLUMNS = 3
_REASON_WORDS = {
    "regulär beendet": ExitReason.COMPLETED,
    "planmäßig beendet": ExitReason.COMPLETED,
    "abgeschlossen": ExitReason.COMPLETED,
    "arbeitsaufnahme": ExitReason.EARLY_JOB,
    "abbruch wegen arbeitsaufnahme": ExitReason.EARLY_JOB,
    "ausbildungsbeginn": ExitReason.EARLY_TRAINING,
    "abbruch": ExitReason.EARLY_OTHER,
    "vorzeitig beendet": ExitReason.EARLY_OTHER,
    "umzug": ExitReason.MOVED,
    "verzogen": ExitReason.MOVED,
    "verstorben": ExitReason.DECEASED,
    "kontaktabbruch": ExitReason.UNKNOWN,
    "unbekannt": ExitReason.UNKNOWN,
}
_SITUATION_WORDS = {
    "erwerbstätig": SituationType.EMPLOYED,
    "beschäftigt": SituationType.EMPLOYED,
    "arbeit": SituationType.EMPLOYED,
    "arbeitsaufnahme": SituationType.EMPLOYED,
    "sozialversicherungspflichtig beschäftigt": SituationType.EMPLOYED,
    "selbstständig": SituationType.SELF_EMPLOYED,
    "selbständig": SituationType.SELF_EMPLOYED,
    "arbeitsuchend": SituationType.JOB_SEARCHING,
    "arbeitssuchend": SituationType.JOB_SEARCHING,
    "arbeitslos gemeldet": SituationType.UNEMPLOYED_REGISTERED,
    "arbeitslos": SituationType.UNEMPLOYED_REGISTERED,
    "weiterbildung": SituationType.EDUCATION_TRAINING,
    "qualifizierung": SituationType.EDUCATION_TRAINING,
    "umschulung": SituationType.EDUCATION_TRAINING,
    "sprachkurs": SituationType.EDUCATION_TRAINING,
    "ausbildung": SituationType.APPRENTICESHIP,
    "betriebliche ausbildung": SituationType.APPRENTICESHIP,
    "schule": SituationType.SCHOOL,
    "studium": SituationType.SCHOOL,
    "nichterwerbstätig": SituationType.INACTIVE,
    "nicht erwerbstätig": SituationType.INACTIVE,
}


def kind_key(number: int) -> str:
    return f"situation_{number}"


def date_key(number: int) -> str:
    return f"situation_{number}_since"


def _situation_columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for number in range(1, SITUATION_COLUMNS + 1):
        columns.append(
            Column(
                kind_key(number),
                gettext_lazy("situation %(number)s after exit") % {"number": number},
                kind="choice",
                choices=lambda: SituationType.choices,
                synonyms=lambda: _SITUATION_WORDS,
                aliases=(
                    f"Situation {number}",
                    f"Verbleib {number}",
                    *(("Verbleib",) if number == 1 else ()),
                ),
            )
        )
        columns.append(
            Column(
                date_key(number),
                gettext_lazy("situation %(number)s since") % {"number": number},
                kind="date",
                aliases=(
                    f"Situation {number} seit",
                    f"Verbleib {number} seit",
                    *(("Verbleib seit",) if number == 1 else ()),
                ),
            )
        )
    return tuple(columns)


@dataclass(frozen=True)
class Prepared:
    case: Case
    record: ExitRecord | None
    data: dict[str, Any]
    situations: list[SituationInput]


class Exits(Entity):
    key = "exits"
    label = gettext_lazy("exits with the ESF exit questionnaire")
    model = ExitRecord
    permission = Perm.EDIT_PARTICIPANTS
    order = 40
    description = gettext_lazy(
        "Closes a case with its exit date, reason and the situations within 4 weeks after exit."
    )
    columns = (
        case_column(required=False),
        participant_column(required=False),
        Column(
            "exit_date",
            gettext_lazy("exit date"),
            kind="date",
            required=True,
            aliases=("Austritt", "Austrittsdatum", "Ende", "Fallende"),
        ),
        Column(
            "exit_reason",
            gettext_lazy("reason for the exit"),
            kind="choice",
            required=True,
            choices=lambda: ExitReason.choices,
            synonyms=lambda: _REASON_WORDS,
            aliases=("Austrittsgrund", "Grund", "Beendigungsgrund"),
        ),
        Column(
            "status_collected_on",
            gettext_lazy("situation collected on"),
            kind="date",
            aliases=("erhoben am", "Verbleib erhoben am", "Befragung am"),
        ),
        Column(
            "qualification_gained",
            gettext_lazy("qualification gained"),
            kind="boolean",
            aliases=("Qualifikation erworben", "Abschluss erworben"),
        ),
        Column(
            "qualification_on",
            gettext_lazy("qualification gained on"),
            kind="date",
            aliases=("Qualifikation erworben am", "Abschluss am"),
        ),
        *_situation_columns(),
    )

    def prepare(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> Prepared:
        if existing is not None:
            assert isinstance(existing, ExitRecord)
            case = case_of_row(ctx, values, open_only=False)
            if case.pk != existing.case_id:
                raise RowInvalid([(CASE, _("This external id was imported for another case before."))])
            return self._prepared(ctx, values, case, existing)
        case = case_of_row(ctx, values, open_only=True)
        if case.status == CaseStatus.CLOSED:
            raise RowInvalid([(CASE, _("This case is already closed."))])
        if open_tasks(case).exists() or open_steps(case).exists():
            raise RowInvalid(
                [(CASE, _("This case has open tasks or plan steps: please close it on the case page."))]
            )
        return self._prepared(ctx, values, case, None)

    def _prepared(
        self, ctx: ImportContext, values: dict[str, Value], case: Case, record: ExitRecord | None
    ) -> Prepared:
        data = self._form_data(ctx, values, record)
        if record is None:
            instance = ExitRecord(case=case, participant=case.participant, organisation=case.organisation)
            form: ExitForm = ExitForm(data=data, instance=instance)
        else:
            form = ExitEditForm(data=data, instance=record)
        if not form.is_valid():
            raise RowInvalid(_errors(form))
        return Prepared(case, record, form.exit_data(), form.situation_inputs())

    def _form_data(
        self, ctx: ImportContext, values: dict[str, Value], record: ExitRecord | None
    ) -> dict[str, Any]:
        mapped = mapped_columns(ctx)
        data: dict[str, Any] = {}
        for name in (
            "exit_date",
            "exit_reason",
            "status_collected_on",
            "qualification_gained",
            "qualification_on",
        ):
            value = values.get(name) if record is None or name in mapped else getattr(record, name)
            data[name] = (
                null_boolean(value) if name == "qualification_gained" else "" if value is None else value
            )
        rows: list[tuple[Any, Any]]
        stored = list(record.situations.all()) if record is not None else []
        if record is not None and not any(kind_key(n) in mapped for n in range(1, SITUATION_COLUMNS + 1)):
            rows = [(s.kind, s.date) for s in stored]
        else:
            rows = [
                (values.get(kind_key(n)), values.get(date_key(n))) for n in range(1, SITUATION_COLUMNS + 1)
            ]
        for index, (kind, day) in enumerate(rows):
            # The n-th row keeps the n-th stored situation (and its recording order).
            data[f"situation-{index}-pk"] = stored[index].pk if index < len(stored) else ""
            data[f"situation-{index}-kind"] = kind or ""
            data[f"situation-{index}-date"] = day or ""
        data["situation-TOTAL_FORMS"] = len(rows)
        data["situation-INITIAL_FORMS"] = 0
        if record is not None:
            data["version"] = record.version
        return data

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        assert isinstance(prepared, Prepared)
        if prepared.record is None:
            record = case_close(
                actor=ctx.actor, case=prepared.case, exit_data=prepared.data, situations=prepared.situations
            )
            return Saved(record, True)
        version = prepared.record.version
        updated = exit_correct(
            actor=ctx.actor,
            record=prepared.record,
            exit_data=prepared.data,
            situations=prepared.situations,
            expected_version=None,
        )
        return Saved(updated, updated.version != version)


def _errors(form: ExitForm) -> list[tuple[str | None, StrOrPromise]]:
    """The form's errors on the columns they concern: a situation row's errors on its pair."""
    errors: list[tuple[str | None, StrOrPromise]] = []
    for name, messages in form.errors.items():
        column = kind_key(1) if name == "__all__" else name
        errors.extend((column, str(message)) for message in messages)
    for index, row in enumerate(form.situations.forms):
        for name, messages in row.errors.items():
            column = date_key(index + 1) if name == "date" else kind_key(index + 1)
            errors.extend((column, str(message)) for message in messages)
    errors.extend((kind_key(1), str(message)) for message in form.situations.non_form_errors())
    return errors


register(Exits())
