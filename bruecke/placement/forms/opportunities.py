"""Forms for opportunities, their status, and the filters of the opportunity list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.placement.forms.fields import OccupationField
from bruecke.placement.kldb import RequirementLevel, requirement_level
from bruecke.placement.models import (
    Employer,
    EmployerContact,
    EmployerSite,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)

OPPORTUNITY_FIELDS = [
    "title",
    "kind",
    "internship_kind",
    "occupation",
    "site",
    "contact",
    "working_time",
    "hours_per_week",
    "shifts",
    "vocational_school",
    "german_level",
    "qualifications",
    "driving_licence",
    "description",
    "start_date",
    "end_date",
    "places",
    "expires_on",
]


class OpportunityForm(SubmitOnceMixin, ModelForm):
    occupation = OccupationField(
        help_text=_("5 digits; the fifth is the requirement level (1 helper … 4 expert). Example: 29301.")
    )

    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "expires_on": DateInput(),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "internship_kind": _("Only for internships."),
            "vocational_school": _("Only for apprenticeships."),
            "hours_per_week": _("For jobs: the agreed weekly hours."),
            "expires_on": _("After this date the list marks the opportunity as expired."),
        }

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.employer = employer
        self.instance.organisation_id = employer.organisation_id
        self.instance.network_id = employer.organisation.network_id
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = EmployerSite.objects.filter(employer=employer, is_active=True)
        contact = self.fields["contact"]
        assert isinstance(contact, forms.ModelChoiceField)
        contact.queryset = EmployerContact.objects.filter(employer=employer, is_active=True)
        self.fields["places"].min_value = 1  # type: ignore[attr-defined]
        occupation = self.instance.occupation if self.instance.occupation_id else None
        if occupation is not None:
            level = requirement_level(occupation.code)
            text = _("Now: %(code)s %(title)s (%(level)s).") % {
                "code": occupation.code,
                "title": occupation.title,
                "level": RequirementLevel(level).label if level else "–",
            }
            # The bound field was made (and its help text copied) by a mixin already.
            self.fields["occupation"].help_text = self["occupation"].help_text = text
        if self.instance.pk is not None and self.instance.status == OpportunityStatus.DRAFT:
            self.fields["occupation"].required = False  # a submitted draft may lack the code


class OpportunityEditForm(VersionedFormMixin, OpportunityForm):
    pass


class StatusForm(VersionedFormMixin, Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Needed when the opportunity is filled or closed."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


OWNERSHIP = [("", _("all")), ("own", _("own organisation")), ("shared", _("shared by partners"))]


class OpportunityFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all")), *OpportunityKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("all", _("all")), *OpportunityStatus.choices]
    )
    occupation = forms.CharField(
        label=_("Occupation"),
        required=False,
        max_length=100,
        help_text=_("Start of the KldB code (e.g. 293) or a word of the title."),
    )
    town = forms.CharField(label=_("Town"), required=False, max_length=100)
    employer = forms.CharField(label=_("Employer"), required=False, max_length=100)
    start_from = forms.DateField(label=_("Start from"), required=False, widget=DateInput())
    start_until = forms.DateField(label=_("Start until"), required=False, widget=DateInput())
    owner = forms.ChoiceField(label=_("Whose opportunities"), required=False, choices=OWNERSHIP)
