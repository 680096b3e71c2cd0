"""The ESF entry questionnaire form: sections, variant-dependent questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.boundfield import BoundField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.esf.models import (
    ESF_2014_FIELDS,
    NATIONALITY_UNCLEAR,
    SENSITIVE_FIELDS,
    STATELESS,
    Answer,
    EntryRecord,
    IscedLevel,
    LabourMarketStatus,
    SchoolQualification,
    VocationalQualification,
    citizenship_codes,
)
from bruecke.network.forms import DateInput
from bruecke.projects.models import EsfVariant

COUNTRY_CODES = frozenset(code for code, _name in countries) | {STATELESS, NATIONALITY_UNCLEAR}

FIELDSETS: list[tuple[Promise, list[str]]] = [
    (
        _("Labour-market status at entry"),
        ["lm_status_entry", "registered_unemployed_since", "in_education_training"],
    ),
    (_("Education"), ["isced_level", "school_qualification_de", "vocational_qualification_de"]),
    (
        _("Sensitive questions (the person may refuse to answer)"),
        [*SENSITIVE_FIELDS[:1], "disability_details", *SENSITIVE_FIELDS[1:], "sensitive_asked_on"],
    ),
    (
        _("Household (ESF 2014–2020 only)"),
        ["household_jobless", "household_single_adult", "household_dependent_children"],
    ),
    (_("Citizenships and place of residence"), ["further_citizenships", "rural_area"]),
]
# Form-only fields (not model fields), shown in the section named here.
EXTRA_FIELDS = frozenset({"further_citizenships"})


CHOICE_FIELDS: dict[str, type[models.Choices]] = {
    "lm_status_entry": LabourMarketStatus,
    "isced_level": IscedLevel,
    "school_qualification_de": SchoolQualification,
    "vocational_qualification_de": VocationalQualification,
}


class EntryRecordForm(VersionedFormMixin, ModelForm):  # stubs type `initial` differently
    class Meta:
        model = EntryRecord
        fields = [name for _legend, names in FIELDSETS for name in names if name not in EXTRA_FIELDS]
        widgets = {
            "registered_unemployed_since": DateInput(),
            "sensitive_asked_on": DateInput(),
            "disability_details": forms.Textarea(attrs={"rows": 3, "maxlength": "2000"}),
        }

    further_citizenships = forms.CharField(
        label=_("further citizenships"),
        required=False,
        max_length=60,
        help_text=_(
            "Citizenships held at entry besides the nationality recorded for the person, as "
            'two-letter country codes separated by spaces (e.g. "DE SY"); XX = stateless.'
        ),
    )

    def __init__(self, *args: Any, variant: str = EsfVariant.ESF_PLUS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["further_citizenships"].initial = " ".join(
                citizenship_codes(self.instance.citizenships)[1:]
            )
        self.variant = variant
        if variant != EsfVariant.ESF_2014:
            for name in ESF_2014_FIELDS:
                del self.fields[name]
        for name in SENSITIVE_FIELDS:
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("not asked yet")), *Answer.choices]
        for name, choices in CHOICE_FIELDS.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("not recorded")), *choices.choices]

    def clean_further_citizenships(self) -> str:
        """Only known country codes (and XX stateless, XU undetermined) are accepted."""
        codes = citizenship_codes(self.cleaned_data.get("further_citizenships") or "")
        unknown = [code for code in codes if code not in COUNTRY_CODES]
        if unknown:
            raise forms.ValidationError(
                _("Not a country code: %(codes)s. Please use two-letter codes such as DE or SY.")
                % {"codes": ", ".join(unknown)}
            )
        return " ".join(codes)

    def fieldsets(self) -> list[tuple[Promise, list[BoundField]]]:
        """The sections with the fields this variant asks (empty sections left out)."""
        sections = []
        for legend, names in FIELDSETS:
            present = [self[name] for name in names if name in self.fields]
            if present:
                sections.append((legend, present))
        return sections
