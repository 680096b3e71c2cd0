"""The question form: activity, date and every fact, prefilled from the record, correctable."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bruecke.core.forms import Form
from bruecke.network.forms import DateInput
from bruecke.participants.models import ResidenceStatusType
from bruecke.rules.person_form import PERSON_FIELDS, person_errors, person_form_fields, person_from
from bruecke.rules.prechecks import PersonFacts
from bruecke.rules.priority import OTHER_DISTRICT
from bruecke.rules.ruledata import rule_data
from bruecke.rules.texts import ACTIVITIES, QUESTIONS
from bruecke.rules.types import Activity, AsylumOutcome, Facts, StatusPeriod

HISTORY_ROWS = 3
EARLIEST, LATEST = datetime.date(1950, 1, 1), datetime.date(2100, 1, 1)
BOOLEAN_FACTS = [
    ("reception_centre", _("obliged to live in a reception centre")),
    ("dublin_or_other_state_protection", _("Dublin request made or protection granted in another EU state")),
    ("accelerated_procedure", _("accelerated procedure applied (Art. 42(1) Reg. 2024/1348)")),
    ("rejected_manifestly_unfounded", _("application rejected as manifestly unfounded or inadmissible")),
    ("permitted_during_procedure", _("employment was permitted during the asylum procedure")),
    ("identity_by_passport", _("identity clarified by a valid passport")),
    ("protected_in_other_state", _("recognised as refugee / subsidiary protection in another state")),
    ("withdrawn_after_legal_information", _("application withdrawn after legal information (§ 12b AsylG)")),
    ("unaccompanied_minor", _("unaccompanied minor")),
    (
        "training_started_during_procedure",
        _("vocational training began with permission during the asylum procedure"),
    ),
    ("with_minor_children", _("lives with minor children (reception-centre obligation)")),
]
# Yes / no facts have a third state: not known (the answer then shows both answers
# where the fact would change it).
TRI_STATE_CHOICES = [("", _("not known")), ("yes", _("yes")), ("no", _("no"))]
TRI_STATE_VALUES = {"yes": True, "no": False}
ASYLUM_OUTCOMES = [
    (AsylumOutcome.NONE, _("never applied")),
    (AsylumOutcome.PENDING, _("pending")),
    (AsylumOutcome.REJECTED, _("rejected")),
    (AsylumOutcome.WITHDRAWN, _("withdrawn")),
    (AsylumOutcome.GRANTED, _("protection granted")),
]
JUDGEMENT_CHOICES = [("", _("open question")), ("yes", _("yes")), ("no", _("no"))]


def work_permission_days() -> list[datetime.date]:
    return rule_data().work_permission_days()


def _nationalities() -> list[tuple[str, Any]]:
    return [("", _("not known")), *countries]


def _districts() -> list[tuple[str, Any]]:
    checked = [(d.code, d.label) for d in rule_data().districts.checked]
    return [("", _("not known")), (OTHER_DISTRICT, _("another district (listed in the annex)")), *checked]


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _tri_state(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class QuestionForm(Form):
    activity = forms.ChoiceField(label=_("Activity"), choices=[(a.value, ACTIVITIES[a]) for a in Activity])
    on = _date(_("Take up on"), required=True)
    status = forms.ChoiceField(label=_("Residence status on that day"), choices=ResidenceStatusType.choices)
    status_since = _date(_("Status held since"), required=True)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=_nationalities)
    stay_since = _date(_("Uninterrupted permitted, tolerated or gestattet stay since"))
    asylum_applied_on = _date(_("Asylum application on"))
    asylum_registered_on = _date(_("Asylum application registered on"))
    asylum_outcome = forms.ChoiceField(label=_("Asylum procedure"), choices=ASYLUM_OUTCOMES)
    workplace_district = forms.ChoiceField(
        label=_("Employment agency district of the workplace (priority check 6 Aug 2016 – 5 Aug 2019)"),
        help_text=_("For temporary agency work: the district of the hiring company."),
        required=False,
        choices=_districts,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in BOOLEAN_FACTS:
            self.fields[name] = forms.ChoiceField(label=label, choices=TRI_STATE_CHOICES, required=False)
        self.fields["training_started_on"] = _date(_("Vocational training began on"))
        for row in range(HISTORY_ROWS):
            number = row + 1
            self.fields[f"h{row}_status"] = forms.ChoiceField(
                label=_("Earlier status %(n)s") % {"n": number},
                choices=[("", "–"), *ResidenceStatusType.choices],
                required=False,
            )
            self.fields[f"h{row}_start"] = _date(_("Earlier status %(n)s from") % {"n": number})
            self.fields[f"h{row}_end"] = _date(_("Earlier status %(n)s until") % {"n": number})
        self._person_fields()
        for day in work_permission_days():
            self.fields[f"wp_{day:%Y%m%d}"] = forms.BooleanField(
                label=_("held a work permission on %(date)s (grandfathering)") % {"date": f"{day:%d.%m.%Y}"},
                required=False,
            )
        for code, question in QUESTIONS.items():
            self.fields[f"j_{code}"] = forms.ChoiceField(
                label=question, choices=JUDGEMENT_CHOICES, required=False
            )

    def _person_fields(self) -> None:
        self.fields |= person_form_fields()  # bruecke/rules/person_form.py

    def person(self) -> PersonFacts:
        return person_from(self.cleaned_data)

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PERSON_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = rule_data().coverage_start
        for name, field in self.fields.items():
            value = data.get(name)
            if isinstance(field, forms.DateField) and value and not (EARLIEST <= value < LATEST):
                self.add_error(name, _("Please enter a date between 1950 and 2099."))
        if data.get("on") and data["on"] < start:
            self.add_error("on", _("The rule data begin on %(date)s.") % {"date": start.strftime("%d.%m.%Y")})
        for name, message in person_errors(data).items():
            if name not in self.errors:
                self.add_error(name, message)
        for row in range(HISTORY_ROWS):
            if data.get(f"h{row}_status") and not data.get(f"h{row}_start"):
                self.add_error(f"h{row}_start", _("Please enter when this status began."))
            begin, end = data.get(f"h{row}_start"), data.get(f"h{row}_end")
            if begin and end and end < begin:
                self.add_error(f"h{row}_end", _("The end must not be before the beginning."))
        return data

    def facts(self) -> Facts:
        data = self.cleaned_data
        history = tuple(
            StatusPeriod(status=data[f"h{row}_status"], start=data[f"h{row}_start"], end=data[f"h{row}_end"])
            for row in range(HISTORY_ROWS)
            if data.get(f"h{row}_status")
        )
        judgements = {
            code: data[f"j_{code}"] == "yes" for code in QUESTIONS if data.get(f"j_{code}") in ("yes", "no")
        }
        return Facts(
            status=data["status"],
            status_since=data["status_since"],
            nationality=data.get("nationality") or "",
            stay_since=data.get("stay_since"),
            asylum_applied_on=data.get("asylum_applied_on"),
            asylum_registered_on=data.get("asylum_registered_on"),
            asylum_outcome=AsylumOutcome(data["asylum_outcome"]),
            workplace_district=data.get("workplace_district") or "",
            history=history,
            judgements=judgements,
            work_permission_on=tuple(d for d in work_permission_days() if data.get(f"wp_{d:%Y%m%d}")),
            training_started_on=data.get("training_started_on"),
            **{name: TRI_STATE_VALUES.get(data.get(name) or "") for name, _label in BOOLEAN_FACTS},
        )

    @staticmethod
    def initial_from(facts: Facts, activity: Activity, on: datetime.date) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "activity": activity.value,
            "on": on,
            "status": facts.status,
            "status_since": facts.status_since,
            "nationality": facts.nationality,
            "stay_since": facts.stay_since,
            "asylum_applied_on": facts.asylum_applied_on,
            "asylum_registered_on": facts.asylum_registered_on,
            "asylum_outcome": facts.asylum_outcome.value,
            "workplace_district": facts.workplace_district,
        }
        initial |= {name: _tri_state(getattr(facts, name)) for name, _label in BOOLEAN_FACTS}
        initial["training_started_on"] = facts.training_started_on
        initial |= {f"wp_{day:%Y%m%d}": True for day in facts.work_permission_on}
        for row, period in enumerate(facts.history[-HISTORY_ROWS:]):
            initial |= {
                f"h{row}_status": period.status,
                f"h{row}_start": period.start,
                f"h{row}_end": period.end,
            }
        return initial

    def judgement_fields(self, codes: list[str]) -> list[forms.BoundField]:
        return [self[f"j_{code}"] for code in codes]

    def fact_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith(("j_", "activity", "on")) and name not in PERSON_FIELDS
        ]
