"""The audit log and a participant's history speak German: record types and fields by their
translated `verbose_name`, never `app_label.model` or snake_case field names."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bruecke.core.audit import audit_record
from bruecke.core.audit_labels import (
    COMMON_FIELDS,
    RECORD_TYPES_WITHOUT_MODEL,
    field_label,
    record_type_label,
)
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from tests.access_expectations import mohammed
from tests.test_translations import catalogue_ids, load_catalog

RAW_NAME = re.compile(r"\b[a-z]+\.[a-z]+\b|\b[a-z]+_[a-z_]+\b")
# Generic words the label module falls back to: a real record or field never needs them.
FALLBACKS = {"Sonstiger Datensatz", "sonstiges Feld"}


def _audited_models() -> list[type[models.Model]]:
    # Every model of ours can reach the log (services, the admin, a case's deletion);
    # only the log itself never records its own rows.
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("bruecke.") and m._meta.label_lower != "core.auditevent"
    ]


def _translated(label: object, ids: set[str]) -> bool:
    with translation.override("en"):
        english = str(label)
    with translation.override("de"):
        german = str(label)
    return english in ids or german != english


@pytest.mark.parametrize("model", _audited_models(), ids=lambda m: m._meta.label_lower)
def test_every_model_and_field_has_a_translated_label(model: type[models.Model]) -> None:
    ids = catalogue_ids(load_catalog())
    assert _translated(model._meta.verbose_name, ids), model._meta.label_lower
    untranslated = [
        f.name
        for f in model._meta.get_fields()
        if not (f.auto_created and not f.concrete)
        and f.name not in COMMON_FIELDS
        and not _translated(getattr(f, "verbose_name", f.name), ids)
    ]
    assert not untranslated


def test_every_event_of_the_demo_has_words_for_its_record_and_fields(demo: DemoNetwork) -> None:
    pairs: dict[str, set[str]] = {}
    for object_type, fields in AuditEvent.objects.values_list("object_type", "changed_fields"):
        pairs.setdefault(object_type, set()).update(fields or [])
    assert len(pairs) > 20  # the demo exercises most services
    with translation.override("de"):
        for object_type, fields in pairs.items():
            label = record_type_label(object_type)
            assert label not in FALLBACKS and not RAW_NAME.search(label), object_type
            for name in fields:
                assert field_label(object_type, name) not in FALLBACKS, (object_type, name)
                assert not RAW_NAME.search(field_label(object_type, name)), (object_type, name)


def test_labels_of_special_entries() -> None:
    with translation.override("de"):
        assert record_type_label("participants.consent") == "Einwilligung"
        assert record_type_label("accounts.login") == "Anmeldung"
        assert record_type_label("gone.model") == "Sonstiger Datensatz"
        assert (
            field_label("participants.participant", "given_names")
            == "Vornamen (lateinisch, wie in deutschen Dokumenten)"
        )
        assert field_label("cases.case", "reason:duplicate").startswith("Grund: ")
        assert "duplicate" not in field_label("cases.case", "reason:duplicate")
        assert field_label("cases.case", "created_at") == "angelegt am"


def _cells(page: str, table_class: str | None = None) -> list[str]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    return [cell for row in rows for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_audit_log_page_shows_no_technical_names(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    audit_record(
        actor=demo.users["admin"],
        action=AuditAction.UPDATE,
        obj=demo.partners["A"],
        changed_fields=["short_name", "is_lead_partner"],
    )
    page = login("dpo").get(reverse("core:audit_log")).content.decode()
    assert "Leadpartner, Kurzname" in page
    offenders = [c for c in _cells(page) if "<code>" not in c and RAW_NAME.search(c)]
    assert not offenders


def test_the_record_type_filter_has_translated_capitalised_labels(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    page = login("dpo").get(reverse("core:audit_log")).content.decode()
    select = re.search(r'<select name="object_type".*?</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select[0])
    # and the types without a model: sign-in, backup
    assert len(options) == len(_audited_models()) + len(RECORD_TYPES_WITHOUT_MODEL)
    assert ("core.backup", "Sicherung der gesamten Installation") in options
    for value, text in options:
        assert text[:1].isupper() and not RAW_NAME.search(text) and text != value, (value, text)
    assert ("esf.exitrecord", "ESF-Austrittsfragebogen") in options


def test_the_participant_history_shows_no_technical_names(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    page = login("cm_a").get(reverse("participants:detail", args=[mohammed(demo).pk])).content.decode()
    history = page[page.index('id="history"') :]
    history = history[: history.index("</table>")]
    cells = _cells(history)
    assert "Teilnehmende:r" in cells
    assert not [c for c in cells if RAW_NAME.search(c)]
