"""Forms for trainings (with their audience rows and materials), awareness events and
cooperation partners with their contacts and meetings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.offers.models import (
    AudienceKind,
    AwarenessEvent,
    CooperationContact,
    CooperationMeeting,
    CooperationPartner,
    Training,
    TrainingAudience,
    TrainingMaterial,
)
from bruecke.offers.models.network_work import MAX_AUDIENCE

# Empty audience rows offered below the filled ones.
EMPTY_AUDIENCE_ROWS = 3
MAX_AUDIENCE_ROWS = 50


class AudienceRowForm(Form):
    """One kind of organisation at a training and how many of its staff came (no names)."""

    kind = forms.ChoiceField(
        label=_("Kind of organisation"), required=False, choices=[("", "–"), *AudienceKind.choices]
    )
    organisation_name = forms.CharField(label=_("Name of the organisation"), required=False, max_length=200)
    attendees = forms.IntegerField(
        label=_("Number of attendees"), required=False, min_value=1, max_value=MAX_AUDIENCE
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = any(
            cleaned.get(name) not in (None, "") for name in ("kind", "organisation_name", "attendees")
        )
        if filled and not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Please choose the kind of organisation."))
        if filled and cleaned.get("attendees") is None and "attendees" not in self.errors:
            self.add_error("attendees", _("Please enter how many attended (at least 1)."))
        return cleaned

    def row(self) -> TrainingAudience | None:
        cleaned = self.cleaned_data
        if not cleaned.get("kind"):
            return None
        return TrainingAudience(
            kind=cleaned["kind"],
            organisation_name=cleaned.get("organisation_name") or "",
            attendees=cleaned["attendees"],
        )


AudienceFormSet = formset_factory(
    AudienceRowForm, extra=0, max_num=MAX_AUDIENCE_ROWS, validate_max=True, absolute_max=MAX_AUDIENCE_ROWS
)

TRAINING_FIELDS = ["topic", "held_on", "trainer", "place", "description"]


class TrainingForm(SubmitOnceMixin, ModelForm):
    """The training and, below it, its audience rows (a formset with the prefix "audience")."""

    class Meta:
        model = Training
        fields = TRAINING_FIELDS
        widgets = {"held_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"trainer": _("Name or organisation of the trainer.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = (
            [
                {"kind": row.kind, "organisation_name": row.organisation_name, "attendees": row.attendees}
                for row in self.instance.audience.order_by("id")
            ]
            if self.instance.pk
            else []
        )
        empty: list[dict[str, Any]] = [{} for _row in range(EMPTY_AUDIENCE_ROWS)]
        self.audience = AudienceFormSet(
            self.data if self.is_bound else None, prefix="audience", initial=[*stored, *empty]
        )

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.audience.is_valid():
            self.add_error(None, _("Please correct the attending organisations below."))

    def audience_rows(self) -> list[TrainingAudience]:
        rows = (form.row() for form in self.audience.forms)
        return [row for row in rows if row is not None]


class TrainingEditForm(VersionedFormMixin, TrainingForm):
    class Meta(TrainingForm.Meta):
        pass


class MaterialForm(SubmitOnceMixin, ModelForm):
    upload = forms.FileField(
        label=_("file"), help_text=_("PDF or an office document (Word, Excel, PowerPoint, OpenDocument).")
    )

    class Meta:
        model = TrainingMaterial
        fields = ["title"]

    def __init__(self, *args: Any, training: Training, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.training = training


class EventForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = AwarenessEvent
        fields = ["title", "kind", "held_on", "place", "audience", "note"]
        widgets = {"held_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"audience": _("How many people came (a number, no names).")}


class EventEditForm(VersionedFormMixin, EventForm):
    class Meta(EventForm.Meta):
        pass


class PartnerForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = CooperationPartner
        fields = ["kind", "name", "street", "postcode", "town", "phone", "email", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class PartnerEditForm(VersionedFormMixin, PartnerForm):
    class Meta(PartnerForm.Meta):
        pass


class CooperationContactForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = CooperationContact
        fields = ["name", "function", "phone", "email"]

    def __init__(self, *args: Any, partner: CooperationPartner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partner = partner


class MeetingForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = CooperationMeeting
        fields = ["held_on", "kind", "subject", "note", "agreed_until"]
        widgets = {
            "held_on": DateInput(),
            "agreed_until": DateInput(),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"agreed_until": _("Only for an agreement that runs until a date.")}

    def __init__(self, *args: Any, partner: CooperationPartner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
