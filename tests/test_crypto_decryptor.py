"""crypto.decryptor: the batch path of the indicator report decrypts exactly like decrypt
and rejects exactly what decrypt rejects."""

from __future__ import annotations

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
