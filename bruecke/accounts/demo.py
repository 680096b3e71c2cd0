"""Second factor for the demo accounts (seed_demo only, never in production): one
authenticator key shared by all demo accounts and a few fresh recovery codes each, so
that the demo can be tried with or without a phone."""

from __future__ import annotations

from django.utils import timezone

from bruecke.accounts import mfa, totp
from bruecke.accounts.models import MfaDevice, User

CODES_SHOWN = 3


def demo_key(users: list[User]) -> str:
    """The key of the existing demo devices, or a new one (kept across re-seeding)."""
    device = MfaDevice.objects.filter(user__in=users, confirmed_at__isnull=False).first()
    return device.secret if device else totp.new_secret()


def enrol(user: User, key: str) -> list[str]:
    """Confirms a device with `key` for `user` and returns fresh recovery codes."""
    device = MfaDevice.objects.filter(user=user).first()
    if device is None or device.secret != key or device.confirmed_at is None:
        MfaDevice.objects.filter(user=user).delete()
        MfaDevice.objects.create(user=user, secret=key, confirmed_at=timezone.now())
    return mfa.new_codes(user)[:CODES_SHOWN]
