"""Forms for group offers, sessions, enrolments and the attendance of a session."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput, TimeInput
from bruecke.network.models import Team
from bruecke.offers.models import AttendanceStatus, Enrolment, GroupKind, GroupOffer, GroupSession
from bruecke.offers.models.groups import MAX_GUESTS

OFFER_FIELDS = [
    "title",
    "kind",
    "team",
    "description",
    "place",
    "trainer",
    "trainer_name",
    "capacity",
    "starts_on",
    "ends_on",
    "languages",
]


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class GroupOfferForm(SubmitOnceMixin, VersionedFormMixin, ModelForm):
    """A group offer of the organisation the view sets; team and trainer are limited to it."""

    class Meta:
        model = GroupOffer
        fields = OFFER_FIELDS
        field_classes = {"trainer": StaffChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args: Any, teams: QuerySet[Team], staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["trainer"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return cleaned


class GroupOfferEditForm(GroupOfferForm):
    """The same fields; the edit page carries no submission token (nothing is created)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("submission_token", None)


class GroupFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("kind of group offer"), required=False, choices=[("", _("all kinds")), *GroupKind.choices]
    )
    when = forms.ChoiceField(
        label=_("period"),
        required=False,
        choices=[("", _("all")), ("current", _("current and coming")), ("past", _("ended"))],
    )


class SessionForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = GroupSession
        fields = ["date", "starts_at", "ends_at", "topic", "place", "trainer_name"]
        widgets = {"date": DateInput(), "starts_at": TimeInput(), "ends_at": TimeInput()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class CaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.participant.full_name} ({obj.opened_on:%d.%m.%Y})"


class EnrolForm(SubmitOnceMixin, Form):
    case = CaseChoiceField(
        label=_("participant"),
        queryset=Case.objects.none(),
        help_text=_("Participants whose case you work on, of the organisation that runs the offer."),
    )
    enrolled_on = forms.DateField(label=_("enrolled on"), widget=DateInput())
    over_capacity = forms.BooleanField(
        label=_("Enrol even if all places are taken"),
        required=False,
        help_text=_("Only needed when the group offer is full."),
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        self.initial.setdefault("enrolled_on", datetime.date.today())


class EnrolmentEndForm(Form):
    left_on = forms.DateField(label=_("left on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("left_on", datetime.date.today())


ROW_PREFIX = "row_"


class AttendanceForm(VersionedFormMixin, Form):
    """One radio group per enrolled participant (present / excused / absent) and the number
    of guests. Rows are named by enrolment id; a posted row that is not on the list is
    refused by the service, never ignored."""

    guests = forms.IntegerField(
        label=_("Guests who are not enrolled"), min_value=0, max_value=MAX_GUESTS, initial=0
    )

    def __init__(
        self, *args: Any, enrolments: list[Enrolment], current: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            name = f"{ROW_PREFIX}{enrolment.pk}"
            self.fields[name] = forms.ChoiceField(
                label=enrolment.participant.full_name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            if enrolment.pk in current:
                self.initial[name] = current[enrolment.pk]

    def rows(self) -> list[tuple[Enrolment, forms.BoundField]]:
        return [(e, self[f"{ROW_PREFIX}{e.pk}"]) for e in self.enrolments]

    def posted_rows(self) -> dict[int, str]:
        """Every row in the POST, the known ones and any other `row_<id>`: the service
        decides whether an id belongs to this session."""
        rows: dict[int, str] = {}
        for key, value in self.data.items():
            if not key.startswith(ROW_PREFIX) or not value:
                continue
            ident = key[len(ROW_PREFIX) :]
            if ident.isascii() and ident.isdigit() and len(ident) < 19:
                rows[int(ident)] = str(value)
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key in self.data:
            ident = key[len(ROW_PREFIX) :] if key.startswith(ROW_PREFIX) else None
            if ident is not None and not (ident.isascii() and ident.isdigit() and len(ident) < 19):
                raise forms.ValidationError(_("The attendance list was not sent correctly. Please reload."))
        return cleaned
