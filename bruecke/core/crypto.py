"""Encryption at rest for special-category data (GDPR Art. 9).

AES-256-GCM with a random 96-bit nonce. A token reads "v1:<key id>:<base64(nonce|ciphertext)>",
so every value names the key that encrypted it and keys can be rotated while old values
stay readable. The model label and field name are bound in as associated data: a
ciphertext copied into another field or table does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    keys: dict[str, AESGCM]


def parse_keys(entries: list[str]) -> Keyring:
    """Parses FIELD_ENCRYPTION_KEYS entries "id:base64key"; the first one encrypts."""
    keys: dict[str, AESGCM] = {}
    for entry in entries:
        key_id, sep, encoded = entry.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: each entry is 'id:base64-key'.")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key {key_id} is not base64.") from None
        if len(raw) != 32:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key {key_id} must be 32 bytes.")
        if key_id in keys:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key id {key_id} appears twice.")
        keys[key_id] = AESGCM(raw)
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return Keyring(primary_id=next(iter(keys)), keys=keys)


@lru_cache(maxsize=8)
def _keyring_for(entries: tuple[str, ...]) -> Keyring:
    return parse_keys(list(entries))


def keyring() -> Keyring:
    # Cached per key list, so tests that override the setting get the new keys at once.
    return _keyring_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def generate_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


def encrypt(plaintext: str, *, context: str) -> str:
    ring = keyring()
    nonce = os.urandom(12)
    sealed = ring.keys[ring.primary_id].encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}:{ring.primary_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def key_id_of(token: str) -> str:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("Not an encrypted value.")
    return parts[1]


def decrypt(token: str, *, context: str) -> str:
    key_id = key_id_of(token)
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"Key {key_id} is not configured.")
    try:
        blob = base64.b64decode(token.split(":", 2)[2], validate=True)
        return key.decrypt(blob[:12], blob[12:], context.encode()).decode("utf-8")
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionError("Value cannot be decrypted (wrong key or tampered).") from None


def needs_rotation(token: str) -> bool:
    return key_id_of(token) != keyring().primary_id


def decryptor(*, context: str) -> Callable[[str], str]:
    """`decrypt` for many values of one context (a report decrypts up to two million
    answers): the keyring and the associated data are looked up once, not per value.
    Same checks and errors as `decrypt`."""
    keys = keyring().keys
    associated = context.encode()

    def decrypt_one(token: str) -> str:
        parts = token.split(":", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            raise DecryptionError("Not an encrypted value.")
        key = keys.get(parts[1])
        if key is None:
            raise DecryptionError(f"Key {parts[1]} is not configured.")
        try:
            blob = binascii.a2b_base64(parts[2], strict_mode=True)
            return key.decrypt(blob[:12], blob[12:], associated).decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError):
            raise DecryptionError("Value cannot be decrypted (wrong key or tampered).") from None

    return decrypt_one
