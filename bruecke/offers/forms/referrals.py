"""Forms of closed-loop referrals: a new referral from the case, the next step, the
partner's feedback."""

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
from bruecke.offers.models import ALLOWED_NEXT, Measure, MeasureKind, Referral, ReferralStatus
from bruecke.offers.selectors.referrals import measures_for_referral, sharing_partners
from bruecke.offers.services.referrals import PARTNER_STATUSES, SUMMARY_LIMIT

S = ReferralStatus


class MeasureChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} – {obj.provider.name}"


class ReferralCreateForm(SubmitOnceMixin, Form):
    """Refer the case's participant; the summary only when a sharing consent exists."""

    measure = MeasureChoiceField(label=_("measure"), queryset=Measure.objects.none())
    status = forms.ChoiceField(
        label=_("state"),
        choices=[
            (S.REFERRED.value, _("referred (sent to the provider)")),
            (S.SUGGESTED.value, _("suggested only")),
        ],
        initial=S.REFERRED,
    )
    on = forms.DateField(label=_("date"), widget=DateInput())
    expected_start_on = forms.DateField(label=_("expected start"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["measure"].queryset = measures_for_referral(user)
        fields["on"].initial = timezone.localdate()
        partners = sharing_partners(case.participant_id)
        self.sharing_partners = partners
        if partners:
            names = ", ".join(p.name for p in partners)
            fields["summary"] = forms.CharField(
                label=_("summary for the partner"),
                required=False,
                max_length=SUMMARY_LIMIT,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_(
                    "Only for a measure of a partner the participant's sharing consent names (%(names)s). "
                    "At most 2,000 characters."
                )
                % {"names": names},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A summary sent without a consent (an old page, a script) is refused, not dropped.
        if "summary" not in self.fields and str(self.data.get("summary", "")).strip():
            raise forms.ValidationError(
                _("The participant has not consented to sharing. No summary can be handed over.")
            )
        return cleaned


class StepForm(VersionedFormMixin, Form):
    """The next step: only the statuses that may follow the current one."""

    status = forms.ChoiceField(label=_("next state"))
    on = forms.DateField(label=_("date"), widget=DateInput())
    expected_start_on = forms.DateField(
        label=_("expected start"), required=False, widget=DateInput(), help_text=_("May lie ahead.")
    )
    planned_end_on = forms.DateField(
        label=_("planned end"), required=False, widget=DateInput(), help_text=_("May lie ahead.")
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, referral: Referral, partner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, version=referral.version, **kwargs)
        allowed = ALLOWED_NEXT.get(referral.status, frozenset())
        if partner:
            allowed = allowed & PARTNER_STATUSES
        fields: dict[str, Any] = self.fields
        fields["status"].choices = [(s.value, s.label) for s in S if s in allowed]
        fields["on"].initial = timezone.localdate()
        fields["expected_start_on"].initial = referral.expected_start_on
        fields["planned_end_on"].initial = referral.planned_end_on


class ReferralFilterForm(Form):
    """The list's filters (GET); invalid values fall back to the defaults."""

    show = forms.ChoiceField(
        label=_("show"),
        required=False,
        choices=[
            ("open", _("open referrals")),
            ("overdue", _("overdue only")),
            ("final", _("with an outcome")),
            ("all", _("all")),
        ],
    )
    status = forms.ChoiceField(label=_("state"), required=False, choices=[("", _("any")), *S.choices])
    kind = forms.ChoiceField(
        label=_("type of measure"), required=False, choices=[("", _("any")), *MeasureKind.choices]
    )
    mine = forms.BooleanField(label=_("only my cases"), required=False)
