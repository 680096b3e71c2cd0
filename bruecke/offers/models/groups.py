"""Group offers (application training, digital skills, job orientation, women's café, …)
with their sessions, enrolments and attendance.

A group offer belongs to the organisation that runs it, and optionally to one of its teams.
The offer and its sessions hold no personal data and are seen network-wide
(`core.access.offers_filter`); the roster (enrolments and attendance) is personal data and
is seen by the offer's organisation, narrowed to its team (`group_roster_filter`,
decision 0043). Attendance of a whole session is saved at once (decision 0048).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel, TimestampedModel
from bruecke.network.models import Organisation

MAX_CAPACITY = 1000
MAX_GUESTS = 1000


class GroupKind(models.TextChoices):
    APPLICATION_TRAINING = "application_training", _("application training")
    DIGITAL_SKILLS = "digital_skills", _("digital skills")
    JOB_ORIENTATION = "job_orientation", _("job orientation")
    WOMENS_CAFE = "womens_cafe", _("women's café")
    LANGUAGE_CAFE = "language_cafe", _("language café")
    OTHER = "other", _("other group offer")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused")
    ABSENT = "absent", _("absent")


class GroupOffer(VersionedModel, TimestampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("run by organisation")
    )
    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("Only this team sees the participants. Without a team, the whole organisation does."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of group offer"), max_length=24, choices=GroupKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    place = models.CharField(_("place"), max_length=300, blank=True)
    # The trainer is a member of staff or someone from outside (then only the name).
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trainer (staff)"),
    )
    trainer_name = models.CharField(
        _("trainer (name)"), max_length=200, blank=True, help_text=_("For a trainer from outside.")
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("More enrolments are possible after a warning."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Languages the group offer is held in.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-starts_on", "title", "id"]
        verbose_name = _("group offer")
        verbose_name_plural = _("group offers")
        indexes = [
            models.Index(fields=["organisation", "kind"]),
            models.Index(fields=["starts_on", "ends_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot be before the start.")})

    @property
    def trainer_display(self) -> str:
        return str(self.trainer.get_full_name()) if self.trainer_id and self.trainer else self.trainer_name


class GroupSession(VersionedModel, TimestampedModel):
    """One meeting of a group offer. Its version guards the attendance screen: two people
    taking attendance at once do not overwrite each other unseen."""

    offer = models.ForeignKey(
        GroupOffer, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("group offer")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=300, blank=True, help_text=_("Empty: the offer's place."))
    trainer_name = models.CharField(
        _("trainer"), max_length=200, blank=True, help_text=_("Empty: the offer's trainer.")
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    guests = models.PositiveIntegerField(
        _("guests"),
        default=0,
        validators=[MaxValueValidator(MAX_GUESTS)],
        help_text=_("People who took part without being enrolled."),
    )
    # Set when attendance was first taken (the list of the offer shows what is missing).
    attendance_taken_at = models.DateTimeField(
        _("attendance taken at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["date", "starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["offer", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.starts_at:%H:%M}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.offer.organisation

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})


class Enrolment(OrganisationScopedModel):
    """A participant in a group offer (personal data: the roster). The organisation is the
    offer's; participant and team are copied for scoping and the access report."""

    offer = models.ForeignKey(
        GroupOffer, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("group offer")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("participant"),
    )
    enrolled_on = models.DateField(_("enrolled on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("enrolled by"),
    )

    class Meta:
        ordering = ["offer", "id"]
        verbose_name = _("enrolment in a group offer")
        verbose_name_plural = _("enrolments in group offers")
        constraints = [
            models.UniqueConstraint(fields=["offer", "participant"], name="group_enrolment_once"),
        ]
        indexes = [models.Index(fields=["participant"])]

    def __str__(self) -> str:
        return f"{self.offer} ({self.enrolled_on:%d.%m.%Y})"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Attendance(models.Model):
    """Whether an enrolled participant was at a session. Written for a whole session at once."""

    session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    # Set by the service (bulk_update does not apply auto_now).
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("attendance at a group session")
        verbose_name_plural = _("attendance at group sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="group_attendance_once"),
        ]
        indexes = [models.Index(fields=["enrolment", "status"])]

    def __str__(self) -> str:
        return f"{self.session}: {self.get_status_display()}"
