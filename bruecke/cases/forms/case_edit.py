"""Editing a case's staff and team, pausing it, deleting it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.cases.forms.cases import staff_of
from bruecke.cases.models import Case, DeletionReason
from bruecke.cases.selectors.cases import organisation_teams
from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.network.models import Office, Role


class CaseEditForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = Case
        fields = ["case_manager", "placement_officer", "team", "office"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case: Case = self.instance
        fields: dict[str, Any] = self.fields
        fields["case_manager"].queryset = staff_of(
            case.organisation_id, Role.CASE_MANAGER, case.case_manager_id
        )
        fields["placement_officer"].queryset = staff_of(
            case.organisation_id, Role.PLACEMENT_OFFICER, case.placement_officer_id
        )
        fields["team"].queryset = organisation_teams(case.organisation_id)
        fields["office"].queryset = Office.objects.filter(
            organisation_id=case.organisation_id, is_active=True
        )


class PauseForm(VersionedFormMixin, Form):
    reason = forms.CharField(
        label=_("reason for the pause"),
        max_length=300,
        help_text=_("For example: language course full-time until March, stay abroad. No health details."),
    )


class DeleteForm(Form):
    reason = forms.ChoiceField(
        label=_("reason for the deletion"), choices=DeletionReason.choices, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that the case with all its contacts, assessments and entries is deleted for good."
        )
    )
