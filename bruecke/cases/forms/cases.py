"""Opening a case."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus
from bruecke.cases.selectors.cases import cases_visible_to, organisation_teams
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
        # Only the teams of the participant's own partner: another partner's team would
        # make a case that nobody can open.
        fields["team"].queryset = organisation_teams(participant.organisation_id)
        fields["office"].queryset = Office.objects.filter(
            organisation=participant.organisation, is_active=True
        )
        self.initial.setdefault("team", participant.team_id)
        if fields["case_manager"].queryset.filter(pk=user.pk).exists():
            self.initial.setdefault("case_manager", user.pk)
        self.user = user

    def validate_unique(self) -> None:
        """One open case per participant and partner: when the open case lies with a team
        the user does not see, say where it is instead of a rule that seems to contradict
        the participant's page (which lists only the cases the user sees)."""
        participant = self.instance.participant
        hidden = (
            Case.objects.filter(participant=participant, organisation_id=participant.organisation_id)
            .exclude(status=CaseStatus.CLOSED)
            .exclude(pk__in=cases_visible_to(self.user).values("pk"))
            .select_related("team", "case_manager")
            .first()
        )
        if hidden is None:
            super().validate_unique()
            return
        self.add_error(
            None,
            _(
                "This participant already has an open case at your organisation, with team "
                "%(team)s and case manager %(manager)s; you do not see that team's cases. "
                "Please ask them or your team lead."
            )
            % {"team": hidden.team or "-", "manager": hidden.case_manager},
        )
