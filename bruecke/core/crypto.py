"""Encryption at rest for special-category data (GDPR Art. 9).

AES-256-GCM with a random 96-bit nonce. A token reads "v2:<key id>:<base64(nonce|ciphertext)>",
so every value names the key that encrypted it and keys can be rotated while old values
stay readable. Version 2 pads the plaintext to a multiple of 32 bytes before encrypting:
without it the length of a token gave a short answer away ("yes", "no" and "refused" had
three different lengths). Version 1 tokens (unpadded) stay readable and count as needing
rotation, so `manage.py rotate_encryption_keys` rewrites them. The model label and field
name are bound in as associated data: a ciphertext copied into another field or table does
not decrypt.
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

PREFIX = "v2"
UNPADDED_PREFIX = "v1"  # tokens written before padding; read, and rewritten by rotation
PREFIXES = (PREFIX, UNPADDED_PREFIX)
PAD_BLOCK = 32
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


def _pad(data: bytes) -> bytes:
    """ISO/IEC 7816-4 padding: 0x80, then zero bytes up to the next multiple of PAD_BLOCK."""
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise ValueError("bad padding")
    return stripped[:-1]


def is_token(value: str) -> bool:
    """Whether a stored value is one of our tokens (any version), not clear text."""
    return value.split(":", 1)[0] in PREFIXES and value.count(":") >= 2


def encrypt(plaintext: str, *, context: str) -> str:
    ring = keyring()
    nonce = os.urandom(12)
    sealed = ring.keys[ring.primary_id].encrypt(nonce, _pad(plaintext.encode("utf-8")), context.encode())
    return f"{PREFIX}:{ring.primary_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def key_id_of(token: str) -> str:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] not in PREFIXES:
        raise DecryptionError("Not an encrypted value.")
    return parts[1]


def _open(key: AESGCM, version: str, blob: bytes, associated: bytes) -> str:
    plain = key.decrypt(blob[:12], blob[12:], associated)
    return (_unpad(plain) if version == PREFIX else plain).decode("utf-8")


def decrypt(token: str, *, context: str) -> str:
    key_id = key_id_of(token)
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"Key {key_id} is not configured.")
    try:
        version, _key_id, encoded = token.split(":", 2)
        blob = base64.b64decode(encoded, validate=True)
        return _open(key, version, blob, context.encode())
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionError("Value cannot be decrypted (wrong key or tampered).") from None


def needs_rotation(token: str) -> bool:
    """Under another key than the primary one, or unpadded (version 1)."""
    return key_id_of(token) != keyring().primary_id or not token.startswith(f"{PREFIX}:")


def decryptor(*, context: str) -> Callable[[str], str]:
    """`decrypt` for many values of one context (a report decrypts up to two million
    answers): the keyring and the associated data are looked up once, not per value.
    Same checks and errors as `decrypt`."""
    keys = keyring().keys
    associated = context.encode()

    def decrypt_one(token: str) -> str:
        parts = token.split(":", 2)
        if len(parts) != 3 or parts[0] not in PREFIXES:
            raise DecryptionError("Not an encrypted value.")
        key = keys.get(parts[1])
        if key is None:
            raise DecryptionError(f"Key {parts[1]} is not configured.")
        try:
            blob = binascii.a2b_base64(parts[2], strict_mode=True)
            return _open(key, parts[0], blob, associated)
        except (InvalidTag, binascii.Error, ValueError):
            raise DecryptionError("Value cannot be decrypted (wrong key or tampered).") from None

    return decrypt_one


# Files (uploaded spreadsheets waiting for their import): the same keys and AES-GCM, as
# bytes. A blob reads b"v2:<key id>:" + nonce + ciphertext; no padding (the size of an
# uploaded file is no secret), the context is bound in as associated data.
def encrypt_bytes(data: bytes, *, context: str) -> bytes:
    ring = keyring()
    nonce = os.urandom(12)
    sealed = ring.keys[ring.primary_id].encrypt(nonce, data, context.encode())
    return f"{PREFIX}:{ring.primary_id}:".encode("ascii") + nonce + sealed


def decrypt_bytes(blob: bytes, *, context: str) -> bytes:
    version, sep1, rest = blob.partition(b":")
    key_id, sep2, sealed = rest.partition(b":")
    if version != PREFIX.encode() or not (sep1 and sep2):
        raise DecryptionError("Not an encrypted file.")
    key = keyring().keys.get(key_id.decode("ascii", "replace"))
    if key is None:
        raise DecryptionError(f"Key {key_id.decode('ascii', 'replace')} is not configured.")
    try:
        return key.decrypt(sealed[:12], sealed[12:], context.encode())
    except (InvalidTag, ValueError):
        raise DecryptionError("File cannot be decrypted (wrong key or tampered).") from None
