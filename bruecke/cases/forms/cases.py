"""Opening a case."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core.forms import ModelForm
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.network.models import Membership, Office, Role
from bruecke.participants.models import Participant


def staff_of(organisation_id: int, role: str, current: int | None = None) -> QuerySet[User]:
    """Active staff of a partner in `role` (and the current holder, so a save keeps them)."""
    members = Membership.objects.filter(
        organisation_id=organisation_id, role=role, ended_on__isnull=True, user__is_active=True
    ).values("user_id")
    users = User.objects.filter(pk__in=members)
    if current is not None:
        users = users | User.objects.filter(pk=current)
    return users.distinct().order_by("last_name", "first_name")


class CaseForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = Case
        fields = ["case_manager", "placement_officer", "team", "office", "opened_on"]
        widgets = {"opened_on": DateInput()}

    def __init__(self, *args: Any, participant: Participant, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.participant = participant
        self.instance.organisation = participant.organisation
        fields: dict[str, Any] = self.fields
        fields["case_manager"].queryset = staff_of(participant.organisation_id, Role.CASE_MANAGER)
        fields["placement_officer"].queryset = staff_of(participant.organisation_id, Role.PLACEMENT_OFFICER)
        fields["team"].queryset = fields["team"].queryset.filter(
            network_id=participant.organisation.network_id, is_active=True
        )
        fields["office"].queryset = Office.objects.filter(
            organisation=participant.organisation, is_active=True
        )
        self.initial.setdefault("team", participant.team_id)
        if fields["case_manager"].queryset.filter(pk=user.pk).exists():
            self.initial.setdefault("case_manager", user.pk)
