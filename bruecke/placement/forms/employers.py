"""Forms for employers, their sites, contact persons and contacts with them, and the
filters of the employer list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.placement.models import (
    CooperationStatus,
    Employer,
    EmployerActivity,
    EmployerContact,
    EmployerSite,
    Sector,
)

EMPLOYER_FIELDS = [
    "name",
    "sector",
    "size_band",
    "cooperation_status",
    "open_to_refugees",
    "language_needs",
    "training_licence",
    "notes",
    "website",
    "shared_with_network",
]


class HttpsURLField(forms.URLField):
    """A web address; one typed without a scheme is read as https."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class EmployerForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = Employer
        fields = EMPLOYER_FIELDS
        field_classes = {"website": HttpsURLField}
        widgets = {
            "open_to_refugees": forms.Textarea(attrs={"rows": 3}),
            "language_needs": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "open_to_refugees": _("For example: experience with refugees, support offered, reservations."),
            "language_needs": _("Which German the work needs, for example for safety instructions."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["cooperation_status"]  # a new employer starts as a prospect


class EmployerEditForm(VersionedFormMixin, ModelForm):
    class Meta(EmployerForm.Meta):
        pass


class SiteForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = EmployerSite
        fields = ["name", "street", "postcode", "town", "latitude", "longitude"]
        help_texts = {
            "latitude": _("Leave both coordinates empty to take those of the postcode or town."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["latitude"].required = False
        self.fields["longitude"].required = False

    def _post_clean(self) -> None:
        # The service fills empty coordinates before the model is validated.
        saved = dict(self.cleaned_data)
        super()._post_clean()  # type: ignore[misc]
        for name in ("latitude", "longitude"):
            if saved.get(name) is None and name in self.errors:
                del self.errors[name]


class SiteEditForm(VersionedFormMixin, SiteForm):
    class Meta(SiteForm.Meta):
        fields = [*SiteForm.Meta.fields, "is_active"]
        help_texts = {
            **SiteForm.Meta.help_texts,
            "is_active": _("An inactive site is kept for the history but offered for no new opportunity."),
        }


class ContactForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = EmployerContact
        fields = ["name", "function", "phone", "email"]


class ContactEditForm(VersionedFormMixin, ContactForm):
    class Meta(ContactForm.Meta):
        fields = [*ContactForm.Meta.fields, "is_active"]


class ActivityForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = EmployerActivity
        fields = ["date", "kind", "contact", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.employer = employer
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = EmployerContact.objects.filter(employer=employer, is_active=True)


OWNERSHIP = [("", _("all")), ("own", _("own organisation")), ("shared", _("shared by partners"))]


class EmployerFilterForm(Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("all")), *Sector.choices])
    status = forms.ChoiceField(
        label=_("Cooperation status"), required=False, choices=[("", _("all")), *CooperationStatus.choices]
    )
    owner = forms.ChoiceField(label=_("Whose employers"), required=False, choices=OWNERSHIP)
    weeks = forms.IntegerField(
        label=_("Not contacted for at least … weeks"), required=False, min_value=1, max_value=520
    )
