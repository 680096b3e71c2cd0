"""The person fields of the question form: what the pre-checks need beyond the status.

Three-state questions (yes / no / not known) so that a pre-check can become definite
without "not known" ever counting as "no".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.network.forms import DateInput
from bruecke.rules.precheck_items import CEFR
from bruecke.rules.precheck_types import PersonFacts

CEFR_CHOICES = [("", _("not known")), ("none", _("no knowledge")), *[(c, c) for c in CEFR[1:]]]
# Values match str(True) / str(False) so that prefilled PersonFacts select the right option.
TRI_STATE_CHOICES = [("", _("not known")), ("True", _("yes")), ("False", _("no"))]
MAX_WEEKLY_HOURS = 80

# (field, label) of the three-state facts, in the order the form shows them.
TRI_STATE_FACTS = [
    ("identity_clarified", _("Identity clarified")),
    ("livelihood_secured", _("Livelihood secured (for § 60d: the last 12 months and ongoing)")),
    ("mainly_self_supporting", _("Livelihood mainly secured by own work (§ 25b)")),
    ("no_convictions", _("No relevant convictions, no extremism, no expulsion order")),
    ("children_in_school", _("School-age children attend school (or there are none)")),
    (
        "qualified_training",
        _("The training is a qualified training (or an assistant training leading into one)"),
    ),
    ("school_3_years", _("3 years of successful school attendance or a German qualification (§ 25a)")),
    ("integration_prognosis", _("Good integration prognosis (§ 25a)")),
    ("no_imminent_measures", _("No concrete measures to end the stay imminent")),
    ("constitution_commitment", _("Commits to the free democratic basic order")),
    (
        "no_identity_deception",
        _("No repeated deception about identity or nationality that prevented removal"),
    ),
]
PERSON_FIELDS = [
    "arrival_date",
    "birth_date",
    "german_level",
    "employed_since",
    "weekly_hours",
    "single_parent",
    "minor_child",
    "identity_clarified",
    "identity_clarified_on",
    *[name for name, _label in TRI_STATE_FACTS[1:]],
]


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput())


def _tri_state(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=TRI_STATE_CHOICES,
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
    )


def person_form_fields() -> dict[str, forms.Field]:
    """The person fields by name (dates are range-checked by the form's clean())."""
    fields: dict[str, forms.Field] = {
        "arrival_date": _date(_("Arrival in Germany")),
        "birth_date": _date(_("Date of birth (for the age limits)")),
        "german_level": forms.ChoiceField(
            label=_("German (CEFR level)"), choices=CEFR_CHOICES, required=False
        ),
        "employed_since": _date(_("Employed subject to social insurance without interruption since")),
        "weekly_hours": forms.IntegerField(
            label=_("Hours per week of the current job"),
            required=False,
            min_value=0,
            max_value=MAX_WEEKLY_HOURS,
        ),
        "single_parent": forms.BooleanField(label=_("single parent"), required=False),
        "minor_child": forms.BooleanField(label=_("lives with a minor child"), required=False),
    }
    fields |= {name: _tri_state(label) for name, label in TRI_STATE_FACTS}
    fields["identity_clarified_on"] = _date(_("Identity clarified on"))
    return {name: fields[name] for name in PERSON_FIELDS}


def person_from(data: dict[str, Any]) -> PersonFacts:
    """PersonFacts from a valid form's cleaned data."""
    return PersonFacts(
        arrival_date=data.get("arrival_date"),
        birth_date=data.get("birth_date"),
        german_level=data.get("german_level") or "",
        employed_since=data.get("employed_since"),
        weekly_hours=data.get("weekly_hours"),
        single_parent=bool(data.get("single_parent")),
        minor_child=bool(data.get("minor_child")),
        identity_clarified_on=data.get("identity_clarified_on"),
        **{name: data.get(name) for name, _label in TRI_STATE_FACTS},
    )


def person_errors(data: dict[str, Any]) -> dict[str, Any]:
    """Cross-field checks of the person fields: {field: message}."""
    errors: dict[str, Any] = {}
    on = data.get("on")
    for name in ("employed_since", "identity_clarified_on", "arrival_date"):
        if on and data.get(name) and data[name] > on:
            errors[name] = _("This date must not be after the reference date.")
    if data.get("identity_clarified_on") and data.get("identity_clarified") is False:
        errors["identity_clarified_on"] = _("A date only goes with an identity that is clarified.")
    born = data.get("birth_date")
    if born and on and born > on:
        errors["birth_date"] = _("This date must not be after the reference date.")
    return errors
