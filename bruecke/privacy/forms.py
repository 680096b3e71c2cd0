"""The breach form: dates in German notation, the kinds of data as check boxes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.network.models import Organisation
from bruecke.privacy.models import Breach, DataCategory


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d.%m.%Y %H:%M", attrs={"placeholder": "TT.MM.JJJJ HH:MM"}, **kwargs)


FIELDS = [
    "detected_at",
    "occurred_from",
    "occurred_until",
    "title",
    "description",
    "categories",
    "persons_affected",
    "consequences",
    "measures",
    "risk",
    "authority_notified_at",
    "authority_reference",
    "notification_reason",
    "persons_informed_on",
    "persons_not_informed_reason",
    "status",
]
WIDGETS = {
    "detected_at": DateTimeInput(),
    "authority_notified_at": DateTimeInput(),
    "occurred_from": DateInput(),
    "occurred_until": DateInput(),
    "persons_informed_on": DateInput(),
    "description": forms.Textarea(attrs={"rows": 5}),
    "consequences": forms.Textarea(attrs={"rows": 3}),
    "measures": forms.Textarea(attrs={"rows": 3}),
    "notification_reason": forms.Textarea(attrs={"rows": 3}),
    "persons_not_informed_reason": forms.Textarea(attrs={"rows": 3}),
}


def _categories() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Kinds of data concerned"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class BreachForm(SubmitOnceMixin, ModelForm):
    categories = _categories()

    class Meta:
        model = Breach
        fields = ["organisation", *FIELDS]
        widgets = WIDGETS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        registers = Organisation.objects.filter(
            pk__in=sorted(access.organisation_ids(user, Perm.MANAGE_BREACHES))
        ).order_by("name")
        if len(registers) == 1:  # the usual case: one register, nothing to choose
            del self.fields["organisation"]
            self.instance.organisation = registers[0]
        else:
            organisation = self.fields["organisation"]
            assert isinstance(organisation, forms.ModelChoiceField)
            organisation.label = _("organisation")
            organisation.queryset = registers


class BreachEditForm(VersionedFormMixin, ModelForm):  # stubs type `initial` differently
    categories = _categories()

    class Meta:
        model = Breach
        fields = FIELDS
        widgets = WIDGETS
