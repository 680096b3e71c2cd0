"""The bulk demo data (`seed_demo --participants N`, bruecke.core.bulkload): on PostgreSQL
COPY and INSERT … SELECT, on SQLite the model-based generator for small N."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from bruecke.cases.models import Case, CaseDocument, CaseEvent, Contact, ContactTopic
from bruecke.cases.services.contacts import contact_record
from bruecke.core import bulkload
from bruecke.core.bulkload.participants import blocking_keys, name_keys
from bruecke.core.management.commands.seed_demo import Command
from bruecke.core.models import AuditEvent
from bruecke.dedupe.models import BlockingKey
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role
from bruecke.participants.models import Participant
from tests.clients import verified_client

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bulk path uses PostgreSQL's COPY and INSERT … SELECT"
)
NOTES = {
    "",
    "Termin bei der Ausländerbehörde vorbereitet.",
    "Bewerbungsunterlagen gemeinsam überarbeitet.",
    "Anmeldung zum Sprachkurs besprochen.",
    "Unterlagen zur Anerkennung gesichtet.",
    "Wohnungssuche: Rückmeldung des Vermieters abwarten.",
}


def _generated() -> Any:
    return Participant.objects.filter(district=bulkload.MARKER)


def _orphans(tables: list[str]) -> dict[str, int]:
    """Rows whose foreign key points nowhere, for every foreign key of `tables`."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            [tables],
        )
        for table, column, target, key in cursor.fetchall():
            cursor.execute(
                f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {target} r WHERE r.{key} = t.{column})"
            )
            found[f"{table}.{column}"] = cursor.fetchone()[0]
    return found


@postgres_only
def test_bulk_load_has_realistic_proportions_and_valid_links(demo: DemoNetwork) -> None:
    tally = bulkload.load(demo, 200, seed=7)
    people = _generated()
    assert people.count() == tally.rows["participants_participant"] == 200
    cases = Case.objects.filter(participant__in=people)
    assert 100 <= cases.count() <= 160  # about 65 % have a case
    contacts = Contact.objects.filter(case__in=cases)
    assert 1200 <= contacts.count() <= 2800  # 10 per participant on average
    per_case = sorted(c.contacts.count() for c in cases)
    assert per_case[len(per_case) // 2] < 15 < per_case[-1]  # skewed: the median below the mean
    assert tally.rows["core_auditevent"] == 30 * 200
    # Every table gets rows (documents: one case in fifty, too few to count on at this size).
    assert all(rows > 0 for table, rows in tally.rows.items() if table != "cases_casedocument"), tally.rows
    orphans = _orphans(list(tally.rows))
    assert orphans and set(orphans.values()) == {0}, orphans
    # Case managers and recorders are staff of the case's team.
    for case in cases.select_related("case_manager")[:20]:
        team_staff = set(Membership.objects.filter(team=case.team_id).values_list("user_id", flat=True))
        assert Membership.objects.filter(user=case.case_manager, team=case.team_id, role=Role.CASE_MANAGER)
        assert set(case.contacts.values_list("recorded_by_id", flat=True)) <= team_staff
        for contact in case.contacts.all():
            assert case.opened_on <= contact.date <= (case.closed_on or contact.date)
    # Every contact has its timeline event; notes are real ciphertexts (they decrypt).
    events = CaseEvent.objects.filter(case__in=cases, kind="contact")
    assert events.count() == contacts.count()
    assert {c.note for c in contacts[:300]} <= NOTES
    assert not contacts.filter(topics__sensitive=True).exists()
    assert ContactTopic.objects.filter(pk__in=contacts.values("topics")).exists()
    # Keys exactly as the services compute them.
    person = people.order_by("pk").first()
    assert person is not None
    assert sorted(person.name_keys.values_list("key", flat=True)) == list(
        name_keys(person.given_names, person.family_name)
    )
    birth = (person.birth_year, person.birth_month, person.birth_day)
    stored = sorted(BlockingKey.objects.filter(participant=person).values_list("key", flat=True))
    assert stored == blocking_keys(person.given_names, person.family_name, birth, person.gender)
    assert person.residence_statuses.exists() and person.consents.filter(purpose="counselling").exists()
    for document in CaseDocument.objects.filter(case__in=cases):
        assert default_storage.exists(document.file.name)


@postgres_only
def test_audit_events_name_existing_records(demo: DemoNetwork) -> None:
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    bulkload.load(demo, 120, seed=3)
    ids = set(_generated().values_list("pk", flat=True))
    generated = AuditEvent.objects.filter(pk__gt=before)
    assert generated.count() == 30 * 120
    assert not generated.filter(actor__isnull=True) and not generated.filter(organisation__isnull=True)
    reads = generated.filter(action="read")
    listed = reads.filter(object_ids__isnull=False)
    assert 0.15 <= listed.count() / reads.count() <= 0.3  # about a fifth of the reads are list reads
    for event in listed[:50]:
        named = set((event.object_ids or {}).get("participants.participant", []))
        assert event.object_type == "participants.participant" and named and named <= ids
    models = {"participants.participant": Participant, "cases.case": Case}
    for object_type, model in models.items():
        named = set(
            generated.filter(object_type=object_type)
            .exclude(object_id="")
            .values_list("object_id", flat=True)
        )
        found = model._default_manager.filter(pk__in=[int(i) for i in named]).values_list("pk", flat=True)
        assert named and {str(pk) for pk in found} == named
    assert set(generated.values_list("action", flat=True)) >= {"create", "update", "read", "login"}


@postgres_only
def test_generated_participant_is_found_and_its_pages_open(demo: DemoNetwork) -> None:
    bulkload.load(demo, 60, seed=11)
    case = (
        Case.objects.filter(participant__district=bulkload.MARKER, contacts__isnull=False)
        .order_by("pk")
        .first()
    )
    assert case is not None
    client = verified_client(case.case_manager)
    person = case.participant
    response = client.post(reverse("participants:search"), {"q": person.family_name})
    page = client.get(response["Location"])
    assert person.pk in [p.pk for p in page.context["page"]] or page.context["page"].paginator.count > 20
    assert client.get(reverse("participants:detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    timeline = client.get(reverse("cases:timeline", args=[case.pk]))
    assert timeline.status_code == 200
    shown = {e.object_id for e in CaseEvent.objects.filter(case=case, kind="contact")}
    assert shown and shown == {str(pk) for pk in case.contacts.values_list("pk", flat=True)}
    assert (
        "counselling contact" in timeline.content.decode() or "Beratungskontakt" in timeline.content.decode()
    )


@postgres_only
def test_second_run_adds_and_sequences_continue(demo: DemoNetwork) -> None:
    bulkload.load(demo, 30, seed=1)
    bulkload.load(demo, 20, seed=2)
    assert _generated().count() == 50
    case = Case.objects.filter(participant__district=bulkload.MARKER, status="active").order_by("-pk").first()
    assert case is not None
    # Ordinary creates after the explicit ids: the sequences continue.
    fresh = Participant.objects.create(
        organisation=case.organisation,
        team=case.team,
        given_names="Neu",
        family_name="Person",
        birth_year=1990,
    )
    assert fresh.pk > case.participant_id
    contact = contact_record(actor=case.case_manager, contact=Contact(case=case, duration_minutes=30))
    assert contact.pk > 0 and CaseEvent.objects.filter(object_id=str(contact.pk), kind="contact").exists()


def test_seed_demo_generates_participants_on_either_database(demo: DemoNetwork) -> None:
    """The command's path per database: bulk on PostgreSQL, the model-based generator on SQLite."""
    before = Participant.objects.count()
    out = io.StringIO()
    Command(stdout=out).generate_participants(demo, 25)
    assert Participant.objects.count() == before + 25
    assert "Generated 25 synthetic participants." in out.getvalue()
    assert (_generated().count() == 25) == (connection.vendor == "postgresql")


def test_seed_demo_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not in production"):
        call_command("seed_demo", "--participants", "10")
