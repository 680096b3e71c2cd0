"""Intake and edit forms for participants and their residence documents."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.forms import Form, ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.core.uploads import validate_scan
from bruecke.network.forms import DateInput
from bruecke.network.models import Membership, Organisation
from bruecke.participants import names
from bruecke.participants.info_sheet import INFO_SHEET_VERSION
from bruecke.participants.models import (
    LANGUAGE_CHOICES,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Participant,
    ResidenceStatus,
)
from bruecke.projects.models import Project

_UNKNOWN = r"(?:0{1,2}|x{1,2}|\?{1,2})"
_PARTIAL_DATE = re.compile(
    rf"^(?:(?P<day>\d{{1,2}}|{_UNKNOWN})\.)?(?:(?P<month>\d{{1,2}}|{_UNKNOWN})\.)?(?P<year>\d{{4}})$", re.I
)


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def earliest(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)


def parse_partial_date(text: str) -> PartialDate:
    """Reads 07.03.1994, 03.1994, 1994 and unknown parts written as 00, XX or ??."""
    match = _PARTIAL_DATE.match(text.strip().replace(" ", ""))
    if not match:
        raise ValidationError(_("Please enter the date as DD.MM.YYYY, MM.YYYY or YYYY."), code="format")
    day_text, month_text = match["day"], match["month"]
    if day_text is not None and month_text is None:
        # "03.1994": the only dotted part is the month.
        day_text, month_text = None, day_text
    month = int(month_text) if month_text and month_text.isdigit() and int(month_text) else None
    day = int(day_text) if day_text and day_text.isdigit() and int(day_text) else None
    if day is not None and month is None:
        raise ValidationError(_("A day without a month cannot be used."), code="day_without_month")
    year = int(match["year"])
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ValidationError(_("This date does not exist."), code="invalid_date") from None
    return PartialDate(year, month, day)


class PartialDateField(forms.Field):
    """A text input for dates of which only the year, or year and month, may be known."""

    widget = forms.TextInput(attrs={"placeholder": "TT.MM.JJJJ", "maxlength": "12"})

    def to_python(self, value: Any) -> PartialDate | None:
        text = str(value or "").strip()
        if len(text) > 12:
            raise ValidationError(_("Please enter the date as DD.MM.YYYY, MM.YYYY or YYYY."), code="format")
        return parse_partial_date(text) if text else None


# Symbols (emoji, pictographs), private-use and unassigned code points are no part of a name.
_NOT_IN_NAMES = frozenset({"So", "Sk", "Sm", "Sc", "Co", "Cn", "Cs"})


def check_name(value: str) -> str:
    if any(unicodedata.category(char) in _NOT_IN_NAMES for char in value):
        raise ValidationError(_("Names cannot contain emoji or other symbols."), code="symbol")
    return value


_NAME_PAIRS = (("given_names", "given_names_own_script"), ("family_name", "family_name_own_script"))
_OWN_SCRIPT_FIELDS = tuple(own for _latin, own in _NAME_PAIRS)


def _assignment_choices(user: User) -> list[tuple[str, str]]:
    return [
        (str(m.pk), f"{m.organisation}" + (f" – {m.team}" if m.team else ""))
        for m in access.memberships_with(user, Perm.EDIT_PARTICIPANTS)
    ]


class ParticipantForm(VersionedFormMixin, ModelForm):  # stubs type `initial` differently
    birth_date = PartialDateField(
        label=_("date of birth"),
        help_text=_("DD.MM.YYYY; if only partly known MM.YYYY or YYYY (unknown parts may be 00 or XX)."),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("other languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(),
    )
    children = forms.CharField(
        label=_("children in the household (years of birth)"),
        required=False,
        max_length=100,
        help_text=_("Comma-separated, e.g. 2015, 2019."),
    )
    other_spellings = forms.CharField(
        label=_("other known spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. the spelling in another document."),
        max_length=2000,
    )

    class Meta:
        model = Participant
        fields = [
            "project",
            "given_names",
            "family_name",
            "given_names_own_script",
            "family_name_own_script",
            "birth_date_is_placeholder",
            "gender",
            "nationality",
            "country_of_birth",
            "phone",
            "email",
            "messenger",
            "street",
            "postcode",
            "town",
            "district",
            "arrival_date",
            "entry_date",
            "first_language",
            "other_languages",
            "german_level",
            "single_parent",
            "schooling_status",
        ]
        widgets = {"arrival_date": DateInput(), "entry_date": DateInput()}

    field_order = [
        "given_names",
        "family_name",
        "given_names_own_script",
        "family_name_own_script",
        "other_spellings",
        "birth_date",
        "birth_date_is_placeholder",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # a copy the form may change: a suggested Latin spelling goes in
            self.data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        # Required unless a name in its own script is given, from which one is suggested.
        self.fields["given_names"].required = False
        self.fields["given_names"].help_text = _(
            "As in the residence permit or passport. For a name in another script, fill in "
            "the fields below: a Latin spelling is suggested for you to check."
        )
        for name in _OWN_SCRIPT_FIELDS:
            self.fields[name].help_text = _(
                "Only for a name written in another script (Arabic, Persian, Cyrillic …)."
            )
            self.fields[name].widget.attrs["dir"] = "auto"  # right to left for Arabic script
        if self.instance.pk:
            self.limit_projects({self.instance.organisation.network_id})
            self.initial.setdefault("birth_date", self.instance.birth_date_display)
            if self.instance.birth_date_is_placeholder:
                self.initial["birth_date"] = f"01.01.{self.instance.birth_year}"
            self.initial.setdefault(
                "other_spellings", "\n".join(v.name for v in self.instance.name_variants.all())
            )
            self.initial.setdefault("children", ", ".join(str(y) for y in self.instance.children_birth_years))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for latin_field, own_field in _NAME_PAIRS:
            self._check_scripts(data, latin_field, own_field)
        born: PartialDate | None = data.get("birth_date")
        today = datetime.date.today()
        entry, arrival = data.get("entry_date"), data.get("arrival_date")
        if born:
            if born.earliest() > today:
                self.add_error("birth_date", _("The date of birth cannot be in the future."))
            elif born.year < 1900:
                self.add_error("birth_date", _("Please check the year of birth."))
            elif entry and born.earliest() > entry:
                self.add_error("birth_date", _("The date of birth cannot be after the entry date."))
            if data.get("birth_date_is_placeholder") and (born.month, born.day) not in ((1, 1), (None, None)):
                self.add_error("birth_date_is_placeholder", _("Only 01.01. can be marked as a placeholder."))
            self.instance.birth_year, self.instance.birth_month, self.instance.birth_day = (
                born.year,
                born.month,
                born.day,
            )
        self.instance.children_birth_years = self._children(data.get("children", ""), born)
        self._check_schooling(data.get("schooling_status"), born, entry)
        if entry and entry > today:
            self.add_error("entry_date", _("The entry date cannot be in the future."))
        if arrival and arrival > today:
            self.add_error("arrival_date", _("The arrival date cannot be in the future."))
        elif arrival and born and arrival < born.earliest():
            self.add_error("arrival_date", _("The arrival cannot be before the birth."))
        return data

    def _check_scripts(self, data: dict[str, Any], latin_field: str, own_field: str) -> None:
        """Latin spelling and own script each in their field; a missing Latin spelling is
        suggested from the own script and shown for confirmation, never saved unseen."""
        if latin_field not in data or own_field not in data:
            return  # already refused (symbols, length)
        latin, own = data[latin_field], data[own_field]
        if own and names.is_latin(own):
            self.add_error(
                own_field,
                _("This field is only for a name in another script; enter Latin names in the fields above."),
            )
            return
        if latin and not names.is_latin(latin):
            if own:
                self.add_error(
                    latin_field,
                    _("Please use Latin letters here; the name in its own script goes in the field below."),
                )
                return
            own, latin = latin, ""  # typed in the wrong field: move it, then suggest
            data[own_field] = own
            self._show(own_field, own)
        if own and not latin:
            self._show(latin_field, names.suggest_latin(own))
            self.add_error(
                latin_field,
                _(
                    "Suggested from the name in its own script. Please check it against the "
                    "German documents, correct it if needed and save again."
                ),
            )
        elif latin_field == "given_names" and not latin:
            self.add_error(latin_field, self.fields[latin_field].error_messages["required"])

    def _show(self, field: str, value: str) -> None:
        """Puts a value into the re-rendered form (the user confirms it by saving)."""
        cast(QueryDict | dict[str, Any], self.data)[self.add_prefix(field)] = value

    def limit_projects(self, network_ids: set[int]) -> None:
        """Only projects of the participant's (or the user's) network can be chosen."""
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Project.objects.filter(network_id__in=network_ids)
        if not self.instance.project_id and field.queryset.count() == 1:
            field.initial = field.queryset.get()
        field.required = True

    def _children(self, text: str, parent: PartialDate | None) -> list[int]:
        years: list[int] = []
        for part in (p.strip() for p in text.replace(";", ",").split(",")):
            if not part:
                continue
            if not (part.isdigit() and len(part) == 4):
                self.add_error("children", _("Please enter four-digit years separated by commas."))
                return []
            year = int(part)
            if year > datetime.date.today().year or (parent and year < parent.year + 10):
                self.add_error("children", _("The year %(year)s is not plausible.") % {"year": year})
                return []
            years.append(year)
        return sorted(years)

    def _check_schooling(self, status: str | None, born: PartialDate | None, entry: Any) -> None:
        # Only school-age people (in Germany up to about 21 in vocational school) get a status.
        if status and born and entry and (entry.year - born.year) > 25:
            self.add_error("schooling_status", _("The schooling status is only for school-age participants."))

    def children_data(self) -> dict[str, Any]:
        return {"children_birth_years": self.instance.children_birth_years}

    def clean_given_names(self) -> str:
        return check_name(self.cleaned_data["given_names"])

    def clean_family_name(self) -> str:
        return check_name(self.cleaned_data["family_name"])

    def clean_given_names_own_script(self) -> str:
        return check_name(self.cleaned_data["given_names_own_script"])

    def clean_family_name_own_script(self) -> str:
        return check_name(self.cleaned_data["family_name_own_script"])

    def clean_other_spellings(self) -> str:
        return check_name(self.cleaned_data["other_spellings"])

    def spellings(self) -> list[str]:
        return [line for line in self.cleaned_data.get("other_spellings", "").splitlines() if line.strip()]

    def birth_data(self) -> dict[str, Any]:
        return {
            "birth_year": self.instance.birth_year,
            "birth_month": self.instance.birth_month,
            "birth_day": self.instance.birth_day,
        }


class IntakeForm(SubmitOnceMixin, ParticipantForm):
    assignment = forms.ChoiceField(label=_("organisation and team"))
    confirmed_new = forms.BooleanField(
        label=_("I have checked the similar records: this is a different person."), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = _assignment_choices(user)  # type: ignore[attr-defined]
        self.user = user
        self.limit_projects(
            {m.organisation.network_id for m in access.memberships_with(user, Perm.EDIT_PARTICIPANTS)}
        )

    def membership(self) -> Membership:
        chosen = self.cleaned_data["assignment"]
        return next(
            m for m in access.memberships_with(self.user, Perm.EDIT_PARTICIPANTS) if str(m.pk) == chosen
        )


class ResidenceStatusForm(SubmitOnceMixin, ModelForm):
    class Meta:
        model = ResidenceStatus
        fields = [
            "status",
            "issued_on",
            "valid_until",
            "asylum_applied_on",
            "reception_centre_obligation",
            "work_note",
            "note",
        ]
        widgets = {"issued_on": DateInput(), "valid_until": DateInput(), "asylum_applied_on": DateInput()}


class OptionalResidenceStatusForm(ResidenceStatusForm):
    """At intake the document may be recorded later: an empty status skips the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        self.fields["issued_on"].required = False

    def is_empty(self) -> bool:
        return self.is_bound and not self.data.get(self.add_prefix("status"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") and not data.get("issued_on"):
            self.add_error("issued_on", _("Please enter the issue date of the document."))
        return data


class SearchForm(Form):
    q = forms.CharField(label=_("Name or date of birth"), max_length=200)


class ConsentForm(SubmitOnceMixin, ModelForm):
    scan_file = forms.FileField(
        label=_("scan of the signed sheet"),
        required=False,
        help_text=_("PDF, JPEG or PNG. Required when the consent was signed on paper."),
    )

    class Meta:
        model = Consent
        fields = ["purpose", "shared_with", "given_on", "method", "sheet_language"]
        widgets = {"given_on": DateInput(), "shared_with": forms.CheckboxSelectMultiple()}

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.instance.participant = participant
        self.instance.sheet_version = INFO_SHEET_VERSION
        partners = self.fields["shared_with"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        # Only other partners of the same network can receive shared data.
        partners.queryset = Organisation.objects.filter(
            network_id=participant.organisation.network_id, is_active=True
        ).exclude(pk=participant.organisation_id)
        self.fields["given_on"].initial = datetime.date.today()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        purpose = data.get("purpose")
        # Sharing names the partners who may read; a transfer the partner who takes over.
        names_partners = purpose in (ConsentPurpose.SHARING, ConsentPurpose.TRANSFER)
        if purpose == ConsentPurpose.SHARING and not data.get("shared_with"):
            self.add_error(
                "shared_with", _("Please name the partner organisations the data may be shared with.")
            )
        if purpose == ConsentPurpose.TRANSFER and not data.get("shared_with"):
            self.add_error("shared_with", _("Please name the partner organisation the case may move to."))
        if not names_partners and data.get("shared_with"):
            self.add_error(
                "shared_with",
                _("Partner organisations are only named for the purposes 'sharing' and 'transfer'."),
            )
        given = data.get("given_on")
        if given and given > datetime.date.today():
            self.add_error("given_on", _("The date cannot be in the future."))
        scan = data.get("scan_file")
        if data.get("method") == ConsentMethod.SIGNED_PAPER and not scan:
            self.add_error("scan_file", _("Please attach the scan of the signed sheet."))
        if scan:
            try:
                validate_scan(scan)
            except ValidationError as error:
                self.add_error("scan_file", error)
        return data
