"""Special-category data (GDPR Art. 9) is not readable from a copy of the database alone:
the ESF answers on disability and minority, barrier severities and the link of a contact to
a special-category topic (health) are ciphertext or absent in the raw columns (decision 0023)."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Assessment, AssessmentItem, Contact, ContactTopic
from bruecke.core.fields import encrypt_plain_values
from bruecke.esf import services as esf_services
from bruecke.esf.models import EntryRecord
from bruecke.network.demo import DemoNetwork
from tests.expectations_cases import _case, _mohammed

TODAY = datetime.date.today()

# (table, column) of every special-category value kept in a column of its own.
SPECIAL_CATEGORY_COLUMNS = [
    ("esf_entryrecord", "disability"),
    ("esf_entryrecord", "minority"),
    ("cases_assessmentitem", "severity"),
    ("cases_contact", "sensitive_topics"),
]


def _raw(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def _record_everything(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    esf_services.entry_record_save(
        actor=demo.users["cm_a"],
        participant=person,
        data={
            "lm_status_entry": "inactive",
            "disability": "yes",
            "minority": "refused",
            "sensitive_asked_on": TODAY,
        },
    )
    client = login("cm_a")
    case = _case(demo)
    health = ContactTopic.objects.get(key="health")
    response = client.post(
        reverse("cases:contact_create", args=[case.pk]),
        {
            "date": TODAY.strftime("%d.%m.%Y"),
            "duration_minutes": "30",
            "channel": "office",
            "topics": [health.pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:assessment_create", args=[case.pk]),
        {
            "assessed_on": TODAY.strftime("%d.%m.%Y"),
            "severity_psychological": "3",
            "severity_health": "2",
            "based_on": Assessment.objects.filter(case=case)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
            or 0,
        },
    )
    assert response.status_code == 302


def test_no_special_category_value_is_in_clear_in_the_database(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    _record_everything(login, demo)
    for table, column in SPECIAL_CATEGORY_COLUMNS:
        values = [value for (value,) in _raw(f"SELECT {column} FROM {table}") if value not in (None, "")]  # noqa: S608
        assert values, f"{table}.{column} holds no value: the test proves nothing"
        assert all(str(value).startswith("v2:") for value in values), f"{table}.{column} holds clear values"


def test_no_link_row_ties_a_contact_to_a_special_category_topic(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    _record_everything(login, demo)
    sensitive = list(ContactTopic.objects.filter(sensitive=True).values_list("pk", flat=True))
    assert sensitive
    marks = ", ".join("%s" for _pk in sensitive)
    links = _raw(f"SELECT contact_id FROM cases_contact_topics WHERE contacttopic_id IN ({marks})", sensitive)  # noqa: S608
    assert links == []


def test_values_read_back_and_show_on_the_case_page(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    _record_everything(login, demo)
    record = EntryRecord.objects.get(participant=_mohammed(demo))
    assert (record.disability, record.minority) == ("yes", "refused")
    contact = Contact.objects.filter(case=_case(demo)).order_by("-id").first()
    assert contact is not None and contact.sensitive_topic_keys == ["health"]
    assert list(contact.topics.all()) == []
    severities = set(
        AssessmentItem.objects.filter(assessment__case=_case(demo)).values_list("severity", flat=True)
    )
    assert {2, 3} <= severities and all(isinstance(value, int) for value in severities)
    page = login("cm_a").get(reverse("cases:detail", args=[_case(demo).pk]), HTTP_ACCEPT_LANGUAGE="de")
    assert "Gesundheit" in page.content.decode()


def test_the_data_migration_encrypts_existing_clear_values(demo: DemoNetwork) -> None:
    item = AssessmentItem.objects.first()
    assert item is not None
    with connection.cursor() as cursor:  # a row as an older version left it
        cursor.execute("UPDATE cases_assessmentitem SET severity = %s WHERE id = %s", ["2", item.pk])
    encrypt_plain_values(
        connection, table="cases_assessmentitem", label="cases.assessmentitem", columns=["severity"]
    )
    [(raw,)] = _raw("SELECT severity FROM cases_assessmentitem WHERE id = %s", [item.pk])
    assert str(raw).startswith("v2:")
    assert AssessmentItem.objects.get(pk=item.pk).severity == 2
    encrypt_plain_values(  # and back, for the reverse migration
        connection,
        table="cases_assessmentitem",
        label="cases.assessmentitem",
        columns=["severity"],
        reverse=True,
    )
    assert _raw("SELECT severity FROM cases_assessmentitem WHERE id = %s", [item.pk]) == [("2",)]


def test_the_data_migration_moves_existing_health_links(demo: DemoNetwork) -> None:
    migration = importlib.import_module("bruecke.cases.migrations.0009_encrypt_sensitive_contact_topics")
    contact = Contact.objects.first()
    assert contact is not None
    health = ContactTopic.objects.get(key="health")
    Contact.topics.through.objects.create(contact_id=contact.pk, contacttopic_id=health.pk)  # an old link row
    Contact.objects.filter(pk=contact.pk).update(sensitive_topics="")
    migration.move_sensitive_links(apps, None)
    assert not Contact.topics.through.objects.filter(contacttopic_id=health.pk).exists()
    assert "health" in Contact.objects.get(pk=contact.pk).sensitive_topic_keys
