"""Form base classes: every text input is NFC-normalised and free of control characters."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from bruecke.core.locking import is_conflict

# C0/C1 controls and NUL; tab and line breaks stay allowed in multi-line fields.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n\t]")
# Bidirectional formatting characters can make text display differently from what it is
# (a name that reads "Anna" but sorts and searches as something else). Embeddings,
# overrides and isolates are refused everywhere; the marks (LRM, RLM, ALM) only in
# single-line fields, because Arabic and Hebrew prose legitimately uses them (decision 0022).
_BIDI_EMBEDDING = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_MARK = re.compile("[\u200e\u200f\u061c]")


def clean_text(value: str, *, multiline: bool) -> str:
    value = unicodedata.normalize("NFC", value)
    if _CONTROL.search(value) or (not multiline and _LINE_BREAK.search(value)):
        raise ValidationError(_("Please remove invisible control characters from this text."), code="control")
    check_text_direction(value, multiline=multiline)
    return value


def check_text_direction(value: str, *, multiline: bool) -> None:
    """Refuses invisible characters that change the display direction of text."""
    if _BIDI_EMBEDDING.search(value) or (not multiline and _BIDI_MARK.search(value)):
        raise ValidationError(
            _("Please remove invisible text-direction characters from this text."), code="bidi"
        )


class TextCleaningMixin:
    """Runs `clean_text` on every character field before the field's own validation."""

    fields: dict[str, forms.Field]

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        cleaned: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, forms.CharField) and isinstance(value, str):
                multiline = isinstance(field.widget, forms.Textarea)
                try:
                    cleaned[name] = clean_text(value, multiline=multiline)
                except ValidationError as error:
                    self.add_error(name, error)  # type: ignore[attr-defined]


# Dates the product can store, compute with and show on both databases: year 1 or 9999
# overflow date arithmetic (deadlines, time zones) and break every page that shows them.
FIRST_YEAR = 1900
LAST_YEAR = 2100


def check_year(value: object) -> None:
    """Refuses a date, date-time (or anything with a `year`, such as a partial date) outside
    FIRST_YEAR..LAST_YEAR."""
    if isinstance(value, Model):
        return  # a chosen record, whatever fields it has
    year = value.year if isinstance(value, datetime.date) else getattr(value, "year", None)
    if isinstance(year, int) and not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("Please enter a date between the years %(first)s and %(last)s."),
            code="year_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class DateRangeMixin:
    """Runs `check_year` on every cleaned value of every field, so a date field added to any
    form (declared, from a model, or added in `__init__`) refuses absurd years before the
    form's `clean` or a service computes with them."""

    fields: dict[str, forms.Field]

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        cleaned: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        for name in list(cleaned):
            try:
                check_year(cleaned[name])
            except ValidationError as error:
                self.add_error(name, error)  # type: ignore[attr-defined]


# Free text without a limit of its own: a contact note of a million characters would stall
# every page and PDF that shows it. About four printed pages of notes; one line of text.
TEXT_MAX_LENGTH = 10_000
LINE_MAX_LENGTH = 500


def text_limit(field: forms.Field) -> int | None:
    """The longest value a character field accepts: its own max_length, else the default."""
    if not isinstance(field, forms.CharField):
        return None
    if field.max_length is not None:
        return int(field.max_length)
    return TEXT_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else LINE_MAX_LENGTH


class TextLimitMixin:
    """Gives every character field without a max_length the default limit: the browser
    stops typing there (`maxlength`), and the server refuses longer values next to the field."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = text_limit(field)
            if limit is not None and not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(limit))

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        cleaned: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            value, limit = cleaned.get(name), text_limit(field)
            if isinstance(value, str) and limit is not None:  # also where max_length has no validator
                try:
                    MaxLengthValidator(limit)(value)
                except ValidationError as error:
                    self.add_error(name, error)  # type: ignore[attr-defined]


class AccessibleErrorsMixin:
    """Links each input to its help text and error list (WCAG 3.3.1, 4.1.2)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self._describe(name, invalid=False)

    def _describe(self, name: str, *, invalid: bool) -> None:
        field = self.fields[name]
        auto_id = self[name].auto_id  # type: ignore[index]
        ids = [f"{auto_id}-errors"] if invalid else []
        if field.help_text:
            ids.append(f"{auto_id}-help")
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)
        if invalid:
            field.widget.attrs["aria-invalid"] = "true"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors = self.errors  # type: ignore[attr-defined]
        for name in self.fields:
            self._describe(name, invalid=name in errors)


class CountryBlankFirstMixin:
    """Optional country fields start with an empty choice, then the frequent countries.

    django-countries puts the frequent countries (settings.COUNTRIES_FIRST) on top and
    separates them with an empty-valued line; Django then leaves out its own blank choice,
    so a browser preselected the first country and a form saved without a choice recorded
    "Syria". Here the empty choice comes first and the separator becomes two option groups.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, LazyTypedChoiceField) and not field.required:
                field.choices = _country_choices(list(field.choices))


def _country_choices(choices: list[tuple[str, str]]) -> list[Any]:
    values = [value for value, _label in choices]
    if "" in values[1:]:  # the separator after the frequent countries
        cut = values.index("")
        frequent, other = choices[:cut], choices[cut + 1 :]
        return [("", "–"), (_("Frequent in counselling"), frequent), (_("Other countries"), other)]
    return [("", "–"), *(c for c in choices if c[0] != "")]


class Form(AccessibleErrorsMixin, TextCleaningMixin, DateRangeMixin, TextLimitMixin, forms.Form):
    pass


class ModelForm(
    CountryBlankFirstMixin,
    AccessibleErrorsMixin,
    TextCleaningMixin,
    DateRangeMixin,
    TextLimitMixin,
    forms.ModelForm,  # type: ignore[type-arg]
):
    pass


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Shows a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            form.add_error(target, errors)
            if target and isinstance(form, AccessibleErrorsMixin):
                form._describe(target, invalid=True)
    else:
        form.add_error(None, error)
        if is_conflict(error):
            form.conflict = True  # type: ignore[attr-defined]
