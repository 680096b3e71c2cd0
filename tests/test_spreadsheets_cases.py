"""Importing cases with their staff and counselling contacts: through the case and contact
forms and services (audit, timeline, encrypted notes and special-category topics), all or
nothing, idempotent, scoped to the importing organisation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bruecke.cases.models import Case, CaseEvent, CaseStatus, Contact, EventKind
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.spreadsheets.models import ExternalKey
from tests.spreadsheets_casework import days_ago, german, make_case, make_participant, raw_column, run_import

CASE_HEADER = [
    "Nr.",
    "Teilnehmer",
    "eröffnet am",
    "Fallmanagerin",
    "Vermittler",
    "Team",
    "Fallstatus",
    "Pausengrund",
]


def _case_row(number: str, participant: object, **changes: str) -> list[str]:
    row = {
        "opened": german(days_ago(30)),
        "manager": "Anna.Berger@example.org",
        "officer": "jonas.krause",
        "team": "regionalteam rostock",
        "status": "aktiv",
        "reason": "",
    } | changes
    return [number, str(participant), *row.values()]


@pytest.mark.django_db
def test_cases_are_opened_with_their_staff_and_updated_by_the_edit_service(demo: DemoNetwork) -> None:
    kemal = make_participant(demo, "Kemal")
    ExternalKey.objects.create(
        organisation=demo.partners["A"], entity="participants", external_id="P-1", object_id=kemal.pk
    )
    created = run_import(demo, "cases", [CASE_HEADER, _case_row("F1", "P-1")])
    assert created.counts.created == 1, created.errors
    case = Case.objects.get(participant=kemal)
    assert (case.case_manager, case.placement_officer, case.team, case.opened_on, case.status) == (
        demo.users["cm_a"],
        demo.users["po_a"],
        demo.teams["Rostock"],
        days_ago(30),
        CaseStatus.ACTIVE,
    )
    assert CaseEvent.objects.filter(case=case, kind=EventKind.OPENED).exists()
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=AuditAction.CREATE
    )

    events = AuditEvent.objects.count()
    again = run_import(demo, "cases", [CASE_HEADER, _case_row("F1", "P-1")])
    assert (again.counts.unchanged, AuditEvent.objects.count()) == (1, events)

    paused = run_import(
        demo,
        "cases",
        [CASE_HEADER, _case_row("F1", "P-1", officer="", status="pausiert", reason="Sprachkurs")],
    )
    assert paused.counts.updated == 1, paused.errors
    case.refresh_from_db()
    assert (case.placement_officer, case.status, case.pause_reason) == (None, CaseStatus.PAUSED, "Sprachkurs")
    update = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=AuditAction.UPDATE
    )
    assert any("placement_officer" in event.changed_fields for event in update)


@pytest.mark.django_db
def test_bad_case_rows_name_their_column_and_import_nothing(demo: DemoNetwork) -> None:
    lina = make_participant(demo, "Lina")
    other = make_participant(demo, "Mona", partner="B", team="Greifswald")
    more = [make_participant(demo, f"Lina {n}").pk for n in range(3, 10)]
    rows = [
        CASE_HEADER,
        _case_row("1", lina.pk),
        _case_row("2", other.pk),
        _case_row("3", more[0], manager="niemand@example.org"),
        _case_row("4", more[1], manager="leyla.demir"),  # a case manager of partner B
        _case_row("5", more[2], opened="31.02.2024"),
        _case_row("6", more[3], opened=german(days_ago(-1))),
        _case_row("7", more[4], status="abgeschlossen"),
        _case_row("8", more[5], status="pausiert"),
        _case_row("9", more[6], team="Regionalteam Greifswald"),
        _case_row("10", lina.pk),  # a second open case in the same file
    ]
    outcome = run_import(demo, "cases", rows)
    assert not Case.objects.filter(participant_id__in=[lina.pk, *more]).exists()
    by_row = {r.external_id: {c for c, _m in r.errors} for r in outcome.results}
    assert by_row == {
        "1": set(),
        "2": {"participant"},
        "3": {"case_manager"},
        "4": {"case_manager"},
        "5": {"opened_on"},
        "6": {"opened_on"},
        "7": {"status"},
        "8": {"pause_reason"},
        "9": {"team"},
        "10": {"participant"},
    }


CONTACT_HEADER = ["Nr.", "Fall", "Teilnehmer", "Datum", "Kontaktart", "Dauer", "Themen", "Notiz"]


@pytest.mark.django_db
def test_contacts_are_recorded_with_encrypted_notes_and_topics(demo: DemoNetwork) -> None:
    nour = make_participant(demo, "Nour")
    case = make_case(demo, nour, opened_on=days_ago(60))
    ExternalKey.objects.create(
        organisation=demo.partners["A"], entity="cases", external_id="F-9", object_id=case.pk
    )
    rows = [
        CONTACT_HEADER,
        [
            "K1",
            "F-9",
            "",
            german(days_ago(10)),
            "telefonisch",
            "45",
            "Arbeitssuche, Gesundheit",
            "Rückenschmerzen",
        ],
        ["K2", "", str(nour.pk), german(days_ago(5)), "persönlich", "30", "Housing", ""],
    ]
    outcome = run_import(demo, "contacts", rows)
    assert outcome.counts.created == 2, outcome.errors
    first, second = (Contact.objects.get(pk=r.object_id or 0) for r in outcome.results)
    assert (first.case, first.channel, first.duration_minutes, first.recorded_by) == (
        case,
        "phone",
        45,
        demo.users["cm_a"],
    )
    # As the contact form stores them: the health topic only in the encrypted field.
    assert [t.key for t in first.topics.all()] == ["job_search"]
    assert first.sensitive_topic_keys == ["health"]
    assert first.note == "Rückenschmerzen"
    assert "Rückenschmerzen" not in raw_column("cases_contact", "note", first.pk)
    assert "health" not in raw_column("cases_contact", "sensitive_topics", first.pk)
    assert (second.case, [t.key for t in second.topics.all()]) == (case, ["housing"])
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CONTACT).count() == 2

    events = AuditEvent.objects.count()
    again = run_import(demo, "contacts", rows)
    assert (again.counts.unchanged, AuditEvent.objects.count()) == (2, events)
    rows[1][5] = "60"
    changed = run_import(demo, "contacts", rows)
    assert changed.counts.errors == 1
    assert Contact.objects.get(pk=first.pk).duration_minutes == 45


@pytest.mark.django_db
def test_bad_contact_rows_name_their_column(demo: DemoNetwork) -> None:
    omid = make_participant(demo, "Omid")
    case = make_case(demo, omid, opened_on=days_ago(20))
    other_case = make_case(demo, make_participant(demo, "Pari", partner="B", team="Greifswald"))
    closed = make_case(demo, make_participant(demo, "Rana", entry=days_ago(90)))
    run_import(
        demo,
        "exits",
        [
            ["Nr.", "Fall", "Austrittsdatum", "Austrittsgrund", "Qualifikation erworben"],
            ["X", str(closed.pk), german(days_ago(3)), "Umzug", "nein"],
        ],
    )
    assert Case.objects.get(pk=closed.pk).status == CaseStatus.CLOSED
    day = german(days_ago(2))
    rows = [
        CONTACT_HEADER,
        ["1", str(case.pk), "", day, "Video", "30", "", ""],
        ["2", str(other_case.pk), "", day, "Video", "30", "", ""],
        ["3", str(closed.pk), "", day, "Video", "30", "", ""],
        ["4", str(case.pk), "", german(days_ago(-1)), "Video", "30", "", ""],
        ["5", str(case.pk), "", german(days_ago(30)), "Video", "30", "", ""],
        ["6", str(case.pk), "", day, "Video", "0", "", ""],
        ["7", str(case.pk), "", day, "Video", "30", "Astrologie", ""],
        ["8", str(case.pk), "", day, "Brieftaube", "30", "", ""],
        ["9", "", "", day, "Video", "30", "", ""],
        ["10", str(case.pk), "", "30.02.2025", "Video", "30", "", ""],
        ["11", str(case.pk), "", day, "mobile Sprechstunde", "30", "", ""],
    ]
    outcome = run_import(demo, "contacts", rows)
    assert not Contact.objects.filter(case=case).exists()
    by_row = {r.external_id: {c for c, _m in r.errors} for r in outcome.results}
    assert by_row == {
        "1": set(),
        "2": {"case"},  # another organisation's case: "no record"
        "3": {"case"},  # closed: the service refuses contacts
        "4": {"date"},  # in the future
        "5": {"date"},  # before the case was opened
        "6": {"duration_minutes"},
        "7": {"topics"},  # unknown word without a value mapping
        "8": {"channel"},
        "9": {"case"},
        "10": {"date"},
        "11": {"site"},  # a mobile consultation hour needs its site
    }


@pytest.mark.django_db
def test_contact_dry_run_writes_nothing_and_looks_topics_up_once(demo: DemoNetwork) -> None:
    case = make_case(demo, make_participant(demo, "Sami"), opened_on=days_ago(60))
    rows = [CONTACT_HEADER] + [
        [f"K{i}", str(case.pk), "", german(days_ago(i + 1)), "Telefon", "20", "Wohnen, Sprachkurs", "Notiz"]
        for i in range(20)
    ]
    with CaptureQueriesContext(connection) as dry:
        outcome = run_import(demo, "contacts", rows, dry_run=True)
    assert (outcome.counts.created, Contact.objects.filter(case=case).count()) == (20, 0)
    with CaptureQueriesContext(connection) as real:
        outcome = run_import(demo, "contacts", rows)
    assert outcome.counts.created == 20, outcome.errors
    dry_count = sum(1 for q in dry.captured_queries if "SAVEPOINT" not in q["sql"])
    real_count = sum(1 for q in real.captured_queries if "SAVEPOINT" not in q["sql"])
    print(f"contacts, 20 rows: {dry_count} queries in the dry run, {real_count} in the import")
    assert dry_count <= 20 * 2 + 15
    assert real_count <= 20 * 11 + 15


@pytest.mark.django_db
def test_a_closed_case_is_left_alone_unless_its_row_changes(demo: DemoNetwork) -> None:
    tarek = make_participant(demo, "Tarek", entry=days_ago(100))
    opened = run_import(demo, "cases", [CASE_HEADER, _case_row("T1", tarek.pk, opened=german(days_ago(90)))])
    assert opened.counts.created == 1, opened.errors
    exit_header = ["Nr.", "Teilnehmer", "Austrittsdatum", "Austrittsgrund", "Qualifikation erworben"]
    closed = run_import(
        demo, "exits", [exit_header, ["X1", str(tarek.pk), german(days_ago(3)), "Umzug", "nein"]]
    )
    assert closed.counts.created == 1, closed.errors
    assert Case.objects.get(participant=tarek).status == CaseStatus.CLOSED
    same = run_import(demo, "cases", [CASE_HEADER, _case_row("T1", tarek.pk, opened=german(days_ago(90)))])
    assert same.counts.unchanged == 1
    changed = run_import(
        demo, "cases", [CASE_HEADER, _case_row("T1", tarek.pk, opened=german(days_ago(90)), officer="")]
    )
    assert changed.counts.errors == 1
    assert Case.objects.get(participant=tarek).placement_officer == demo.users["po_a"]
