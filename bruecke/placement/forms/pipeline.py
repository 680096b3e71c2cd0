"""Forms of the pipeline, the work-permission application, placements and check-ins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core.forms import Form
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.placement.models import (
    ALLOWED_NEXT,
    Application,
    CheckIn,
    CheckInOutcome,
    CloseReason,
    Employer,
    Opportunity,
    OpportunityStatus,
    PermitDecision,
    PermitRequest,
    Placement,
    PlacementKind,
    SixMonthStatus,
    Stage,
    WageBand,
)
from bruecke.placement.selectors.pipeline import cases_for_pipeline
from bruecke.placement.selectors.scope import employers_visible_to, opportunities_visible_to
from bruecke.placement.services.pipeline import PERMIT_FIELDS
from bruecke.placement.services.placements import SIX_MONTHS


class CaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.participant.full_name} ({obj.opened_on:%d.%m.%Y})"


class OpportunityChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} – {obj.employer.name} ({obj.start_date:%d.%m.%Y})"


class ApplicationCreateForm(SubmitOnceMixin, Form):
    """Propose a participant for an opportunity; one side may be fixed by the page."""

    case = CaseChoiceField(label=_("participant"), queryset=Case.objects.none())
    opportunity = OpportunityChoiceField(label=_("opportunity"), queryset=Opportunity.objects.none())
    on = forms.DateField(label=_("proposed on"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        case: Case | None = None,
        opportunity: Opportunity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_case, self.fixed_opportunity = case, opportunity
        fields: dict[str, Any] = self.fields
        fields["case"].queryset = cases_for_pipeline(user)
        fields["opportunity"].queryset = (
            opportunities_visible_to(user)
            .filter(status=OpportunityStatus.OPEN)
            .select_related("employer")
            .order_by("start_date", "pk")
        )
        fields["on"].initial = timezone.localdate()
        fields["on"].help_text = _("Today if left empty.")
        if case is not None:
            fields["case"].widget = forms.HiddenInput()
            self.initial["case"] = case.pk
        if opportunity is not None:
            fields["opportunity"].widget = forms.HiddenInput()
            self.initial["opportunity"] = opportunity.pk


class MoveForm(VersionedFormMixin, Form):
    stage = forms.ChoiceField(label=_("next stage"))
    on = forms.DateField(label=_("date"), widget=DateInput())
    close_reason = forms.ChoiceField(
        label=_("reason"),
        required=False,
        choices=[("", "—"), *CloseReason.choices],
        help_text=_("Only for rejected or withdrawn."),
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, version=application.version, **kwargs)
        allowed = ALLOWED_NEXT.get(application.stage, frozenset())
        fields: dict[str, Any] = self.fields
        fields["stage"].choices = [(s.value, s.label) for s in Stage if s in allowed]
        fields["on"].initial = timezone.localdate()


class PermitForm(VersionedFormMixin, Form):
    applied_on = forms.DateField(label=_("applied at the Ausländerbehörde on"), widget=DateInput())
    ba_requested_on = forms.DateField(label=_("BA approval asked on"), required=False, widget=DateInput())
    decision = forms.ChoiceField(label=_("decision"), choices=PermitDecision.choices)
    decided_on = forms.DateField(label=_("decided on"), required=False, widget=DateInput())
    conditions = forms.CharField(
        label=_("conditions (Nebenbestimmungen)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: only with this employer, only in this district."),
    )
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, permit: PermitRequest | None, ba_approval: bool, **kwargs: Any) -> None:
        super().__init__(*args, version=permit.version if permit is not None else 0, **kwargs)
        fields: dict[str, Any] = self.fields
        if permit is not None:
            self.initial.update({name: getattr(permit, name) for name in PERMIT_FIELDS})
        if not ba_approval:
            fields["ba_requested_on"].help_text = _(
                "The rules engine says no approval of the Bundesagentur is needed; leave empty."
            )


class PlacementForm(SubmitOnceMixin, Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PlacementKind.choices)
    start_date = forms.DateField(label=_("start date"), widget=DateInput())
    employer = forms.ModelChoiceField(
        label=_("employer"),
        queryset=Employer.objects.none(),
        required=False,
        help_text=_("Not needed for school or self-employment."),
    )
    hours_per_week = forms.DecimalField(
        label=_("hours per week"), required=False, min_value=1, max_value=60, max_digits=4, decimal_places=1
    )
    wage_band = forms.ChoiceField(
        label=_("wage band"), required=False, choices=[("", "—"), *WageBand.choices]
    )
    fixed_term_until = forms.DateField(label=_("fixed term until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, application: Application | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["employer"].queryset = employers_visible_to(user).order_by("name", "pk")
        if application is not None:
            opportunity = application.opportunity
            fields["employer"].queryset = Employer.objects.filter(pk=opportunity.employer_id)
            self.initial.update(
                employer=opportunity.employer_id,
                start_date=opportunity.start_date,
                hours_per_week=opportunity.hours_per_week,
                kind=_placement_kind(opportunity.kind),
            )


def _placement_kind(kind: str) -> str:
    return {
        "job": PlacementKind.EMPLOYMENT,
        "apprenticeship": PlacementKind.APPRENTICESHIP,
        "internship": PlacementKind.INTERNSHIP,
        "eq": PlacementKind.EQ,
        "bfd": PlacementKind.VOLUNTEER_SERVICE,
        "fsj": PlacementKind.VOLUNTEER_SERVICE,
    }.get(kind, PlacementKind.EMPLOYMENT)


class PlacementEditForm(VersionedFormMixin, Form):
    hours_per_week = forms.DecimalField(
        label=_("hours per week"), required=False, min_value=1, max_value=60, max_digits=4, decimal_places=1
    )
    wage_band = forms.ChoiceField(
        label=_("wage band"), required=False, choices=[("", "—"), *WageBand.choices]
    )
    fixed_term_until = forms.DateField(label=_("fixed term until"), required=False, widget=DateInput())
    ended_on = forms.DateField(
        label=_("ended on"), required=False, widget=DateInput(), help_text=_("Only to end the placement.")
    )
    end_reason = forms.CharField(label=_("reason for the end"), required=False, max_length=300)

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, version=placement.version, **kwargs)
        self.initial.update(
            hours_per_week=placement.hours_per_week,
            wage_band=placement.wage_band,
            fixed_term_until=placement.fixed_term_until,
            ended_on=placement.ended_on,
            end_reason=placement.end_reason,
        )


class CheckInForm(VersionedFormMixin, Form):
    done_on = forms.DateField(label=_("done on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("outcome"), choices=CheckInOutcome.choices)
    status_6_months = forms.ChoiceField(
        label=_("status 6 months after the start"), choices=[("", "—"), *SixMonthStatus.choices]
    )
    end_reason = forms.CharField(
        label=_("reason for the end"),
        required=False,
        max_length=300,
        help_text=_("Only if the placement has ended."),
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, check_in: CheckIn, **kwargs: Any) -> None:
        super().__init__(*args, version=check_in.version, **kwargs)
        fields: dict[str, Any] = self.fields
        if check_in.months_after_start != SIX_MONTHS:
            del fields["status_6_months"]
        self.initial.update(
            done_on=check_in.done_on or timezone.localdate(),
            outcome=check_in.outcome,
            note=check_in.note,
            status_6_months=check_in.placement.status_6_months,
        )
