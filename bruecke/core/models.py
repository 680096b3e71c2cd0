"""Shared base models and the append-only audit log."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.core import audit_labels, audit_queries


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    READ = "read", _("viewed")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("login failed")
    LOGIN_THROTTLED = "login_throttled", _("login blocked (too many attempts)")
    LOGOUT = "logout", _("logged out")
    PASSWORD_CHANGE = "password_change", _("password changed")
    KEY_ROTATION = "key_rotation", _("encryption key rotated")
    INVITATION = "invitation", _("password link sent")
    MFA_ENROLLED = "mfa_enrolled", _("authenticator set up")
    MFA_VERIFIED = "mfa_verified", _("second factor confirmed")
    MFA_RECOVERY_USED = "mfa_recovery_used", _("recovery code used")
    MFA_FAILED = "mfa_failed", _("wrong second-factor code")
    MFA_THROTTLED = "mfa_throttled", _("second factor blocked (too many attempts)")
    MFA_CODES_RENEWED = "mfa_codes_renewed", _("new recovery codes")
    MFA_RESET = "mfa_reset", _("second factor reset")
    SESSIONS_ENDED = "sessions_ended", _("signed out on other devices")
    SUBJECT_ACCESS = "subject_access", _("access report for the data subject (Art. 15 GDPR)")
    BACKUP = "backup", _("backup made")
    RESTORE = "restore", _("restored from a backup")
    IMPORT = "import", _("imported from a spreadsheet")
    EXPORT = "export", _("exported as a spreadsheet")
    MERGE = "merge", _("merged with a duplicate")
    MERGE_UNDONE = "merge_undone", _("merge of duplicates undone")


class FieldNamesField(models.JSONField):
    """A list of field names that stores an empty list as NULL and reads NULL as an empty
    list: most events change no field, and NULL costs no bytes in the row (decision 0066)."""

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return super().get_db_prep_save(None if value in ([], ()) else value, connection)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        value = super().from_db_value(value, expression, connection)
        return [] if value is None else value


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


# Most events are one of these; the log finds them among the newest events without an index.
FREQUENT_ACTIONS = ["read", "create", "update"]


class AuditEvent(models.Model):
    """Who did what to which record, when. Never holds the personal values themselves.

    Append-only: the model and queryset refuse changes, and database triggers refuse
    UPDATE (and DELETE on PostgreSQL) for anyone going around the ORM.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    # The organisation whose data this is; lets a DPO see exactly their organisation's log.
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_fields = FieldNamesField(default=list, blank=True, null=True)
    request_id = models.CharField(max_length=64, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    # A list page is one read event that names every record it showed (ids of `object_type`),
    # instead of one event per record: a page read writes one audit row.
    object_ids = models.JSONField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Every index serves a query (decision 0066); the foreign keys keep Django's
        # single-column indexes (actor: staff filter, organisation: the DPO's scope), which
        # PostgreSQL deduplicates to a few bytes per event. On PostgreSQL the table is
        # partitioned by month (migration 0013): its primary key (created_at, id) serves the
        # newest-first order and date ranges, so the created_at index below exists on SQLite
        # only; the GIN index on object_ids and a BRIN index on id are PostgreSQL-only too.
        indexes = [
            # Per-record history, subject access report, the log's record number filter.
            # (object_type is checked on the row: adding it to the key doubles the index.)
            models.Index(fields=["object_id"], name="core_audit_record", condition=~Q(object_id="")),
            # The log's record type filter.
            models.Index(fields=["object_type"], name="core_audit_type"),
            # The log's action filter for actions too rare to find by scanning the newest
            # events (sign-in failures, second factor, backups, ...).
            models.Index(
                fields=["action"], name="core_audit_rare_action", condition=~Q(action__in=FREQUENT_ACTIONS)
            ),
            models.Index(fields=["created_at"], name="core_audite_created_9a257b_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def record_type_label(self) -> str:
        return audit_labels.record_type_label(self.object_type)

    @property
    def records_shown(self) -> list[tuple[str, int]]:
        return audit_queries.records_shown(self.object_ids)

    @property
    def records_shown_count(self) -> int:
        return sum(count for _label, count in self.records_shown)

    @property
    def changed_field_labels(self) -> list[str]:
        return audit_labels.field_labels(self.object_type, list(self.changed_fields or []))


class ConstraintFieldsMixin(models.Model):
    """Shows a constraint's error at the field it is about, not above the form.

    Django reports expression-based constraints (e.g. case-insensitive uniqueness) as
    form-wide errors; `constraint_fields` maps a constraint's violation_error_code to
    the field that the user has to change.
    """

    constraint_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            for item in errors.pop(NON_FIELD_ERRORS, []):
                code = getattr(item, "code", None)
                field = self.constraint_fields.get(code or "", NON_FIELD_ERRORS)
                errors.setdefault(field, []).append(item)
            raise ValidationError(errors) from None


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrganisationScopedModel(TimestampedModel):
    """Base for every record of personal data: it belongs to exactly one organisation.

    Read such records only through `bruecke.core.access.personal_data_visible_to`.
    """

    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class SubmissionToken(models.Model):
    """A create form that has been saved: its one-time token and where the save led.

    A repeated POST of the same rendered form (double click, reload, retry after a lost
    answer) finds its token here and is sent to the same address instead of creating a
    second record (decision 0022). Old tokens are deleted by `purge_submission_tokens`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member")
    )
    token = models.CharField(_("form token"), max_length=64)
    redirect_to = models.CharField(_("page after saving"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("saved form")
        verbose_name_plural = _("saved forms")
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="submission_token_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token[:6]}…"
