"""Cases with their staff: opened by the case-opening form and service, changed by the
case-edit form and service; a pause and its end go through the pause services. Closing
a case needs its exit questionnaire: that is the exits import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.forms import BaseForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.cases.forms.case_edit import CaseEditForm
from bruecke.cases.forms.cases import CaseForm
from bruecke.cases.models import Case, CaseStatus
from bruecke.cases.services.case_edit import case_pause, case_resume, case_update
from bruecke.cases.services.cases import case_open
from bruecke.core.access import Perm
from bruecke.core.views_helpers import model_data
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved, Value, form_errors
from bruecke.spreadsheets.entities.casework import (
    PARTICIPANT,
    participant_column,
    participant_of_row,
    staff_id,
    team_id,
)
from bruecke.spreadsheets.formbacked import mapped_columns
from bruecke.spreadsheets.registry import register

STATUS = "status"
_STATUS_WORDS = {
    "aktiv": CaseStatus.ACTIVE,
    "offen": CaseStatus.ACTIVE,
    "laufend": CaseStatus.ACTIVE,
    "pausiert": CaseStatus.PAUSED,
    "ruhend": CaseStatus.PAUSED,
    "abgeschlossen": CaseStatus.CLOSED,
    "beendet": CaseStatus.CLOSED,
    "geschlossen": CaseStatus.CLOSED,
}
STAFF_HELP = gettext_lazy("The staff member's e-mail address or user name in Brücke.")


@dataclass(frozen=True)
class Prepared:
    form: BaseForm
    case: Case | None
    status: str | None
    pause_reason: str


class Cases(Entity):
    key = "cases"
    label = gettext_lazy("cases")
    model = Case
    permission = Perm.EDIT_PARTICIPANTS
    order = 30
    description = gettext_lazy("The cases of your participants with their case manager and team.")
    columns = (
        participant_column(),
        Column(
            "opened_on",
            gettext_lazy("opened on"),
            kind="date",
            required=True,
            aliases=("eröffnet am", "Beginn", "Fallbeginn", "Eintritt", "Beratungsbeginn"),
        ),
        Column(
            "case_manager",
            gettext_lazy("case manager"),
            required=True,
            max_length=254,
            aliases=("Fallmanager", "Fallmanagerin", "Berater", "Beraterin", "Beratung", "zuständig"),
            help=STAFF_HELP,
        ),
        Column(
            "placement_officer",
            gettext_lazy("placement officer"),
            max_length=254,
            aliases=("Vermittler", "Vermittlerin", "Jobcoach", "Vermittlung"),
            help=STAFF_HELP,
        ),
        Column("team", gettext_lazy("team"), max_length=200, aliases=("Team", "Standort")),
        Column(
            STATUS,
            gettext_lazy("status"),
            kind="choice",
            choices=lambda: CaseStatus.choices,
            synonyms=lambda: _STATUS_WORDS,
            aliases=("Fallstatus", "Stand"),
            help=gettext_lazy("A case is closed by importing its exit (table “exits”)."),
        ),
        Column(
            "pause_reason",
            gettext_lazy("reason for the pause"),
            max_length=300,
            aliases=("Grund der Pause", "Pausengrund"),
        ),
    )

    def prepare(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> Prepared:
        mapped = mapped_columns(ctx)
        status = values.get(STATUS) if STATUS in mapped or existing is None else None
        if existing is not None:
            assert isinstance(existing, Case)
            return self._prepare_update(ctx, values, existing, status, mapped)
        participant = participant_of_row(ctx, str(values[PARTICIPANT]))
        if status == CaseStatus.CLOSED:
            raise RowInvalid(
                [(STATUS, _("A case is closed with its exit: please import it in the table “exits”."))]
            )
        open_here: set[int] = ctx.cache.setdefault("cases:opened", set())
        if participant.pk in open_here:
            raise RowInvalid([(PARTICIPANT, _("This participant already has an open case here."))])
        form = CaseForm(
            data=self._staff_data(ctx, values, set(mapped) | _all_columns()),
            participant=participant,
            user=ctx.actor,
        )
        if not form.is_valid():
            raise form_errors(form)
        self._check_pause(values, status)
        open_here.add(participant.pk)
        return Prepared(form, None, status, str(values.get("pause_reason") or ""))

    def _prepare_update(
        self, ctx: ImportContext, values: dict[str, Value], case: Case, status: Any, mapped: set[str]
    ) -> Prepared:
        participant = participant_of_row(ctx, str(values[PARTICIPANT]))
        if participant.pk != case.participant_id:
            raise RowInvalid(
                [(PARTICIPANT, _("This external id was imported for another participant before."))]
            )
        if "opened_on" in mapped and values.get("opened_on") != case.opened_on:
            raise RowInvalid([("opened_on", _("The opening date of a case cannot be changed."))])
        if case.status == CaseStatus.CLOSED:
            if status in (None, CaseStatus.CLOSED) and not self._staff_changed(ctx, values, case, mapped):
                return Prepared(CaseEditForm(instance=case), case, None, "")
            raise RowInvalid([(None, _("A closed case cannot be changed."))])
        if status == CaseStatus.CLOSED:
            raise RowInvalid(
                [(STATUS, _("A case is closed with its exit: please import it in the table “exits”."))]
            )
        data = {
            "case_manager": case.case_manager_id,
            "placement_officer": case.placement_officer_id or "",
            "team": case.team_id or "",
            "office": case.office_id or "",
            "version": case.version,
            **self._staff_data(ctx, values, mapped),
        }
        form = CaseEditForm(data=data, instance=case)
        if not form.is_valid():
            raise form_errors(form)
        self._check_pause(values, status)
        return Prepared(form, case, status, str(values.get("pause_reason") or ""))

    def _staff_changed(
        self, ctx: ImportContext, values: dict[str, Value], case: Case, mapped: set[str]
    ) -> bool:
        data = self._staff_data(ctx, values, mapped)
        current = {
            "case_manager": case.case_manager_id,
            "placement_officer": case.placement_officer_id,
            "team": case.team_id,
        }
        return any((data[name] or None) != current[name] for name in data if name in current)

    def _staff_data(self, ctx: ImportContext, values: dict[str, Value], mapped: set[str]) -> dict[str, Any]:
        """Staff and team by name as the form's choices (ids); only the columns the file has."""
        data: dict[str, Any] = {}
        if "case_manager" in mapped:
            data["case_manager"] = staff_id(ctx, "case_manager", _text(values, "case_manager"))
        if "placement_officer" in mapped:
            data["placement_officer"] = (
                staff_id(ctx, "placement_officer", _text(values, "placement_officer")) or ""
            )
        if "team" in mapped:
            data["team"] = team_id(ctx, "team", _text(values, "team")) or ""
        if "opened_on" in mapped:
            data["opened_on"] = values.get("opened_on") or ""
        return data

    def _check_pause(self, values: dict[str, Value], status: Any) -> None:
        if status == CaseStatus.PAUSED and not values.get("pause_reason"):
            raise RowInvalid([("pause_reason", _("Please give the reason for the pause."))])

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        assert isinstance(prepared, Prepared)
        if prepared.case is None:
            assert isinstance(prepared.form, CaseForm)
            case = case_open(actor=ctx.actor, case=prepared.form.instance)
            return Saved(self._apply_status(ctx, case, prepared), True)
        case = prepared.case
        if case.status == CaseStatus.CLOSED:
            return Saved(case, False)
        version = case.version
        updated = case_update(
            actor=ctx.actor, case=case, data=model_data(prepared.form), expected_version=None
        )
        updated = self._apply_status(ctx, updated, prepared)
        return Saved(updated, updated.version != version)

    def _apply_status(self, ctx: ImportContext, case: Case, prepared: Prepared) -> Case:
        if prepared.status == CaseStatus.PAUSED and case.status == CaseStatus.ACTIVE:
            return case_pause(actor=ctx.actor, case=case, reason=prepared.pause_reason, expected_version=None)
        if prepared.status == CaseStatus.ACTIVE and case.status == CaseStatus.PAUSED:
            return case_resume(actor=ctx.actor, case=case, expected_version=None)
        return case


def _all_columns() -> set[str]:
    return {"case_manager", "placement_officer", "team", "opened_on"}


def _text(values: dict[str, Value], key: str) -> str | None:
    value = values.get(key)
    return str(value) if value else None


register(Cases())
