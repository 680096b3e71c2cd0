"""Network work: trainings for partners, awareness events and cooperation partners.

None of these records is about a participant. Trainings count their audience per kind of
organisation, never by name (the issue asks for no personal data of attendees). They are
seen network-wide (`core.access.offers_filter`); the contact persons and meeting notes of
cooperation partners, and the materials of trainings, only by the owning organisation
(`offers_people_visible`, decision 0043).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.locking import VersionedModel
from bruecke.core.models import TimestampedModel
from bruecke.network.models import Organisation

# A training or event of a single day has at most a few thousand in its audience; the
# limit keeps a typo (an extra digit or two) out of the reporting figures.
MAX_AUDIENCE = 10_000


class AudienceKind(models.TextChoices):
    JOBCENTER = "jobcenter", _("Jobcenter")
    AGENTUR = "agentur", _("Agentur für Arbeit")
    IMMIGRATION_OFFICE = "immigration_office", _("Ausländerbehörde")
    MUNICIPALITY = "municipality", _("municipality")
    COMPANY = "company", _("company")
    CHAMBER = "chamber", _("chamber")
    SCHOOL = "school", _("school")
    OTHER = "other", _("other")


class Training(VersionedModel, TimestampedModel):
    """A training for staff of partner organisations (e.g. on asylum and residence law)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("held by organisation")
    )
    topic = models.CharField(_("topic"), max_length=200)
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return self.topic


class TrainingAudience(TimestampedModel):
    """Who attended a training: a kind of organisation and how many came (no names)."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="audience", verbose_name=_("training")
    )
    kind = models.CharField(_("kind of organisation"), max_length=24, choices=AudienceKind.choices)
    organisation_name = models.CharField(_("name of the organisation"), max_length=200, blank=True)
    attendees = models.PositiveIntegerField(
        _("number of attendees"), validators=[MinValueValidator(1), MaxValueValidator(MAX_AUDIENCE)]
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("attending organisation")
        verbose_name_plural = _("attending organisations")
        indexes = [models.Index(fields=["training", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.attendees}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.training.organisation


def material_path(instance: TrainingMaterial, filename: str) -> str:
    # Never the uploaded name: the service passes a random one; one folder per organisation.
    return f"training-materials/{instance.training.organisation_id}/{filename}"


class TrainingMaterial(TimestampedModel):
    """A file handed out at a training; downloaded only by the owning organisation."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="materials", verbose_name=_("training")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation(self) -> Organisation:
        return self.training.organisation

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else ""

    @property
    def download_name(self) -> str:
        """The file name offered on download: a number, never the uploaded name."""
        return f"material-{self.pk}.{self.extension}"


class AwarenessKind(models.TextChoices):
    OASE = "oase", _("Oase der Vielfalt")
    SIMULATION = "simulation", _("simulation game “Flüchtling für einen Tag”")
    INFORMATION = "information", _("information event")
    OTHER = "other", _("other")


class AwarenessEvent(VersionedModel, TimestampedModel):
    """An awareness event, counted by its audience."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("held by organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of event"), max_length=16, choices=AwarenessKind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    audience = models.PositiveIntegerField(
        _("audience"), validators=[MinValueValidator(0), MaxValueValidator(MAX_AUDIENCE)]
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("awareness event")
        verbose_name_plural = _("awareness events")
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return self.title


class PartnerKind(models.TextChoices):
    AUTHORITY = "authority", _("authority")
    IHK = "ihk", _("chamber of industry and commerce (IHK)")
    HWK = "hwk", _("chamber of crafts (HWK)")
    COMPANY = "company", _("company")
    SCHOOL = "school", _("school")
    OTHER = "other", _("other")


class CooperationPartner(VersionedModel, TimestampedModel):
    """An authority, chamber, company or school the network works with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by organisation")
    )
    kind = models.CharField(_("kind of partner"), max_length=16, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("cooperation partner")
        verbose_name_plural = _("cooperation partners")
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return self.name


class CooperationContact(TimestampedModel):
    """A contact person at a cooperation partner (personal data of an outside person: only
    the owning organisation sees it)."""

    partner = models.ForeignKey(
        CooperationPartner,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("cooperation partner"),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation(self) -> Organisation:
        return self.partner.organisation


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("meeting with the partner")
    AGREEMENT = "agreement", _("agreement")


class CooperationMeeting(TimestampedModel):
    """A cooperation meeting or an agreement with a partner; the note is encrypted (it may
    name people and what was said)."""

    partner = models.ForeignKey(
        CooperationPartner,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("cooperation partner"),
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    note = EncryptedTextField(_("note"), blank=True, max_length=4000)
    agreed_until = models.DateField(_("agreed until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("cooperation meeting")
        verbose_name_plural = _("cooperation meetings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.partner.organisation

    def clean(self) -> None:
        if self.agreed_until and self.held_on and self.agreed_until < self.held_on:
            raise ValidationError({"agreed_until": _("An agreement cannot end before the date it was made.")})
