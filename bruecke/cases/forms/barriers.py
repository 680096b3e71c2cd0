"""The barrier (re-)assessment form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import BarrierType, Severity
from bruecke.core.forms import Form
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput


class AssessmentForm(SubmitOnceMixin, Form):
    """One severity (and an optional note) per active barrier of the catalogue."""

    assessed_on = forms.DateField(label=_("assessed on"), widget=DateInput())
    # The latest assessment the user saw (0: none), so a parallel re-assessment is a conflict.
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, based_on: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["based_on"].initial = based_on
        self.barriers = list(BarrierType.objects.filter(is_active=True))
        self.fields["assessed_on"].initial = datetime.date.today()
        for barrier in self.barriers:
            self.fields[f"severity_{barrier.key}"] = forms.TypedChoiceField(
                label=str(barrier),
                choices=[("", _("not assessed")), *Severity.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"note_{barrier.key}"] = forms.CharField(
                label=_("note on %(barrier)s") % {"barrier": barrier},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Only the case's own staff see this note.") if barrier.sensitive else "",
            )
        self._describe_all()

    def _describe_all(self) -> None:
        for name in self.fields:
            self._describe(name, invalid=False)

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"severity_{b.key}"], self[f"note_{b.key}"]) for b in self.barriers]

    def items(self) -> list[tuple[BarrierType, int, str]]:
        data = self.cleaned_data
        return [
            (b, data[f"severity_{b.key}"], data.get(f"note_{b.key}", ""))
            for b in self.barriers
            if data.get(f"severity_{b.key}") is not None
        ]
