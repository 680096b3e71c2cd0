"""Pseudonymous participant ids for the funder file.

HMAC-SHA256 over project and participant with a secret key: stable for the same person in
the same project across deliveries (the funder can link entry, exit and follow-up), different
in another project (no linking across operations), and not reversible without the key.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

# 20 bytes = 40 hex characters: far from any collision for a programme's participants.
PSEUDONYM_BYTES = 20


def pseudonym_key() -> bytes:
    key = getattr(settings, "REPORTING_PSEUDONYM_KEY", "")
    if key:
        return str(key).encode("utf-8")
    # A key of its own derived from SECRET_KEY, so the pseudonym is not an HMAC with the
    # very key that signs sessions.
    return hashlib.sha256(b"bruecke.reporting.pseudonym:" + settings.SECRET_KEY.encode("utf-8")).digest()


def participant_pseudonym(*, project_id: int, participant_id: int, key: bytes | None = None) -> str:
    message = f"project:{project_id}:participant:{participant_id}".encode("ascii")
    digest = hmac.new(key or pseudonym_key(), message, hashlib.sha256).digest()
    return digest[:PSEUDONYM_BYTES].hex()
