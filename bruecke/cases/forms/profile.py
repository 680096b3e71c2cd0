"""The profile page: the profile form and one formset per kind of row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import DigitalSkills, Profile, Qualification, WishedOccupation, WorkExperience
from bruecke.cases.models.profile import MAX_ROWS
from bruecke.cases.services.profile import (
    EXPERIENCE_FIELDS,
    PROFILE_FIELDS,
    QUALIFICATION_FIELDS,
    WISHED_FIELDS,
    RowChange,
)
from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.placement.forms.fields import OccupationField


def _text_area() -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 3})


# The mixin declares `initial` as a dict, Django's stubs as a mapping: same object at run time.
class ProfileForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = Profile
        fields = list(PROFILE_FIELDS)
        widgets = {
            "strengths": _text_area(),
            "wishes": _text_area(),
            "possibilities": _text_area(),
            "career_goals": _text_area(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skills = self.fields["digital_skills"]
        assert isinstance(skills, forms.ChoiceField)
        skills.choices = [("", _("not assessed")), *DigitalSkills.choices]


class WorkExperienceForm(ModelForm):
    class Meta:
        model = WorkExperience
        fields = list(EXPERIENCE_FIELDS)  # a copy: inline formsets append the foreign key
        localized_fields = ["years"]


class QualificationForm(ModelForm):
    class Meta:
        model = Qualification
        fields = list(QUALIFICATION_FIELDS)


class WishedOccupationForm(ModelForm):
    """A wished occupation: a 5-digit KldB 2010 code from the occupation catalogue."""

    kldb_code = OccupationField(
        label=_("Occupation (KldB 2010 code)"),
        help_text=_("5 digits, for example 26212 (electrical installation, skilled worker)."),
    )

    class Meta:
        model = WishedOccupation
        fields = list(WISHED_FIELDS)

    def clean_kldb_code(self) -> str:
        occupation = self.cleaned_data.get("kldb_code")
        return getattr(occupation, "code", "") or ""


class ProfileRowFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        # Django turns a submitted row id it does not find among this profile's rows into a
        # new row; here that means the row was removed meanwhile (or is not this profile's).
        for index, form in enumerate(self.forms):
            if index < self.initial_form_count() and form.instance.pk is None:
                raise ValidationError(
                    _("A row on this page no longer exists. Please reload the page."), code="gone"
                )


_ROW_OPTIONS: dict[str, Any] = {
    "formset": ProfileRowFormSet,
    "extra": 1,
    "can_delete": True,
    "can_delete_extra": False,
    "max_num": MAX_ROWS,
    "validate_max": True,
}
ExperienceFormSet = inlineformset_factory(
    Profile, WorkExperience, form=WorkExperienceForm, fields=list(EXPERIENCE_FIELDS), **_ROW_OPTIONS
)
QualificationFormSet = inlineformset_factory(
    Profile, Qualification, form=QualificationForm, fields=list(QUALIFICATION_FIELDS), **_ROW_OPTIONS
)
WishedOccupationFormSet = inlineformset_factory(
    Profile, WishedOccupation, form=WishedOccupationForm, fields=list(WISHED_FIELDS), **_ROW_OPTIONS
)


def row_changes(formset: BaseInlineFormSet[Any, Any, Any], fields: tuple[str, ...]) -> list[RowChange]:
    """What the (valid) formset asks for: new, changed and removed rows; blank new rows skipped."""
    changes = []
    for form in formset.forms:
        pk = form.instance.pk
        delete = bool(form.cleaned_data.get("DELETE"))
        if pk is None and (delete or not form.has_changed()):
            continue
        data = {} if delete else {name: form.cleaned_data[name] for name in fields}
        changes.append(RowChange(pk=pk, data=data, delete=delete))
    return changes
