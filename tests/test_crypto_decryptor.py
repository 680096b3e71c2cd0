"""crypto.decryptor: the batch path of the indicator report decrypts exactly like decrypt
and rejects exactly what decrypt rejects."""

from __future__ import annotations

import base64
import os

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from bruecke.core import crypto

OLD = "k2025:" + crypto.generate_key()
NEW = "k2026:" + crypto.generate_key()
CONTEXT = "esf.entryrecord.disability"


@override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD])
@settings(max_examples=50, deadline=None)
@given(st.text())
def test_decryptor_agrees_with_decrypt(text: str) -> None:
    decrypt = crypto.decryptor(context=CONTEXT)
    token = crypto.encrypt(text, context=CONTEXT)
    assert decrypt(token) == crypto.decrypt(token, context=CONTEXT) == text


def test_decryptor_reads_values_of_an_older_key() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        token = crypto.encrypt("yes", context=CONTEXT)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        assert crypto.decryptor(context=CONTEXT)(token) == "yes"
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]), pytest.raises(crypto.DecryptionError):
        crypto.decryptor(context=CONTEXT)(token)


@override_settings(FIELD_ENCRYPTION_KEYS=[NEW])
def test_decryptor_rejects_what_decrypt_rejects() -> None:
    token = crypto.encrypt("refused", context=CONTEXT)
    head, body = token.rsplit(":", 1)
    tampered = f"{head}:{body[:-6]}{'A' if body[-6] != 'A' else 'B'}{body[-5:]}"
    other_field = crypto.decryptor(context="esf.entryrecord.minority")
    for bad, decrypt in [
        (tampered, crypto.decryptor(context=CONTEXT)),
        (token, other_field),
        ("yes", crypto.decryptor(context=CONTEXT)),
        ("v1:k2026:not base64!", crypto.decryptor(context=CONTEXT)),
    ]:
        with pytest.raises(crypto.DecryptionError):
            decrypt(bad)
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(bad, context="esf.entryrecord.minority" if decrypt is other_field else CONTEXT)


def test_short_answers_give_nothing_away_by_their_length() -> None:
    """Version 2 pads to 32 bytes: "yes", "no" and "refused" make tokens of one length."""
    lengths = {len(crypto.encrypt(answer, context=CONTEXT)) for answer in ("yes", "no", "refused", "")}
    assert len(lengths) == 1
    assert all(crypto.encrypt("no", context=CONTEXT).startswith("v2:") for _ in range(3))


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_padded_tokens_read_back_exactly(text: str) -> None:
    token = crypto.encrypt(text, context=CONTEXT)
    assert crypto.decrypt(token, context=CONTEXT) == text
    assert crypto.decryptor(context=CONTEXT)(token) == text


def test_unpadded_version_1_tokens_stay_readable_and_need_rotation() -> None:
    ring = crypto.keyring()
    nonce = os.urandom(12)
    sealed = ring.keys[ring.primary_id].encrypt(nonce, b"refused", CONTEXT.encode())
    old = f"v1:{ring.primary_id}:{base64.b64encode(nonce + sealed).decode()}"
    assert crypto.decrypt(old, context=CONTEXT) == "refused"
    assert crypto.decryptor(context=CONTEXT)(old) == "refused"
    assert crypto.needs_rotation(old)
    assert not crypto.needs_rotation(crypto.encrypt("refused", context=CONTEXT))
