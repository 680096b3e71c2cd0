from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from bruecke.core import crypto
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from tests.testapp.models import SensitiveNote

OLD = "k2025:" + crypto.generate_key()
NEW = "k2026:" + crypto.generate_key()


def _raw(note: SensitiveNote, column: str = "health_note") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM testapp_sensitivenote WHERE id = %s", [note.pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def _note(demo: DemoNetwork, text: str = "Diabetes; Traumafolgestörung") -> SensitiveNote:
    return SensitiveNote.objects.create(organisation=demo.partners["A"], title="t", health_note=text)


@override_settings(FIELD_ENCRYPTION_KEYS=[OLD])
def test_database_holds_ciphertext_and_the_model_plaintext(demo: DemoNetwork) -> None:
    note = _note(demo)
    raw = _raw(note)
    assert raw.startswith("v2:k2025:")
    assert "Diabetes" not in raw
    assert SensitiveNote.objects.get(pk=note.pk).health_note == "Diabetes; Traumafolgestörung"


@override_settings(FIELD_ENCRYPTION_KEYS=[OLD])
def test_equal_values_encrypt_differently(demo: DemoNetwork) -> None:
    assert _raw(_note(demo, "same")) != _raw(_note(demo, "same"))


def test_rotation_re_encrypts_with_the_new_key(demo: DemoNetwork) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        note = _note(demo)
        note.psych_note = "belastet"
        note.save()
    # The session's own key stays configured: other seeded records (contact notes) use it.
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD, *django_settings.FIELD_ENCRYPTION_KEYS]):
        # Old values stay readable while both keys are configured.
        assert SensitiveNote.objects.get(pk=note.pk).health_note.startswith("Diabetes")
        call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert _raw(note).startswith("v2:k2026:")
        assert _raw(note, "psych_note").startswith("v2:k2026:")
        assert AuditEvent.objects.filter(
            action=AuditAction.KEY_ROTATION, object_type="testapp.sensitivenote"
        ).exists()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        # After rotation the old key can be removed.
        fresh = SensitiveNote.objects.get(pk=note.pk)
        assert (fresh.health_note, fresh.psych_note) == ("Diabetes; Traumafolgestörung", "belastet")


def test_a_missing_key_fails_loudly(demo: DemoNetwork) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        note = _note(demo)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]), pytest.raises(crypto.DecryptionError):
        SensitiveNote.objects.get(pk=note.pk)


def test_ciphertext_is_bound_to_its_field(demo: DemoNetwork) -> None:
    note = _note(demo)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE testapp_sensitivenote SET psych_note = health_note WHERE id = %s", [note.pk])
    with pytest.raises(crypto.DecryptionError):
        SensitiveNote.objects.get(pk=note.pk)


def test_tampered_ciphertext_is_rejected() -> None:
    token = crypto.encrypt("x", context="a.b")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, context="a.b")


def test_encrypted_fields_cannot_be_searched_by_value() -> None:
    with pytest.raises(TypeError):
        SensitiveNote.objects.filter(health_note="Diabetes")


@pytest.mark.parametrize(
    "entries",
    [
        ["nocolon"],
        ["k1:not-base64!"],
        ["k1:" + "QUJD"],
        ["k1:" + crypto.generate_key(), "k1:" + crypto.generate_key()],
    ],
)
def test_bad_key_configuration_fails_loudly(entries: list[str]) -> None:
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keys(entries)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=500), context=st.text(min_size=1, max_size=40))
def test_round_trip_of_any_text(text: str, context: str) -> None:
    assert crypto.decrypt(crypto.encrypt(text, context=context), context=context) == text
