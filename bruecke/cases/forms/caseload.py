"""The filter of the caseload view: after how many weeks without contact a case counts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form

DEFAULT_WEEKS = 6


class CaseloadFilterForm(Form):
    weeks = forms.IntegerField(
        label=_("without contact for more than (weeks)"),
        min_value=1,
        max_value=52,
        initial=DEFAULT_WEEKS,
        error_messages={
            "min_value": _("Please enter a number of weeks between 1 and 52."),
            "max_value": _("Please enter a number of weeks between 1 and 52."),
            "invalid": _("Please enter a number of weeks between 1 and 52."),
        },
    )

    def weeks_or_default(self) -> int:
        """The chosen weeks; the default when the filter is missing or invalid."""
        if self.is_bound and self.is_valid():
            return int(self.cleaned_data["weeks"])
        return DEFAULT_WEEKS
