"""Participants: the people a partner accompanies, with their dated residence status."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel, TimestampedModel
from bruecke.core.names import language_name_lazy
from bruecke.network.models import Organisation


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    DIVERSE = "diverse", _("diverse / non-binary")
    NOT_STATED = "not_stated", _("not stated")


class Messenger(models.TextChoices):
    NONE = "", _("none")
    WHATSAPP = "whatsapp", "WhatsApp"
    SIGNAL = "signal", "Signal"
    TELEGRAM = "telegram", "Telegram"
    OTHER = "other", _("other")


class ResidenceStatusType(models.TextChoices):
    GESTATTUNG = "gestattung", _("Aufenthaltsgestattung (asylum procedure)")
    DULDUNG_60A = "duldung_60a", _("Duldung § 60a AufenthG")
    DULDUNG_60B = "duldung_60b", _("Duldung § 60b (unclear identity)")
    DULDUNG_60C = "duldung_60c", _("Ausbildungsduldung § 60c")
    DULDUNG_60D = "duldung_60d", _("Beschäftigungsduldung § 60d")
    AE_25_1 = "ae_25_1", _("Aufenthaltserlaubnis § 25 (1) (asylum)")
    AE_25_2_REFUGEE = "ae_25_2_refugee", _("Aufenthaltserlaubnis § 25 (2) refugee protection")
    AE_25_2_SUBSIDIARY = "ae_25_2_subsidiary", _("Aufenthaltserlaubnis § 25 (2) subsidiary protection")
    AE_25_3 = "ae_25_3", _("Aufenthaltserlaubnis § 25 (3) (ban on deportation)")
    AE_25_4 = "ae_25_4", _("Aufenthaltserlaubnis § 25 (4)")
    AE_25_4AB = "ae_25_4ab", _("Aufenthaltserlaubnis § 25 (4a)/(4b)")
    AE_25_5 = "ae_25_5", _("Aufenthaltserlaubnis § 25 (5)")
    AE_24 = "ae_24", _("Aufenthaltserlaubnis § 24 (temporary protection)")
    AE_25A = "ae_25a", _("Aufenthaltserlaubnis § 25a (young people)")
    AE_25B = "ae_25b", _("Aufenthaltserlaubnis § 25b (sustained integration)")
    AE_104C = "ae_104c", _("Chancen-Aufenthaltsrecht § 104c")
    AE_16A = "ae_16a", _("Aufenthaltserlaubnis § 16a (vocational training)")
    AE_16G = "ae_16g", _("Aufenthaltserlaubnis § 16g (training of tolerated persons)")
    AE_18AB = "ae_18ab", _("Aufenthaltserlaubnis § 18a/§ 18b (skilled workers)")
    AE_19D = "ae_19d", _("Aufenthaltserlaubnis § 19d (qualified tolerated persons)")
    NIEDERLASSUNG = "niederlassung", _("Niederlassungserlaubnis")
    EU = "eu", _("EU citizen / freedom of movement")
    # Fiktionsbescheinigung (§ 81 Abs. 5 AufenthG), by what it certifies, and a lawful stay
    # without any title: no residence titles, but answered with their own rules.
    FIKTION_CONTINUATION = (
        "fiktion_continuation",
        _("Fiktionsbescheinigung: previous title continues (§ 81 (4))"),
    )
    FIKTION_STAY = "fiktion_stay", _("Fiktionsbescheinigung: stay deemed permitted (§ 81 (3))")
    FIKTION_24 = "fiktion_24", _("Fiktionsbescheinigung: temporary protection applied for (§ 24)")
    VISA_FREE = "visa_free", _("Visa-free short stay without a title")
    OTHER = "other", _("other")


class CefrLevel(models.TextChoices):
    NONE = "none", _("no knowledge")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class SchoolingStatus(models.TextChoices):
    NOT_APPLICABLE = "", _("not school age / not relevant")
    ATTENDING = "attending", _("attends a general school")
    VOCATIONAL_SCHOOL = "vocational_school", _("attends a vocational school")
    WAITING = "waiting", _("waiting for a school place")
    NOT_ATTENDING = "not_attending", _("of school age, does not attend school")
    FINISHED = "finished", _("compulsory schooling completed")


class EligibilityVerdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    UNCLEAR = "unclear", _("Unclear – facts are missing")


# Languages counsellors meet most; ISO 639-1 codes, named by Unicode CLDR in the user's
# language (bruecke.core.names). Farsi and Dari share a code here: counsellors do not tell
# them apart at intake, and CLDR has no name for the pair.
_LANGUAGE_CODES = ["ar", "fa", "ps", "ku", "tr", "uk", "ru", "ti", "so", "ka", "en", "fr", "de"]
LANGUAGE_CHOICES = [
    (code, _("Farsi / Dari") if code == "fa" else language_name_lazy(code)) for code in _LANGUAGE_CODES
] + [("other", _("other"))]

# The columns the participant list sorts by (views.LIST_ORDERINGS).
SORT_COLUMNS = ["latin_name", "birth_year", "birth_month", "birth_day", "current_valid_until"]


class Participant(VersionedModel, OrganisationScopedModel):
    """A person accompanied by one partner. Names are stored exactly as written (Unicode
    NFC), in Latin and in their own script; `latin_name` (ASCII, for sorting) and the
    `NameKey` rows serve search."""

    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("project"),
    )
    # The Latin spelling used in German documents (residence permit, Jobcenter letters):
    # shown everywhere. The name as written in its own script is kept beside it; both are
    # edited by the user, and a Latin spelling suggested by the machine is marked as
    # unconfirmed until someone saves it (decision 0026).
    given_names = models.CharField(_("given names (Latin, as in German documents)"), max_length=150)
    family_name = models.CharField(
        _("family name (Latin, as in German documents)"), max_length=150, blank=True
    )
    given_names_own_script = models.CharField(
        _("given names in their own script"), max_length=150, blank=True
    )
    family_name_own_script = models.CharField(_("family name in its own script"), max_length=150, blank=True)
    latin_spelling_confirmed = models.BooleanField(
        _("Latin spelling checked by a person"), default=True, editable=False
    )
    latin_name = models.CharField(_("name in Latin script"), max_length=400, editable=False)
    # Birth dates are often partial on refugee documents: year, or year and month.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    birth_date_is_placeholder = models.BooleanField(
        _("the document's day and month are a placeholder (e.g. 01.01.)"), default=False
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices)
    nationality = CountryField(_("nationality"), blank=True)
    country_of_birth = CountryField(_("country of birth"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    messenger = models.CharField(
        _("preferred messenger"), max_length=12, choices=Messenger.choices, blank=True
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    district = models.CharField(_("district (Landkreis)"), max_length=100, blank=True)
    arrival_date = models.DateField(_("arrival in Germany"), null=True, blank=True)
    first_language = models.CharField(_("first language"), max_length=8, choices=LANGUAGE_CHOICES, blank=True)
    other_languages = models.JSONField(_("other languages"), default=list, blank=True)
    german_level = models.CharField(
        _("German (CEFR level)"), max_length=4, choices=CefrLevel.choices, blank=True
    )
    children_birth_years = models.JSONField(
        _("children in the household (years of birth)"), default=list, blank=True
    )
    single_parent = models.BooleanField(_("single parent"), default=False)
    schooling_status = models.CharField(
        _("schooling (for school-age participants)"),
        max_length=20,
        choices=SchoolingStatus.choices,
        blank=True,
    )
    # Eligibility at entry, kept by the services so that lists can filter on it.
    eligibility = models.CharField(
        _("eligibility at entry"),
        max_length=14,
        choices=EligibilityVerdict.choices,
        blank=True,
        editable=False,
    )
    entry_date = models.DateField(_("entry into the project"), default=datetime.date.today)
    # The newest residence document, kept here by the services so that lists filter on
    # indexed columns instead of a per-row subquery (see docs/benchmarks.md).
    current_status = models.CharField(
        _("residence status"), max_length=24, choices=ResidenceStatusType.choices, blank=True, editable=False
    )
    current_valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
        verbose_name=_("registered by"),
    )
    # Set when this registration was merged into another one (the duplicate review):
    # every record moved there, this row stays only so that the merge can be undone.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["latin_name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        # The list's scopes (organisation, or organisation and team) with each sort order
        # of the list: a page is read from the index in order and stops after 50 rows
        # (decision 0068; descending sorts scan the same indexes backwards).
        indexes = [
            models.Index(fields=["organisation", "team", "latin_name"]),
            models.Index(fields=["organisation", "latin_name"]),
            models.Index(fields=["birth_year"]),
            models.Index(fields=["organisation", "current_status"]),
            models.Index(fields=["organisation", "eligibility"]),
            models.Index(
                fields=["organisation", "team", "birth_year", "birth_month", "birth_day", "latin_name"],
                name="participant_team_born",
            ),
            models.Index(
                fields=["organisation", "birth_year", "birth_month", "birth_day", "latin_name"],
                name="participant_org_born",
            ),
            models.Index(
                fields=["organisation", "team", "current_valid_until", "latin_name"],
                name="participant_team_valid",
            ),
            models.Index(
                fields=["organisation", "current_valid_until", "latin_name"], name="participant_org_valid"
            ),
            # Counting a list or a search result, and finding and sorting the ids of a
            # search's page, read only these indexes (index-only scans), not the table:
            # the scope's current registrations with every column the list sorts by.
            models.Index(
                fields=["organisation", "team", "id", *SORT_COLUMNS],
                condition=models.Q(merged_into__isnull=True),
                name="participant_team_current",
            ),
            models.Index(
                fields=["organisation", "id", *SORT_COLUMNS],
                condition=models.Q(merged_into__isnull=True),
                name="participant_org_current",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def own_script_name(self) -> str:
        """The name as written in its own script (Arabic, Cyrillic, …), if recorded."""
        return f"{self.given_names_own_script} {self.family_name_own_script}".strip()

    @property
    def birth_date_display(self) -> str:
        """As known: 07.03.1994, 03.1994 or 1994."""
        if self.birth_date_is_placeholder or self.birth_month is None:
            return f"{self.birth_year}"
        if self.birth_day is None:
            return f"{self.birth_month:02d}.{self.birth_year}"
        return f"{self.birth_day:02d}.{self.birth_month:02d}.{self.birth_year}"

    @property
    def birth_date_for_age(self) -> datetime.date:
        """Partial dates count from 1 January / the 1st (esf-indicators §11.5)."""
        if self.birth_date_is_placeholder:
            return datetime.date(self.birth_year, 1, 1)
        return datetime.date(self.birth_year, self.birth_month or 1, self.birth_day or 1)

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date_for_age
        had_birthday = (day.month, day.day) >= (born.month, born.day)
        return day.year - born.year - (0 if had_birthday else 1)

    @property
    def age_at_entry(self) -> int:
        return self.age_on(self.entry_date)


class NameVariant(TimestampedModel):
    """Another known spelling (other document, other transliteration, nickname)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="name_variants")
    name = models.CharField(_("other spelling"), max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("other spelling")
        verbose_name_plural = _("other spellings")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation(self) -> Organisation:
        return self.participant.organisation


class NameKey(models.Model):
    """Search keys derived from all spellings of a participant's name (rebuilt on change)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")
        constraints = [models.UniqueConstraint(fields=["participant", "key"], name="namekey_unique")]
        # Pattern opclass: PostgreSQL can then use the index for `key LIKE 'prefix%'` under
        # any collation (other databases ignore the opclass). With the participant in the
        # index, a search finds its participants from the index alone (decision 0068).
        indexes = [
            models.Index(
                fields=["key", "participant"],
                name="namekey_key_participant",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.key


class WorkNote(models.TextChoices):
    NONE = "", _("no note / not known")
    PERMITTED = "permitted", _("Erwerbstätigkeit gestattet")
    WITH_PERMISSION = "with_permission", _("Beschäftigung nur mit Erlaubnis der Ausländerbehörde")
    NOT_PERMITTED = "not_permitted", _("Erwerbstätigkeit nicht gestattet")


class ResidenceStatus(TimestampedModel):
    """One residence document in the participant's history (newest issue date = current)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="residence_statuses")
    status = models.CharField(_("residence status"), max_length=24, choices=ResidenceStatusType.choices)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    asylum_applied_on = models.DateField(_("asylum application on"), null=True, blank=True)
    reception_centre_obligation = models.BooleanField(
        _("obliged to live in a reception centre"), default=False
    )
    work_note = models.CharField(
        _("note on work in the document"), max_length=20, choices=WorkNote.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("residence status")
        verbose_name_plural = _("residence statuses")
        indexes = [
            models.Index(fields=["participant", "-issued_on"]),
            models.Index(fields=["valid_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="residence_status_valid_after_issue",
                violation_error_message=_("'Valid until' must not be before the issue date."),
            )
        ]

    def __str__(self) -> str:
        return str(self.get_status_display())

    def clean(self) -> None:
        errors = {}
        today = datetime.date.today()
        if self.issued_on and self.issued_on > today:
            errors["issued_on"] = _("The issue date cannot be in the future.")
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors["valid_until"] = _("'Valid until' must not be before the issue date.")
        if self.asylum_applied_on and self.asylum_applied_on > today:
            errors["asylum_applied_on"] = _("The application date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    @property
    def audit_organisation(self) -> Organisation:
        return self.participant.organisation


class ConsentPurpose(models.TextChoices):
    COUNSELLING = "counselling", _("counselling and documentation")
    FUNDER_REPORTING = "funder_reporting", _("reporting to the funder (ESF)")
    SHARING = "sharing", _("sharing with named partner organisations")
    CONTACT_AFTER_EXIT = "contact_after_exit", _("contact after leaving the project")
    TRANSFER = "transfer", _("transfer to another partner organisation")


class ConsentMethod(models.TextChoices):
    ON_SCREEN = "on_screen", _("on screen")
    SIGNED_PAPER = "signed_paper", _("signed on paper (scan attached)")


class InfoSheetLanguage(models.TextChoices):
    DE = "de", "Deutsch"
    EN = "en", "English"
    AR = "ar", "العربية"
    FA = "fa", "فارسی / دری"
    UK = "uk", "Українська"


def consent_scan_path(instance: Consent, filename: str) -> str:
    # Never the uploaded name: a random name under the participant's organisation.
    return f"consents/{instance.participant.organisation_id}/{filename}"


class Consent(TimestampedModel):
    """A purpose-scoped consent. Immutable once recorded; revoking is one action and
    takes effect on the next request (access reads only unrevoked sharing consents)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    shared_with = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("shared with (partner organisations)")
    )
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=16, choices=ConsentMethod.choices)
    sheet_version = models.CharField(_("version of the information sheet"), max_length=20)
    sheet_language = models.CharField(
        _("language of the information sheet"), max_length=5, choices=InfoSheetLanguage.choices
    )
    scan = models.FileField(_("scan of the signed sheet"), upload_to=consent_scan_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["participant", "purpose", "revoked_on"])]

    def __str__(self) -> str:
        return str(self.get_purpose_display())

    @property
    def is_active(self) -> bool:
        return self.revoked_on is None

    @property
    def audit_organisation(self) -> Organisation:
        return self.participant.organisation
