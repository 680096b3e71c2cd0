"""Employers: the companies a partner works with, their sites, contacts and history.

An employer belongs to the organisation that recorded it. Sharing it with the other
partners of the network is an explicit choice per employer (`shared_with_network`); the
employer's contact persons are personal data and stay with the owning organisation
(docs/decisions/0037).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel, TimestampedModel
from bruecke.network.models import Located, Organisation
from bruecke.placement.kldb import fold


class Sector(models.TextChoices):
    """WZ 2008 sections (the German NACE Rev. 2)."""

    A = "A", _("A – Agriculture, forestry and fishing")
    B = "B", _("B – Mining and quarrying")
    C = "C", _("C – Manufacturing")
    D = "D", _("D – Electricity, gas, steam and air conditioning supply")
    E = "E", _("E – Water supply, sewerage, waste management")
    F = "F", _("F – Construction")
    G = "G", _("G – Wholesale and retail trade, repair of motor vehicles")
    H = "H", _("H – Transport and storage")
    I = "I", _("I – Accommodation and food service")  # noqa: E741 (the section's letter)
    J = "J", _("J – Information and communication")
    K = "K", _("K – Financial and insurance services")
    L = "L", _("L – Real estate")
    M = "M", _("M – Professional, scientific and technical services")
    N = "N", _("N – Administrative and support services (incl. temporary agency work)")
    O = "O", _("O – Public administration and defence")  # noqa: E741
    P = "P", _("P – Education")
    Q = "Q", _("Q – Human health and social work")
    R = "R", _("R – Arts, entertainment and recreation")
    S = "S", _("S – Other service activities")
    T = "T", _("T – Private households as employers")
    U = "U", _("U – Extraterritorial organisations")


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250+", _("250 or more employees")


class CooperationStatus(models.TextChoices):
    PROSPECT = "prospect", _("prospect (not yet contacted)")
    CONTACTED = "contacted", _("in contact")
    ACTIVE = "active", _("active cooperation")
    PAUSED = "paused", _("paused")
    ENDED = "ended", _("ended")


_UMLAUT_SPELLINGS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold_name(text: str) -> str:
    """`fold`, and the spellings without umlauts read as the umlauts ("Mueller" and
    "Müller" both become "muller"), for the employer search; apply it to both sides."""
    folded = fold(text)
    for spelled, plain in _UMLAUT_SPELLINGS:
        folded = folded.replace(spelled, plain)
    return folded


class Employer(VersionedModel, OrganisationScopedModel):
    name = models.CharField(_("name"), max_length=200)
    # Folded name for the search (`fold_name`): "Baeckerei" and "backerei" find "Bäckerei".
    search_name = models.CharField(_("name for searching"), max_length=200, editable=False, default="")
    sector = models.CharField(_("sector (WZ 2008)"), max_length=1, choices=Sector.choices)
    size_band = models.CharField(_("size"), max_length=8, choices=SizeBand.choices, blank=True)
    cooperation_status = models.CharField(
        _("cooperation status"),
        max_length=12,
        choices=CooperationStatus.choices,
        default=CooperationStatus.PROSPECT,
    )
    open_to_refugees = models.TextField(_("openness to refugees"), max_length=2000, blank=True)
    language_needs = models.TextField(_("language needs"), max_length=2000, blank=True)
    training_licence = models.BooleanField(_("licensed to train apprentices"), default=False)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    website = models.URLField(_("website"), blank=True)
    shared_with_network = models.BooleanField(
        _("share with the network's partners"),
        default=False,
        help_text=_(
            "Other partners see the employer, its sites and opportunities, never its contact persons."
        ),
    )
    # Kept by the services that record employer contacts: "not contacted for N weeks".
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [
            models.Index(fields=["organisation", "name"]),
            models.Index(fields=["shared_with_network", "name"]),
            models.Index(fields=["organisation", "last_contact_on"]),
            models.Index(fields=["search_name"], name="placement_employer_search"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "search_name"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class EmployerRow(TimestampedModel):
    """A record that belongs to an employer; audited under the employer's organisation."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def audit_organisation(self) -> Organisation:
        return self.employer.organisation


class EmployerSite(VersionedModel, EmployerRow, Located):
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="sites", verbose_name=_("employer")
    )
    name = models.CharField(_("name of the site"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["town", "id"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name or self.address_line


class EmployerContact(VersionedModel, EmployerRow):
    """A contact person at the employer (personal data of that person)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class EmployerActivityKind(models.TextChoices):
    PHONE = "phone", _("phone call")
    VISIT = "visit", _("visit")
    EMAIL = "email", _("e-mail")
    MEETING = "meeting", _("meeting")
    EVENT = "event", _("event or job fair")
    OTHER = "other", _("other")


class EmployerActivity(EmployerRow):
    """One contact with the employer (the employer's history)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="activities", verbose_name=_("employer")
    )
    date = models.DateField(_("date"), default=datetime.date.today)
    kind = models.CharField(_("kind"), max_length=10, choices=EmployerActivityKind.choices)
    contact = models.ForeignKey(
        EmployerContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    note = models.TextField(_("note"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contact with the employer")
        verbose_name_plural = _("contacts with the employer")
        indexes = [models.Index(fields=["employer", "-date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
