"""Forms of the school pathway. The model's clean() checks the school-age rule, so a
missing reason for a participant above school age is shown next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import Case
from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.offers.models import SchoolRecord, TransitionRecord
from bruecke.offers.services.school import TRANSITION_FIELDS

SCHOOL_FIELDS = (
    "status",
    "status_on",
    "school_name",
    "school_type",
    "grade",
    "language_support",
    "expected_certificate",
    "expected_leaving_on",
    "above_age_reason",
)


class SchoolRecordForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = SchoolRecord
        fields = list(SCHOOL_FIELDS)
        widgets = {
            "status_on": DateInput(),
            "expected_leaving_on": DateInput(),
            "above_age_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "status_on": _(
                "Since when the participant is not enrolled, the enrolment was requested, or is enrolled."
            ),
            "grade": _("1 to 13."),
            "above_age_reason": _("Only needed when the participant is above school age on the date above."),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The participant is known before validation: the model checks the school-age rule.
        self.instance.case = case
        self.instance.participant = case.participant
        self.instance.organisation_id = case.organisation_id
        self.instance.team_id = case.team_id
        grade = self.fields["grade"]
        grade.widget.attrs.update({"min": 1, "max": 13})


class SchoolRecordCreateForm(SubmitOnceMixin, SchoolRecordForm):
    """A new school record: one save per rendering of the form (decision 0022)."""


class TransitionRecordForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = TransitionRecord
        fields = list(TRANSITION_FIELDS)
        widgets = {
            "certificate_on": DateInput(),
            "career_orientation_on": DateInput(),
            "apprenticeship_search_on": DateInput(),
            "vocational_school_from": DateInput(),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.case = case
        self.instance.participant = case.participant
        self.instance.organisation_id = case.organisation_id
        self.instance.team_id = case.team_id
