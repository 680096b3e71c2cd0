"""The exit questionnaire (with its short list of dated situations) and the follow-up form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.esf.exit_models import (
    ExitReason,
    ExitRecord,
    FollowUp,
    FollowUpAnswer,
    Improvement,
    SituationType,
    situation_error,
)
from bruecke.esf.exit_services import SituationInput
from bruecke.network.forms import DateInput

EXTRA_SITUATION_ROWS = 3
REQUIRED_CODE = "required_at_exit"
REQUIRED_SITUATION = _(
    "Required answer at exit: please record at least one situation within 4 weeks after exit."
)


class SituationForm(Form):
    """One row: since when, which situation. An empty row is ignored (or removes the row)."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(label=_("since"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("situation"), required=False, choices=[("", _("– none –")), *SituationType.choices]
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date, kind = cleaned.get("date"), cleaned.get("kind")
        if date and not kind:
            self.add_error("kind", _("Please choose the situation."))
        elif kind and not date:
            self.add_error("date", _("Please enter since when."))
        return cleaned

    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("date") and self.cleaned_data.get("kind"))


SituationFormSet = forms.formset_factory(
    SituationForm, extra=EXTRA_SITUATION_ROWS, max_num=20, validate_max=True
)


class ExitForm(SubmitOnceMixin, ModelForm):
    """The exit (date, reason) and the ESF exit questionnaire, validated together."""

    qualification_gained = forms.NullBooleanField(
        label=_("qualification gained"),
        required=False,
        widget=forms.RadioSelect(choices=[("true", _("yes")), ("false", _("no"))]),
        help_text=ExitRecord._meta.get_field("qualification_gained").help_text,
    )

    class Meta:
        model = ExitRecord
        fields = [
            "exit_date",
            "exit_reason",
            "status_collected_on",
            "qualification_gained",
            "qualification_on",
        ]
        widgets = {
            "exit_date": DateInput(),
            "status_collected_on": DateInput(),
            "qualification_on": DateInput(),
        }

    def __init__(self, *args: Any, instance: ExitRecord, **kwargs: Any) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        reason = self.fields["exit_reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [("", _("please choose")), *ExitReason.choices]
        if instance.pk is None:
            # Most cases are closed on the day of the last talk, when the situation is asked.
            today = timezone.localdate()
            self.initial.setdefault("exit_date", today)
            self.initial.setdefault("status_collected_on", today)
        rows = (
            [{"pk": s.pk, "date": s.date, "kind": s.kind} for s in instance.situations.all()]
            if instance.pk
            else []
        )
        # Bound rows are compared with no initial value: otherwise an unchanged row would be
        # skipped as "empty" by the formset.
        self.situations = SituationFormSet(
            self.data or None,
            prefix="situation",
            initial=None if self.is_bound else rows,
        )

    def is_valid(self) -> bool:
        super().is_valid()
        rows_valid = self.situations.is_valid()
        # All missing answers at once: the rows are checked even when another field is wrong.
        if rows_valid:
            self._check_situations()
        return not self.errors and rows_valid and not any(row.errors for row in self.situations.forms)

    def situation_inputs(self) -> list[SituationInput]:
        return [
            SituationInput(
                date=row.cleaned_data["date"], kind=row.cleaned_data["kind"], pk=row.cleaned_data["pk"]
            )
            for row in self.situations.forms
            if row.is_filled()
        ]

    def _check_situations(self) -> None:
        """The 28-day window per row and the required answers (also checked by the service)."""
        exit_date: datetime.date | None = self.cleaned_data.get("exit_date")
        collected_on = self.cleaned_data.get("status_collected_on")
        filled = [row for row in self.situations.forms if row.is_filled()]
        for row in filled:
            if exit_date is None:
                break
            message = situation_error(
                exit_date=exit_date, collected_on=collected_on, day=row.cleaned_data["date"]
            )
            if message:
                row.add_error("date", message)
        expected = self.instance.situation_required_now
        if expected and not filled:
            self.add_error(
                None,
                forms.ValidationError(
                    REQUIRED_SITUATION,
                    code=REQUIRED_CODE,
                ),
            )
        if (expected or filled) and collected_on is None and "status_collected_on" not in self.errors:
            self.add_error(
                "status_collected_on",
                forms.ValidationError(
                    _("Required answer at exit: please enter when the situation was collected."),
                    code=REQUIRED_CODE,
                ),
            )

    def exit_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]


class ExitEditForm(VersionedFormMixin, ExitForm):  # stubs type `initial` differently
    """A later correction: locked against a concurrent edit."""


class FollowUpForm(SubmitOnceMixin, ModelForm):
    employed = forms.ChoiceField(
        label=_("in employment six months after exit"),
        choices=FollowUpAnswer.choices,
        widget=forms.RadioSelect,
    )
    improvements = forms.MultipleChoiceField(
        label=_("improvements since entry"),
        choices=Improvement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for people who were already employed at entry and are employed now."),
    )

    class Meta:
        model = FollowUp
        fields = ["answered_on", "employed", "self_employed", "improvements", "note"]
        widgets = {"answered_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3, "maxlength": "2000"})}
        labels = {"self_employed": _("of which self-employed")}

    def follow_up_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]


class FollowUpEditForm(VersionedFormMixin, FollowUpForm):
    """A later correction: locked against a concurrent edit."""
