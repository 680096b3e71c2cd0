"""Requesting a transfer, and the receiver's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.forms.cases import staff_of
from bruecke.cases.models import Case, CaseTransfer
from bruecke.core.forms import Form
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.models import Organisation, Role, Team


class TransferRequestForm(SubmitOnceMixin, Form):
    to_organisation = forms.ModelChoiceField(label=_("to partner"), queryset=Organisation.objects.none())
    to_team = forms.ModelChoiceField(
        label=_("to team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Required for a transfer within your own organisation."),
    )
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        help_text=_("Short and without sensitive details, e.g. 'moved to Greifswald'."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_id = case.organisation.network_id
        partners = self.fields["to_organisation"]
        teams = self.fields["to_team"]
        assert isinstance(partners, forms.ModelChoiceField) and isinstance(teams, forms.ModelChoiceField)
        partners.queryset = Organisation.objects.filter(network_id=network_id, is_active=True)
        teams.queryset = Team.objects.filter(network_id=network_id, is_active=True)


class AcceptForm(VersionedFormMixin, Form):
    case_manager = forms.ModelChoiceField(label=_("case manager"), queryset=User.objects.none())

    def __init__(self, *args: Any, transfer: CaseTransfer, user: User, **kwargs: Any) -> None:
        super().__init__(*args, version=transfer.version, prefix="accept", **kwargs)
        managers = staff_of(transfer.to_organisation_id, Role.CASE_MANAGER, user.pk)
        field = self.fields["case_manager"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = managers
        self.initial.setdefault("case_manager", user.pk)


class RejectForm(VersionedFormMixin, Form):
    rejection_reason = forms.CharField(
        label=_("reason for the rejection"),
        max_length=300,
        help_text=_("The sending partner sees this reason."),
    )

    def __init__(self, *args: Any, transfer: CaseTransfer, **kwargs: Any) -> None:
        super().__init__(*args, version=transfer.version, prefix="reject", **kwargs)
