"""Forms for providers, measures and start dates, and the filters of the catalogue lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.network.models import Organisation
from bruecke.offers.models import Measure, MeasureKind, MeasureStart, Provider, ProviderKind
from bruecke.placement.forms.employers import HttpsURLField

CONFIRM_FIELD = "confirm_different"


class DuplicateConfirmMixin:
    """A checkbox "this is a different one", added only after the service warned of a
    duplicate (or when the form comes back with it), so a first entry never skips the check."""

    fields: dict[str, forms.Field]
    data: Any
    confirm_label: Any = _("Yes, this is a different entry")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list[Model] = []
        if CONFIRM_FIELD in self.data:
            self._add_confirm_field()

    def _add_confirm_field(self) -> None:
        self.fields[CONFIRM_FIELD] = forms.BooleanField(label=self.confirm_label, required=False)

    def show_duplicates(self, existing: Sequence[Model]) -> None:
        self.duplicates = list(existing)
        if CONFIRM_FIELD not in self.fields:
            self._add_confirm_field()

    @property
    def confirmed_different(self) -> bool:
        cleaned: dict[str, Any] = getattr(self, "cleaned_data", {})
        return bool(cleaned.get(CONFIRM_FIELD))


PROVIDER_FIELDS = [
    "kind",
    "name",
    "partner",
    "street",
    "postcode",
    "town",
    "phone",
    "email",
    "website",
    "note",
]


class ProviderForm(DuplicateConfirmMixin, SubmitOnceMixin, ModelForm):
    confirm_label = _("Yes, this is a different provider")

    class Meta:
        model = Provider
        fields = PROVIDER_FIELDS
        field_classes = {"website": HttpsURLField}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "partner": _("Only when the provider is a partner of your network that works with Brücke."),
        }

    def __init__(self, *args: Any, network_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(network_id=network_id, is_active=True).order_by("name")


class ProviderEditForm(VersionedFormMixin, ProviderForm):
    class Meta(ProviderForm.Meta):
        fields = [*PROVIDER_FIELDS, "is_active"]


MEASURE_FIELDS = [
    "provider",
    "kind",
    "title",
    "target_level",
    "description",
    "places",
    "languages",
    "capacity",
    "contact_name",
    "contact_phone",
    "contact_email",
]


class MeasureForm(DuplicateConfirmMixin, SubmitOnceMixin, ModelForm):
    confirm_label = _("Yes, this is a different measure")

    class Meta:
        model = Measure
        fields = MEASURE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "target_level": _("Required for a job-related language course; only language courses have one."),
            "capacity": _("Between 1 and 10,000."),
        }

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = providers


class MeasureEditForm(VersionedFormMixin, MeasureForm):
    class Meta(MeasureForm.Meta):
        fields = [*MEASURE_FIELDS, "is_active"]
        help_texts = {
            **MeasureForm.Meta.help_texts,
            "is_active": _("An inactive measure stays with its referrals but is offered for no new one."),
        }


class MeasureStartForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = MeasureStart
        fields = ["starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.measure = measure

    def validate_unique(self) -> None:
        pass  # the service says it in words next to the date


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("all")), *choices]


class MeasureFilterForm(Form):
    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type of measure"), required=False, choices=_all(MeasureKind.choices))
    provider_kind = forms.ChoiceField(
        label=_("Kind of provider"), required=False, choices=_all(ProviderKind.choices)
    )
    town = forms.CharField(label=_("Town or place"), required=False, max_length=100)
    language = forms.CharField(label=_("Language"), required=False, max_length=100)
    inactive = forms.BooleanField(label=_("Show inactive measures too"), required=False)


class ProviderFilterForm(Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind of provider"), required=False, choices=_all(ProviderKind.choices))
    town = forms.CharField(label=_("Town"), required=False, max_length=100)
    inactive = forms.BooleanField(label=_("Show inactive providers too"), required=False)
