"""ESF entry questionnaire: a participant's characteristics at entry, for funder reporting.

Kept apart from the counselling data (own table, own app) because it is kept for a
different period: ESF records must survive until the funder's retention period ends,
counselling notes follow the counselling retention rules. A participant therefore cannot be
deleted while an entry record exists (PROTECT); the erasure job decides about both.

Definitions: shared/design/esf-indicators.md §5, §8.2, §8.7 and the binding decisions §11.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel
from bruecke.participants.models import Gender, Participant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# EU-27 member states (ISO 3166-1 alpha-2; Greece is GR, not the EU's "EL").
EU27 = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU",
    }
)  # fmt: skip
STATELESS = "XX"
NATIONALITY_UNCLEAR = "XU"


def citizenship_codes(text: str) -> list[str]:
    """The ISO codes of a citizenships field, upper case, without duplicates, in order."""
    codes: list[str] = []
    for code in text.replace(",", " ").upper().split():
        if code not in codes:
            codes.append(code)
    return codes


def third_country_national_of(codes: list[str]) -> bool | None:
    """§11.11 for several citizenships: no EU-27 citizenship among them (stateless and
    undetermined count as third-country); None when none is recorded."""
    if not codes:
        return None
    return not any(code in EU27 for code in codes)


def third_country_national(nationality: object) -> bool | None:
    """§11.11: True without an EU-27 citizenship; stateless ("XX") and undetermined ("XU")
    count as third-country nationals. None when no nationality is recorded (the person is
    then not counted in this item, §11.2).

    Only one nationality is recorded per participant; a dual citizen with one EU
    citizenship must be recorded with the EU citizenship to be counted correctly.
    """
    code = str(getattr(nationality, "code", nationality) or "").strip().upper()
    if not code:
        return None
    return code not in EU27


class LabourMarketStatus(models.TextChoices):
    EMPLOYED = "employed", _("employed (including self-employed)")
    UNEMPLOYED = "unemployed", _("unemployed (registered)")
    INACTIVE = "inactive", _("inactive (neither employed nor registered unemployed)")


class Answer(models.TextChoices):
    """Answer to a sensitive question (§2.5, §11.10); empty = not asked yet."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    REFUSED = "refused", _("refused to answer")


class IscedLevel(models.IntegerChoices):
    """ISCED 2011, highest level successfully completed at entry (§5.3)."""

    LEVEL_0 = 0, _("ISCED 0 – no completed primary education")
    LEVEL_1 = 1, _("ISCED 1 – primary education (e.g. Grundschule)")
    LEVEL_2 = 2, _("ISCED 2 – lower secondary (e.g. Hauptschulabschluss, mittlerer Abschluss)")
    LEVEL_3 = 3, _("ISCED 3 – upper secondary (e.g. Abitur, completed vocational training)")
    LEVEL_4 = 4, _("ISCED 4 – post-secondary non-tertiary (e.g. Abitur plus vocational training)")
    LEVEL_5 = 5, _("ISCED 5 – short-cycle tertiary education")
    LEVEL_6 = 6, _("ISCED 6 – bachelor or equivalent (e.g. Meister, Techniker, Bachelor)")
    LEVEL_7 = 7, _("ISCED 7 – master or equivalent (e.g. Master, Diplom, Staatsexamen)")
    LEVEL_8 = 8, _("ISCED 8 – doctorate")


class SchoolQualification(models.TextChoices):
    NONE = "none", _("none / below Hauptschulabschluss")
    HAUPTSCHULE = "hauptschule", _("Hauptschulabschluss or equivalent")
    MITTLERER = "mittlerer", _("mittlerer Abschluss or equivalent")
    HOCHSCHULREIFE = "hochschulreife", _("(Fach-)Hochschulreife or equivalent")


class VocationalQualification(models.TextChoices):
    NONE = "none", _("none")
    BASIC = "basic", _("one-year Berufsfachschule / Berufsgrundbildungsjahr")
    DUAL = "dual", _("vocational training (apprenticeship)")
    HEALTH_SOCIAL = "health_social", _("two- to three-year school for health or social professions")
    MEISTER = "meister", _("Meister / Techniker")
    UNIVERSITY = "university", _("university, university of applied sciences, Berufsakademie, doctorate")


LM_STATUS_HELP = _(
    "Unemployed: registered as unemployed with the Agentur für Arbeit or the Jobcenter, even "
    "with a mini-job. Employed: otherwise any paid work – employees, mini-jobs, self-employed, "
    "in-company apprentices, parental leave. Inactive: everyone else, including asylum seekers "
    "who are not registered as unemployed and people attending an integration course."
)
SENSITIVE_FIELDS = ("disability", "minority", "foreign_background", "homeless_or_housing_exclusion")
HOUSEHOLD_FIELDS = ("household_jobless", "household_single_adult", "household_dependent_children")
# Questions of the ESF 2014–2020 variant only (not asked in ESF Plus).
ESF_2014_FIELDS = ("in_education_training", *HOUSEHOLD_FIELDS)


def _encrypted_answer_field(label: StrOrPromise) -> EncryptedTextField:
    # Special-category data (GDPR Art. 9): even "refused" is kept from a copy of the
    # database (decision 0023).
    return EncryptedTextField(label, max_length=8, choices=Answer.choices, blank=True)


def _answer_field(label: StrOrPromise, help_text: StrOrPromise = "") -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(label, max_length=8, choices=Answer.choices, blank=True, help_text=help_text)


class EntryRecord(VersionedModel, OrganisationScopedModel):
    """The ESF questionnaire at entry: one per participant, same organisation.

    Age at entry is derived from the participant and never stored; the citizenships and
    third-country status are frozen at entry by the entry service (§11.15). The degree of
    urbanisation (rural, §11.11: DEGURBA 3) is recorded in `rural_area` or derived from
    the town (empty = unknown).
    """

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="esf_entry", verbose_name=_("participant")
    )
    lm_status_entry = models.CharField(
        _("labour-market status at entry"),
        max_length=12,
        choices=LabourMarketStatus.choices,
        blank=True,
        help_text=LM_STATUS_HELP,
    )
    registered_unemployed_since = models.DateField(
        _("registered unemployed since"),
        null=True,
        blank=True,
        help_text=_("Only for registered unemployed people: date of the current registration."),
    )
    in_education_training = models.BooleanField(_("in education or training at entry"), null=True, blank=True)
    isced_level = models.PositiveSmallIntegerField(
        _("highest completed education (ISCED 2011)"),
        null=True,
        blank=True,
        choices=IscedLevel.choices,
        validators=[MinValueValidator(0), MaxValueValidator(8)],
        help_text=_(
            "Highest level successfully completed, including qualifications from abroad "
            "whether recognised or not."
        ),
    )
    school_qualification_de = models.CharField(
        _("school-leaving qualification"), max_length=16, choices=SchoolQualification.choices, blank=True
    )
    vocational_qualification_de = models.CharField(
        _("vocational qualification"), max_length=16, choices=VocationalQualification.choices, blank=True
    )
    disability = _encrypted_answer_field(_("disability"))
    disability_details = EncryptedTextField(
        _("details on the disability"),
        max_length=2000,
        blank=True,
        help_text=_("Only if needed for the support; stored encrypted."),
    )
    minority = _encrypted_answer_field(_("member of a minority"))
    foreign_background = _answer_field(_("foreign background"), _("Both parents were born outside Germany."))
    homeless_or_housing_exclusion = _answer_field(_("homeless or excluded from housing"))
    sensitive_asked_on = models.DateField(
        _("sensitive questions asked on"),
        null=True,
        blank=True,
        help_text=_("Required when an answer was refused: evidence that the question was asked."),
    )
    household_jobless = models.BooleanField(
        _("lives in a jobless household"),
        null=True,
        blank=True,
        help_text=_("No member of the household is in paid work."),
    )
    household_single_adult = models.BooleanField(
        _("single adult with dependent children"), null=True, blank=True
    )
    household_dependent_children = models.BooleanField(
        _("household with dependent children"),
        null=True,
        blank=True,
        help_text=_("Children under 18, or 18 to 24 and inactive, living with a parent."),
    )
    # Frozen at entry (§11.1, §11.15): every citizenship the person held when entering, as
    # ISO codes separated by spaces ("XX" stateless, "XU" undetermined), and whether that
    # made them a third-country national (§11.11). A later naturalisation or correction of
    # the participant's nationality does not change a past entry.
    citizenships = models.CharField(_("citizenships at entry"), max_length=60, blank=True)
    third_country_national_at_entry = models.BooleanField(
        _("third-country national at entry"), null=True, blank=True, editable=False
    )
    rural_area = models.BooleanField(
        _("lives in a rural area"),
        null=True,
        blank=True,
        help_text=_(
            "Thinly populated area (degree of urbanisation 3). Leave 'unknown' to derive it "
            "from the town when the municipality list knows it."
        ),
    )

    class Meta:
        verbose_name = _("ESF entry questionnaire")
        verbose_name_plural = _("ESF entry questionnaires")

    def __str__(self) -> str:
        return f"ESF entry #{self.pk}"

    @property
    def age_at_entry(self) -> int:
        return self.participant.age_at_entry

    @property
    def third_country_national(self) -> bool | None:
        """As frozen at entry; records saved before the citizenships existed fall back to
        the participant's nationality."""
        if self.citizenships:
            return self.third_country_national_at_entry
        return third_country_national(self.participant.nationality)

    @property
    def rural(self) -> bool | None:
        """The recorded answer; otherwise derived from the town (degree of urbanisation)."""
        if self.rural_area is not None:
            return self.rural_area
        return derived_rural(self.participant.town)

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        today = timezone.localdate()
        entry: datetime.date | None = self.participant.entry_date if self.participant_id else None
        since = self.registered_unemployed_since
        if self.lm_status_entry == LabourMarketStatus.UNEMPLOYED:
            # §11.15: a registered unemployed person without a registration date is
            # accepted (imported data, unknown date): not long-term unemployed, and the
            # report flags the record for completion.
            if since is None:
                pass
            elif entry and since > entry:
                errors["registered_unemployed_since"] = _(
                    "The registration date cannot be after the entry into the project."
                )
            elif since > today:
                errors["registered_unemployed_since"] = _("The registration date cannot be in the future.")
        elif since is not None:
            errors["registered_unemployed_since"] = _(
                "Leave empty unless the person is registered unemployed."
            )
        refused = any(getattr(self, name) == Answer.REFUSED for name in SENSITIVE_FIELDS)
        if refused and self.sensitive_asked_on is None:
            errors["sensitive_asked_on"] = _(
                "An answer was refused: please enter the date the question was asked."
            )
        elif self.sensitive_asked_on and self.sensitive_asked_on > today:
            errors["sensitive_asked_on"] = _("The date cannot be in the future.")
        if self.disability_details and self.disability != Answer.YES:
            errors["disability_details"] = _("Details can only be recorded when the answer is yes.")
        if errors:
            raise ValidationError(errors)


# The mandatory items of §11.2, with their labels (gender and birth year live on the participant).
MANDATORY_FIELDS: dict[str, object] = {
    "gender": _("gender"),
    "birth_year": _("year of birth"),
    "lm_status_entry": _("labour-market status at entry"),
    "isced_level": _("education level (ISCED)"),
}


def missing_values(
    *, gender: str | None, birth_year: int | None, lm_status: str | None, isced: int | None
) -> list[str]:
    """The mandatory items (§11.2) that are missing, from plain values (usable on annotated rows)."""
    missing = []
    if not gender or gender == Gender.NOT_STATED:
        missing.append("gender")
    if not birth_year:
        missing.append("birth_year")
    if not lm_status:
        missing.append("lm_status_entry")
    if isced is None:
        missing.append("isced_level")
    return missing


def missing_fields(participant: Participant, record: EntryRecord | None) -> list[str]:
    """Names of the mandatory items (§11.2) still missing for ESF reporting."""
    return missing_values(
        gender=participant.gender,
        birth_year=participant.birth_year,
        lm_status=record.lm_status_entry if record else None,
        isced=record.isced_level if record else None,
    )


def is_complete(participant: Participant, record: EntryRecord | None) -> bool:
    return not missing_fields(participant, record)


class Degurba(models.IntegerChoices):
    CITY = 1, _("city (densely populated)")
    TOWN = 2, _("town or suburb (intermediate density)")
    RURAL = 3, _("rural area (thinly populated)")


def municipality_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Municipality(models.Model):
    """Reference data: a municipality (LAU) and its degree of urbanisation (Eurostat
    DEGURBA), loaded with `manage.py import_degurba`."""

    lau_code = models.CharField(_("LAU code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(_("search key"), max_length=200, db_index=True, editable=False)
    degurba = models.PositiveSmallIntegerField(_("degree of urbanisation"), choices=Degurba.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


def derived_rural(town: str) -> bool | None:
    """True/False when the town names exactly one degree of urbanisation, else unknown."""
    if not town.strip():
        return None
    degrees = set(
        Municipality.objects.filter(name_key=municipality_key(town)).values_list("degurba", flat=True)
    )
    if len(degrees) != 1:
        return None
    return degrees.pop() == Degurba.RURAL


# The exit questionnaire and the follow-up live in their own module; imported here so
# Django registers them with the esf app.
from bruecke.esf.exit_models import (  # noqa: E402
    ExitReason,
    ExitRecord,
    ExitSituation,
    FollowUp,
    FollowUpAnswer,
    Improvement,
    SituationType,
)

__all__ = [
    "ExitReason",
    "ExitRecord",
    "ExitSituation",
    "FollowUp",
    "FollowUpAnswer",
    "Improvement",
    "SituationType",
]
