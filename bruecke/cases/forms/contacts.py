"""The quick contact form on the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import Case, Contact, ContactTopic
from bruecke.core.forms import ModelForm
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.network.models import MobileSite


class ContactForm(SubmitOnceMixin, ModelForm):
    """The quick form on the case page: date, duration, channel and topics are enough."""

    topics = forms.ModelMultipleChoiceField(
        label=_("topics"),
        queryset=ContactTopic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )

    class Meta:
        model = Contact
        fields = [
            "date",
            "duration_minutes",
            "channel",
            "site",
            "interpreter",
            "interpreter_language",
            "topics",
            "note",
            "confidential",
        ]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.case = case
        fields: dict[str, Any] = self.fields
        fields["site"].queryset = MobileSite.objects.filter(
            network_id=case.organisation.network_id, is_active=True
        )
        fields["duration_minutes"].initial = 30
