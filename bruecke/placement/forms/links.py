"""Forms of the employer links: sending a link, the employer's public form, publishing a draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.network.forms import DateInput
from bruecke.placement.forms.fields import OccupationField
from bruecke.placement.models import (
    Employer,
    EmployerContact,
    EmployerSite,
    GermanLevel,
    InternshipKind,
    Opportunity,
    OpportunityKind,
    WorkingTime,
)
from bruecke.placement.models.opportunities import MAX_PLACES


class LinkCreateForm(Form):
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=EmployerContact.objects.none(),
        required=False,
        help_text=_("Whom the link is for; their details are filled in on the form."),
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = EmployerContact.objects.filter(employer=employer, is_active=True)


class SubmissionForm(Form):
    """What an employer contact fills in on a phone: one column, nothing about participants."""

    title = forms.CharField(label=_("Job title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of offer"), choices=OpportunityKind.choices)
    internship_kind = forms.ChoiceField(
        label=_("Kind of internship"),
        choices=[("", "—"), *InternshipKind.choices],
        required=False,
        help_text=_("Only for internships."),
    )
    occupation_words = forms.CharField(
        label=_("Occupation"),
        max_length=200,
        help_text=_("In your words, for example “cook” or “warehouse helper”."),
    )
    working_time = forms.ChoiceField(label=_("Working time"), choices=WorkingTime.choices)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), required=False, min_value=1, max_value=60, max_digits=4, decimal_places=1
    )
    shifts = forms.BooleanField(label=_("Shift work"), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    places = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=MAX_PLACES, initial=1)
    german_level = forms.ChoiceField(label=_("German needed"), choices=GermanLevel.choices, required=False)
    town = forms.CharField(label=_("Place of work (town)"), max_length=100)
    description = forms.CharField(
        label=_("Further details"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    contact_email = forms.EmailField(label=_("Your e-mail address"), required=False)

    def __init__(self, *args: Any, contact: EmployerContact | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contact is not None:
            self.initial.setdefault("contact_name", contact.name)
            self.initial.setdefault("contact_phone", contact.phone)
            self.initial.setdefault("contact_email", contact.email)
        for name in ("title", "occupation_words", "town", "contact_name"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def clean_start_date(self) -> Any:
        start = self.cleaned_data["start_date"]
        if start < timezone.localdate():
            raise forms.ValidationError(_("The start date cannot be in the past."))
        return start

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("contact_phone")
            and not cleaned.get("contact_email")
            and not self.has_error("contact_email")
        ):
            self.add_error("contact_phone", _("Please give a phone number or an e-mail address."))
        return cleaned


class DraftPublishForm(VersionedFormMixin, ModelForm):
    """The placement officer completes an employer's draft (above all the KldB code) and
    publishes it; validated like every open opportunity."""

    occupation = OccupationField()

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "kind",
            "internship_kind",
            "occupation",
            "site",
            "working_time",
            "hours_per_week",
            "shifts",
            "german_level",
            "qualifications",
            "driving_licence",
            "description",
            "start_date",
            "end_date",
            "places",
            "expires_on",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "expires_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = EmployerSite.objects.filter(employer_id=self.instance.employer_id, is_active=True)
        site.required = site.queryset.exists()  # matching needs the site's coordinates
