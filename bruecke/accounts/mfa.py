"""Second factor for every staff member: an authenticator app (TOTP) and single-use
recovery codes. Every write is audited in its transaction; codes never reach the log.

The session remembers that the second factor was given (`MFA_SESSION_KEY`); the
middleware refuses every other page until it is. Throttling counts failures from the
audit log, as for passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts import notices, throttle, totp
from bruecke.accounts.models import MfaDevice, RecoveryCode, User
from bruecke.accounts.sessions import end_sessions
from bruecke.core import access
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction

MFA_SESSION_KEY = "bruecke_mfa_at"
RECOVERY_CODES = 10
# Unambiguous alphabet (no 0/O, 1/I/L): 32 symbols, 10 of them = 50 bits per code.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 10
_PBKDF2_ROUNDS = 20_000  # a code is checked against at most ten hashes per attempt


def is_verified(request: HttpRequest) -> bool:
    return MFA_SESSION_KEY in request.session


def confirmed_device(user: User) -> MfaDevice | None:
    return MfaDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def normalise(code: str) -> str:
    """Upper case without spaces or dashes; digits of any script (e.g. Arabic-Indic from a
    phone keyboard) become ASCII digits."""
    kept = []
    for ch in code.upper():
        if ch.isdecimal():
            kept.append(str(unicodedata.decimal(ch)))
        elif ch.isascii() and ch.isalnum():
            kept.append(ch)
    return "".join(kept)


def _hash(code: str, salt: str) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", code.encode(), salt.encode(), _PBKDF2_ROUNDS).hex()
    return f"{salt}${digest}"


def _matches(code: str, stored: str) -> bool:
    salt, _digest = stored.split("$", 1)
    return hmac.compare_digest(_hash(code, salt), stored)


def new_codes(user: User) -> list[str]:
    """Replaces every unused recovery code of `user` with ten new ones (shown once)."""
    RecoveryCode.objects.filter(user=user, used_at__isnull=True).delete()
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH)) for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash(code, secrets.token_hex(8))) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def enrolment_device(user: User) -> MfaDevice:
    """The authenticator being set up (a new secret until it is confirmed)."""
    device, _created = MfaDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.new_secret(), "confirmed_at": None}
    )
    return device


def enrolment_confirm(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirms the app with its first code; returns the recovery codes (shown once)."""
    _refuse_if_throttled(user)
    with transaction.atomic():
        device = MfaDevice.objects.select_for_update().get(user=user, confirmed_at__isnull=True)
        accepted = _use_app_code(device, normalise(code), confirm=True)
        if accepted:
            codes = new_codes(user)
            audit_record(actor=user, action=AuditAction.MFA_ENROLLED, obj=user)
            notices.notify(user, "enrolled")
    if not accepted:
        _failed(user, _("The code is not correct. Check the time on your phone and try again."))
    throttle.give_back(_throttle_key(user))
    _mark_verified(request)
    return codes


def _throttle_key(user: User) -> str:
    return f"mfa:{user.pk}"


def _refuse_if_throttled(user: User) -> None:
    """Takes one attempt from the person's allowance of codes (atomically, as for the
    password: parallel guesses cannot pass the limit); a right code gives it back."""
    if not throttle.take(_throttle_key(user), settings.LOGIN_FAILURE_LIMIT):
        audit_record(actor=user, action=AuditAction.MFA_THROTTLED, obj=user)
        raise ValidationError(_("Too many wrong codes. Please wait a few minutes and try again."))


def _failed(user: User, message: str) -> NoReturn:
    """Written outside the refused transaction, so that throttling counts it."""
    audit_record(actor=user, action=AuditAction.MFA_FAILED, obj=user)
    raise ValidationError(message)


def verify(*, request: HttpRequest, user: User, code: str) -> AuditAction:
    """Accepts a current app code or an unused recovery code; raises ValidationError."""
    _refuse_if_throttled(user)
    given = normalise(code)
    with transaction.atomic():
        device = MfaDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if device is None:
            raise ValidationError(_("No authenticator is set up for this account."))
        action: AuditAction | None = None
        if _use_app_code(device, given):
            action = AuditAction.MFA_VERIFIED
        elif _use_recovery_code(user, given):
            action = AuditAction.MFA_RECOVERY_USED
        if action is not None:
            audit_record(actor=user, action=action, obj=user)
    if action is None:
        _failed(user, _("The code is not correct or has been used already."))
    throttle.give_back(_throttle_key(user))
    _mark_verified(request)
    return action


def _use_app_code(device: MfaDevice, code: str, *, confirm: bool = False) -> bool:
    """Accepts a current code of the locked `device` once: its step becomes the newest used
    (`confirm`: and the device counts as set up from now on)."""
    step = totp.matching_step(device.secret, code, after=device.last_step)
    if step is None:
        return False
    device.last_step = step
    fields = ["last_step"]
    if confirm:
        device.confirmed_at = timezone.now()
        fields.append("confirmed_at")
    device.save(update_fields=fields)
    return True


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) != _CODE_LENGTH:
        return False
    for stored in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
        if _matches(code, stored.code_hash):
            stored.used_at = timezone.now()
            stored.save(update_fields=["used_at"])
            return True
    return False


def _mark_verified(request: HttpRequest) -> None:
    """New session key once the second factor is given (no fixation across the step)."""
    request.session.cycle_key()
    request.session[MFA_SESSION_KEY] = time.time()


def codes_renew(*, user: User, code: str) -> list[str]:
    """New recovery codes; needs a current app code (not a recovery code)."""
    _refuse_if_throttled(user)
    with transaction.atomic():
        device = MfaDevice.objects.select_for_update().get(user=user, confirmed_at__isnull=False)
        accepted = _use_app_code(device, normalise(code))
        if accepted:
            codes = new_codes(user)
            audit_record(actor=user, action=AuditAction.MFA_CODES_RENEWED, obj=user)
            notices.notify(user, "codes_renewed")
    if not accepted:
        _failed(user, _("The code is not correct. Enter the current code from your app."))
    throttle.give_back(_throttle_key(user))
    return codes


@transaction.atomic
def reset(*, actor: User | None, user: User, identity_checked: bool) -> None:
    """An administrator's reset for a lost phone (`actor` None: the operator's command):
    the authenticator and the codes go, the person's sessions end, and the next sign-in
    sets up a new app."""
    if not identity_checked:
        raise ValidationError(_("Confirm that you have checked the person's identity."))
    if actor is not None and user.pk == actor.pk:
        raise ValidationError(_("You cannot reset your own second factor."))
    if actor is not None and not access.may_manage_account(actor, user):
        # A reset lets whoever holds the password set up a new app: only the person's own
        # organisation decides (docs/decisions/0019).
        raise ValidationError(
            _(
                "This person works with personal data of another organisation. Only an "
                "administrator of that organisation can change their account."
            )
        )
    MfaDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(actor=actor, action=AuditAction.MFA_RESET, obj=user)
    user_pk = user.pk
    transaction.on_commit(lambda: end_sessions(user_pk))
    notices.notify(user, "reset")
