"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps use
them: HMAC-SHA1, 30-second steps, 6 digits. Pure functions; the device model keeps the
secret (encrypted) and the last step used, so a code cannot be used twice."""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# Steps accepted on either side of the current one (clock drift of the phone): ±30 s.
WINDOW = 1


def new_secret() -> str:
    """A random 160-bit secret in base32, as RFC 4226 recommends."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(secret: str, step: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The code of `step` (RFC 4226 dynamic truncation)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def matching_step(secret: str, code: str, *, after: int, now: float | None = None) -> int | None:
    """The step within the window whose code is `code`, if it is later than `after`
    (the last step used): a code is accepted once, and never an older one."""
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    step = current_step(now)
    for candidate in range(step - WINDOW, step + WINDOW + 1):
        if candidate > after and hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"
