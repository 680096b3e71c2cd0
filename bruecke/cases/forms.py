from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.models import BarrierType, Case, Contact, ContactTopic, Severity
from bruecke.core.forms import Form, ModelForm
from bruecke.network.forms import DateInput
from bruecke.network.models import Membership, MobileSite, Office, Role
from bruecke.participants.models import Participant


def _staff_of(participant: Participant, role: str) -> Any:
    members = Membership.objects.filter(
        organisation_id=participant.organisation_id, role=role, ended_on__isnull=True, user__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=members).order_by("last_name", "first_name")


class CaseForm(ModelForm):
    class Meta:
        model = Case
        fields = ["case_manager", "placement_officer", "team", "office", "opened_on"]
        widgets = {"opened_on": DateInput()}

    def __init__(self, *args: Any, participant: Participant, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.participant = participant
        self.instance.organisation = participant.organisation
        fields: dict[str, Any] = self.fields
        fields["case_manager"].queryset = _staff_of(participant, Role.CASE_MANAGER)
        fields["placement_officer"].queryset = _staff_of(participant, Role.PLACEMENT_OFFICER)
        fields["team"].queryset = fields["team"].queryset.filter(
            network_id=participant.organisation.network_id, is_active=True
        )
        fields["office"].queryset = Office.objects.filter(
            organisation=participant.organisation, is_active=True
        )
        self.initial.setdefault("team", participant.team_id)
        if fields["case_manager"].queryset.filter(pk=user.pk).exists():
            self.initial.setdefault("case_manager", user.pk)


class ContactForm(ModelForm):
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


class AssessmentForm(Form):
    """One severity (and an optional note) per active barrier of the catalogue."""

    assessed_on = forms.DateField(label=_("assessed on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
