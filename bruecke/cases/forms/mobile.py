"""The mobile consultation hour screen: site and date, then one row per contact."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import AgeGroup, Case, ContactTopic, InterpreterKind
from bruecke.cases.selectors.mobile import mobile_sites_for
from bruecke.cases.services.mobile import AnonymousRow, CaseRow, Row
from bruecke.core.forms import Form
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput
from bruecke.network.models import MobileSite
from bruecke.participants.models import LANGUAGE_CHOICES, Gender

DEFAULT_ROWS = 5
MORE_ROWS = 5
MAX_ROWS = 30

Choices = list[tuple[Any, Any]]


class MobileHourForm(SubmitOnceMixin, Form):
    site: forms.ModelChoiceField[MobileSite] = forms.ModelChoiceField(
        label=_("site"), queryset=MobileSite.objects.none()
    )
    date = forms.DateField(label=_("date"), widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site: Any = self.fields["site"]
        site.queryset = mobile_sites_for(user)
        self.fields["date"].initial = datetime.date.today()

    def clean_date(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["date"]
        if date > datetime.date.today():
            raise forms.ValidationError(_("The consultation hour cannot be in the future."))
        return date


class MobileRowForm(Form):
    """One contact: a participant's open case, or an anonymous short contact."""

    case = forms.TypedChoiceField(label=_("case"), coerce=int, empty_value=None, required=False)
    anonymous = forms.BooleanField(
        label=_("anonymous short contact"),
        required=False,
        help_text=_("No participant record: counted only, without a note."),
    )
    duration_minutes = forms.IntegerField(label=_("duration (minutes)"), required=False)
    topics = forms.TypedMultipleChoiceField(
        label=_("topics"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple()
    )
    interpreter = forms.ChoiceField(label=_("interpreter"), choices=InterpreterKind.choices, required=False)
    language = forms.ChoiceField(
        label=_("language"),
        choices=[("", "–"), *LANGUAGE_CHOICES],
        required=False,
        help_text=_("Case: interpreted language. Anonymous: language spoken."),
    )
    gender = forms.ChoiceField(
        label=_("gender (anonymous only)"), choices=[("", "–"), *Gender.choices], required=False
    )
    age_group = forms.ChoiceField(
        label=_("age group (anonymous only)"), choices=[("", "–"), *AgeGroup.choices], required=False
    )
    note = forms.CharField(
        label=_("note (case only)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, case_choices: Choices, topic_choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case: Any = self.fields["case"]
        case.choices = [("", _("– anonymous or empty row –")), *case_choices]
        topics: Any = self.fields["topics"]
        topics.choices = topic_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        case, anonymous = data.get("case"), data.get("anonymous")
        if case is None and not anonymous:
            self.add_error("case", _("Please choose a case or mark the row as an anonymous short contact."))
        elif case is not None and anonymous:
            self.add_error("anonymous", _("A row is either a case contact or an anonymous short contact."))
        duration = data.get("duration_minutes")
        if duration is None and "duration_minutes" not in self.errors:
            self.add_error("duration_minutes", _("Please enter the duration."))
        elif duration is not None and not 1 <= duration <= 600:
            self.add_error("duration_minutes", _("Please enter a duration between 1 and 600 minutes."))
        if anonymous:
            self._clean_anonymous(data)
        else:
            for name in ("gender", "age_group"):
                if data.get(name):
                    self.add_error(name, _("Only for anonymous short contacts."))
        return data

    def _clean_anonymous(self, data: dict[str, Any]) -> None:
        if data.get("note"):
            self.add_error("note", _("Anonymous short contacts have no note: no personal data here."))
        if not data.get("language"):
            self.add_error("language", _("Please choose the language of the conversation."))
        if data.get("interpreter"):
            self.add_error("interpreter", _("Only for case contacts."))

    def to_row(self, cases: dict[int, Case], topics: dict[int, ContactTopic]) -> Row:
        data = self.cleaned_data
        chosen = [topics[pk] for pk in data.get("topics", []) if pk in topics]
        if data.get("anonymous"):
            return AnonymousRow(
                duration_minutes=data["duration_minutes"],
                language=data["language"],
                topics=chosen,
                gender=data.get("gender", ""),
                age_group=data.get("age_group", ""),
            )
        return CaseRow(
            case=cases[data["case"]],
            duration_minutes=data["duration_minutes"],
            topics=chosen,
            interpreter=data.get("interpreter", ""),
            interpreter_language=data.get("language", ""),
            note=data.get("note", ""),
        )


class BaseMobileRowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def initial_form_count(self) -> int:
        # Rows carried over by "more rows" show what was typed but stay optional rows
        # (Django validates "initial" rows even when they are left empty).
        return 0

    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Please fill in at least one row."))

    def used_forms(self) -> list[MobileRowForm]:
        """The rows the user filled in (untouched rows are left out)."""
        return [form for form in self.forms if form.has_changed()]


def row_formset(rows: int) -> type[BaseMobileRowFormSet]:
    return forms.formset_factory(  # type: ignore[return-value]
        MobileRowForm,
        formset=BaseMobileRowFormSet,
        extra=max(1, min(rows, MAX_ROWS)),
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )
