"""Forms of the language and recognition pathways."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.offers.models import LanguageAssessment, RecognitionProcedure
from bruecke.placement.forms.fields import OccupationField


class AssessmentFields(ModelForm):
    """A German level on a date. The level is a choice of A1–C2: anything else ("D1",
    "B3", "none") is refused next to the field."""

    class Meta:
        model = LanguageAssessment
        fields = ["level", "assessed_on", "basis", "exam_name", "note"]
        widgets = {"assessed_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "level": {
                "invalid_choice": _("Please choose a CEFR level from A1 to C2."),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No "-----" entry: every assessment states a level.
        self.fields["level"].choices = LanguageAssessment._meta.get_field("level").choices  # type: ignore[attr-defined]


class AssessmentForm(SubmitOnceMixin, AssessmentFields):
    pass


class AssessmentEditForm(VersionedFormMixin, AssessmentFields):  # stubs type `initial` differently
    pass


class RecognitionFields(ModelForm):
    reference_occupation = OccupationField(
        required=False,
        label=_("German reference occupation (KldB 2010 code)"),
        help_text=_("The code of the reference occupation, for matching and figures."),
    )
    costs = forms.DecimalField(
        label=_("costs (EUR)"),
        required=False,
        localize=True,
        min_value=Decimal("0"),
        max_value=Decimal("1000000"),
        max_digits=9,
        decimal_places=2,
        help_text=_("Fees, translations and certifications, for example 600,00."),
    )

    class Meta:
        model = RecognitionProcedure
        fields = [
            "qualification",
            "country",
            "reference_occupation_text",
            "reference_occupation",
            "authority",
            "applied_on",
            "decision",
            "decided_on",
            "compensation",
            "compensation_text",
            "costs",
            "funded_by",
            "note",
        ]
        widgets = {
            "applied_on": DateInput(),
            "decided_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class RecognitionForm(SubmitOnceMixin, RecognitionFields):
    pass


class RecognitionEditForm(VersionedFormMixin, RecognitionFields):  # stubs type `initial` differently
    pass
