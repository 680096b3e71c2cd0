from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.locking import VersionedModel


class User(VersionedModel, AbstractUser):
    """A staff member. Users are deactivated, never deleted (the audit log refers to them)."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class MfaDevice(models.Model):
    """A staff member's authenticator app (TOTP). One per person; a reset deletes it and
    the next sign-in enrols a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mfa_device",
        verbose_name=_("staff member"),
    )
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The newest TOTP step used: older codes are refused.
    last_step = models.BigIntegerField(_("last code step used"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"{self.user}"


class RecoveryCode(models.Model):
    """A single-use code for signing in without the phone. Only a salted hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("staff member"),
    )
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        indexes = [models.Index(fields=["user", "used_at"], name="recovery_user_used")]

    def __str__(self) -> str:
        return f"{self.user} ({'used' if self.used_at else 'unused'})"


class ThrottleCounter(models.Model):
    """Attempts per user name (keyed digest) or client address in the current window;
    changed only by single conditional UPDATE statements (accounts.throttle)."""

    key = models.CharField(_("counted name or address (keyed)"), max_length=80, unique=True)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("sign-in attempt counter")
        verbose_name_plural = _("sign-in attempt counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
