"""Forms of the projects and targets pages (the choice form of every report is forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.network.models import Organisation
from bruecke.projects.models import Project
from bruecke.reporting.models import ProjectTarget, TargetKind, TargetProgress


class ProjectEditForm(VersionedFormMixin, ModelForm):
    """Funding period, programme, variant, partners and the reporting settings (§11)."""

    partners = forms.ModelMultipleChoiceField(
        label=_("partners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(),
        help_text=_("None chosen: every partner of the network takes part."),
    )

    class Meta:
        model = Project
        fields = [
            "programme",
            "esf_variant",
            "starts_on",
            "ends_on",
            "ltu_rule",
            "partial_birth_date_rule",
            "result_base",
            "forecast_months",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the network's own organisations: a forged id of another network is refused.
        self.fields["partners"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            network_id=self.instance.network_id
        ).order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["partners"] = list(self.instance.partners.values_list("pk", flat=True))
        self.fields["ends_on"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The end must be after the start."))
        return data

    def _save_m2m(self) -> None:  # the service sets the partners, never the form
        pass


class TargetForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = ProjectTarget
        fields = ["label", "kind", "placement_kind", "value", "due_on", "note"]
        widgets = {"due_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"value": _("A whole number, e.g. 840.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("placement_kind") and data.get("kind") != TargetKind.PLACEMENTS:
            self.add_error("placement_kind", _("A kind of placement only belongs to a placement target."))
        return data


class TargetEditForm(VersionedFormMixin, TargetForm):
    class Meta(TargetForm.Meta):
        pass


class ProgressForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = TargetProgress
        fields = ["date", "value", "note"]
        widgets = {"date": DateInput()}
        help_texts = {"value": _("How much was achieved on this date (added to the progress).")}
