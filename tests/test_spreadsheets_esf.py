"""Importing the ESF entry questionnaire, the exit with its dated situations and the
6-month follow-up: through the same forms and services as the pages (derived citizenships,
stored results, audit events), all or nothing, idempotent, scoped to the organisation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bruecke.cases.models import CaseStatus
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.esf import results
from bruecke.esf.exit_models import ExitRecord, FollowUp
from bruecke.esf.models import Answer, EntryRecord, LabourMarketStatus
from bruecke.esf.services import entry_record_save
from bruecke.network.demo import DemoNetwork
from bruecke.spreadsheets.models import ExternalKey
from tests.spreadsheets_casework import (
    days_ago,
    german,
    make_case,
    make_participant,
    raw_column,
    run_import,
)

ENTRY_HEADER = [
    "Nr.",
    "Teilnehmer",
    "Erwerbsstatus",
    "arbeitslos seit",
    "ISCED",
    "Schulabschluss",
    "Behinderung",
    "sensible Fragen gestellt am",
    "weitere Staatsangehörigkeiten",
]


def _entry_row(number: str, participant: object, **changes: str) -> list[str]:
    row = {
        "lm": "arbeitslos gemeldet",
        "since": german(days_ago(400)),
        "isced": "ISCED 3",
        "school": "Abitur",
        "disability": "verweigert",
        "asked": german(days_ago(190)),
        "further": "de",
    } | changes
    return [number, str(participant), *row.values()]


@pytest.mark.django_db
def test_entry_rows_are_saved_by_the_questionnaire_service_with_derived_fields(demo: DemoNetwork) -> None:
    amal = make_participant(demo, "Amal", nationality="SY")
    created = run_import(demo, "esf_entries", [ENTRY_HEADER, _entry_row("E1", amal.pk)])
    assert created.counts.created == 1, created.errors
    record = EntryRecord.objects.get(participant=amal)
    assert (record.lm_status_entry, record.isced_level, record.school_qualification_de) == (
        LabourMarketStatus.UNEMPLOYED,
        3,
        "hochschulreife",
    )
    assert record.registered_unemployed_since == days_ago(400)
    # Frozen at entry as the page does it: the nationality first, then the further ones.
    assert (record.citizenships, record.third_country_national_at_entry) == ("SY DE", False)
    assert record.disability == Answer.REFUSED
    assert "refused" not in raw_column("esf_entryrecord", "disability", record.pk)
    create = AuditEvent.objects.get(object_type="esf.entryrecord", object_id=str(record.pk))
    assert (create.action, create.actor) == (AuditAction.CREATE, demo.users["cm_a"])

    events = AuditEvent.objects.count()
    again = run_import(demo, "esf_entries", [ENTRY_HEADER, _entry_row("E1", amal.pk)])
    assert (again.counts.unchanged, AuditEvent.objects.count()) == (1, events)

    # A changed row updates the record; a column the file does not have is kept.
    fewer = run_import(demo, "esf_entries", [["Nr.", "Teilnehmer", "ISCED"], ["E1", str(amal.pk), "4"]])
    assert fewer.counts.updated == 1, fewer.errors
    record.refresh_from_db()
    assert (record.isced_level, record.disability, record.citizenships, record.version) == (
        4,
        Answer.REFUSED,
        "SY DE",
        2,
    )


@pytest.mark.django_db
def test_an_entry_recorded_on_the_page_is_updated_not_duplicated(demo: DemoNetwork) -> None:
    bilal = make_participant(demo, "Bilal")
    entry_record_save(
        actor=demo.users["cm_a"], participant=bilal, data={"lm_status_entry": LabourMarketStatus.INACTIVE}
    )
    outcome = run_import(
        demo, "esf_entries", [["Nr.", "TN", "Erwerbsstatus"], ["E7", str(bilal.pk), "erwerbstätig"]]
    )
    # The engine counts a row with a new external id as created; the record is the same one.
    assert outcome.counts.created == 1, outcome.errors
    record = EntryRecord.objects.get(participant=bilal)
    assert (record.lm_status_entry, record.version, outcome.results[0].object_id) == (
        LabourMarketStatus.EMPLOYED,
        2,
        record.pk,
    )


@pytest.mark.django_db
def test_participant_by_external_id_of_the_participants_import(demo: DemoNetwork) -> None:
    chadi = make_participant(demo, "Chadi")
    ExternalKey.objects.create(
        organisation=demo.partners["A"], entity="participants", external_id="P-17", object_id=chadi.pk
    )
    outcome = run_import(demo, "esf_entries", [["Nr.", "Teilnehmer", "ISCED"], ["E9", "P-17", "2"]])
    assert outcome.counts.created == 1, outcome.errors
    assert EntryRecord.objects.get(participant=chadi).isced_level == 2


@pytest.mark.django_db
def test_bad_entry_rows_import_nothing_and_name_their_column(demo: DemoNetwork) -> None:
    dana = make_participant(demo, "Dana")
    other = make_participant(demo, "Ewa", partner="B", team="Greifswald")
    five, six = make_participant(demo, "Dana 5"), make_participant(demo, "Dana 6")
    rows = [
        ENTRY_HEADER,
        _entry_row("1", dana.pk),
        _entry_row("2", dana.pk, since="31.02.2024"),
        _entry_row("3", dana.pk, lm="vielleicht"),
        _entry_row("4", other.pk),
        _entry_row("5", five.pk, asked=german(days_ago(-3))),
        _entry_row("6", six.pk, further="QQ"),
        _entry_row("7", 99_999_999),
        _entry_row("8", dana.pk),
    ]
    outcome = run_import(demo, "esf_entries", rows)
    assert not EntryRecord.objects.filter(participant=dana).exists()
    by_row = {r.external_id: {c for c, _m in r.errors} for r in outcome.results}
    assert by_row["1"] == set()
    assert by_row["2"] == {"registered_unemployed_since"}
    assert by_row["3"] == {"lm_status_entry"}
    assert by_row["4"] == {"participant"}
    assert by_row["5"] == {"sensitive_asked_on"}
    assert by_row["6"] == {"further_citizenships"}
    assert by_row["7"] == {"participant"}
    assert by_row["8"] == {"participant"}  # the same person twice
    # Another organisation's participant reads exactly like one that does not exist.
    messages = {r.external_id: r.errors[0][1] for r in outcome.results if r.errors}
    assert messages["4"] == messages["7"]


@pytest.mark.django_db
def test_the_entry_dry_run_writes_nothing_and_queries_stay_flat(demo: DemoNetwork) -> None:
    people = [make_participant(demo, f"Person {i}") for i in range(20)]
    rows = [ENTRY_HEADER, *[_entry_row(f"Q{i}", p.pk) for i, p in enumerate(people)]]
    events = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as dry:
        outcome = run_import(demo, "esf_entries", rows, dry_run=True)
    assert (outcome.counts.created, EntryRecord.objects.filter(participant__in=people).count()) == (20, 0)
    assert AuditEvent.objects.count() == events
    with CaptureQueriesContext(connection) as real:
        outcome = run_import(demo, "esf_entries", rows)
    assert outcome.counts.created == 20, outcome.errors
    # Per row, savepoints aside: the engine's external key and the participant (with its
    # organisation, project and record, the reference's external key as a subquery);
    # saving adds the service's lock, validation, insert, audit event and external key.
    dry_count, real_count = _statements(dry), _statements(real)
    print(f"esf_entries, 20 rows: {dry_count} queries in the dry run, {real_count} in the import")
    assert dry_count <= 20 * 2 + 10
    assert real_count <= 20 * 10 + 10


def _statements(captured: CaptureQueriesContext) -> int:
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


EXIT_HEADER = ["Nr.", "Fall", "Austrittsdatum", "Austrittsgrund", "erhoben am", "Qualifikation erworben"]
SITUATIONS = ["Situation 1", "Situation 1 seit", "Situation 2", "Situation 2 seit"]


@pytest.mark.django_db
def test_an_exit_closes_the_case_with_its_dated_situations_and_stored_results(demo: DemoNetwork) -> None:
    fatma = make_participant(demo, "Fatma", entry=days_ago(300))
    case = make_case(demo, fatma)
    exit_day = days_ago(40)
    row = [
        "X1",
        str(case.pk),
        german(exit_day),
        "regulär beendet",
        german(days_ago(15)),
        "nein",
        "arbeitsuchend",
        german(exit_day),
        "erwerbstätig",
        german(days_ago(20)),
    ]
    dry = run_import(demo, "exits", [EXIT_HEADER + SITUATIONS, row], dry_run=True)
    assert dry.counts.created == 1, dry.errors
    assert not ExitRecord.objects.filter(case=case).exists()
    outcome = run_import(demo, "exits", [EXIT_HEADER + SITUATIONS, row])
    assert outcome.counts.created == 1, outcome.errors
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, exit_day)
    record = ExitRecord.objects.get(case=case)
    assert [(s.kind, s.date) for s in record.situations.all()] == [
        ("job_searching", exit_day),
        ("employed", days_ago(20)),
    ]
    # The last situation in the 4-week window decides (§11.6): employed.
    assert record.result_labour_market == results.EECR04

    again = run_import(demo, "exits", [EXIT_HEADER + SITUATIONS, row])
    assert again.counts.unchanged == 1

    # A correction: the job was a training after all; the stored result follows.
    row[8] = "Weiterbildung"
    changed = run_import(demo, "exits", [EXIT_HEADER + SITUATIONS, row])
    assert changed.counts.updated == 1, changed.errors
    record.refresh_from_db()
    assert (record.result_labour_market, record.result_education) == (results.EECR01, True)
    assert record.situations.count() == 2


@pytest.mark.django_db
def test_bad_exit_rows_name_their_column(demo: DemoNetwork) -> None:
    gül = make_participant(demo, "Gül", entry=days_ago(100))
    case = make_case(demo, gül)
    closed = make_case(demo, make_participant(demo, "Hana", entry=days_ago(100)))
    setup = run_import(
        demo, "exits", [EXIT_HEADER, ["C", str(closed.pk), german(days_ago(5)), "Umzug", "", "nein"]]
    )
    assert setup.counts.created == 1, setup.errors
    other = make_case(demo, make_participant(demo, "Ines", partner="B", team="Greifswald"))
    rows = [
        EXIT_HEADER + SITUATIONS,
        ["1", str(case.pk), german(days_ago(150)), "Umzug", "", "nein", "", "", "", ""],
        ["2", str(case.pk), german(days_ago(-2)), "Umzug", "", "nein", "", "", "", ""],
        [
            "3",
            str(case.pk),
            german(days_ago(40)),
            "Umzug",
            german(days_ago(20)),
            "nein",
            "arbeitslos",
            german(days_ago(2)),
            "",
            "",
        ],
        ["4", str(case.pk), german(days_ago(5)), "Urlaub", "", "nein", "", "", "", ""],
        ["5", str(other.pk), german(days_ago(5)), "Umzug", "", "nein", "", "", "", ""],
        ["6", str(closed.pk), german(days_ago(5)), "Umzug", "", "nein", "", "", "", ""],
        ["7", str(case.pk), german(days_ago(5)), "Umzug", "", "", "", "", "", ""],
    ]
    outcome = run_import(demo, "exits", rows)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    by_row = {r.external_id: {c for c, _m in r.errors} for r in outcome.results}
    # Before the case was opened; the window is over, so the situation is missing too.
    assert by_row.pop("1") == {"exit_date", "status_collected_on", "situation_1"}
    assert by_row == {
        "2": {"exit_date"},  # in the future
        "3": {"situation_1_since"},  # outside the 4 weeks after exit
        "4": {"exit_reason"},  # unknown word without a value mapping
        "5": {"case"},  # another organisation's case
        "6": {"case"},  # already closed
        "7": {"qualification_gained"},  # required answer at exit
    }


@pytest.mark.django_db
def test_follow_ups_are_recorded_and_refresh_the_exits_results(demo: DemoNetwork) -> None:
    ida = make_participant(demo, "Ida", entry=days_ago(400))
    case = make_case(demo, ida)
    exit_day = days_ago(200)
    closed = run_import(
        demo,
        "exits",
        [
            EXIT_HEADER + SITUATIONS[:2],
            [
                "X",
                str(case.pk),
                german(exit_day),
                "Umzug",
                german(exit_day),
                "nein",
                "arbeitslos",
                german(exit_day),
            ],
        ],
    )
    assert closed.counts.created == 1, closed.errors
    ExternalKey.objects.create(
        organisation=demo.partners["A"], entity="cases", external_id="F-3", object_id=case.pk
    )
    header = ["Nr.", "Fall", "befragt am", "erwerbstätig", "Notiz"]
    answered = days_ago(17)
    outcome = run_import(demo, "follow_ups", [header, ["N1", "F-3", german(answered), "ja", "Lagerhelferin"]])
    assert outcome.counts.created == 1, outcome.errors
    follow_up = FollowUp.objects.get(exit_record__case=case)
    assert (follow_up.employed, follow_up.recorded_by, follow_up.note) == (
        "yes",
        demo.users["cm_a"],
        "Lagerhelferin",
    )
    assert "Lagerhelferin" not in raw_column("esf_followup", "note", follow_up.pk)
    record = ExitRecord.objects.get(case=case)
    assert record.follow_up_result == "yes"

    events = AuditEvent.objects.count()
    same = run_import(demo, "follow_ups", [header, ["N1", "F-3", german(answered), "ja", "Lagerhelferin"]])
    assert (same.counts.unchanged, AuditEvent.objects.count()) == (1, events)
    refused = run_import(
        demo, "follow_ups", [header, ["N1", "F-3", german(answered), "verweigert", "Lagerhelferin"]]
    )
    assert refused.counts.updated == 1, refused.errors
    record.refresh_from_db()
    assert (FollowUp.objects.get(pk=follow_up.pk).employed, record.follow_up_result) == ("no_response", "")

    bad = run_import(
        demo,
        "follow_ups",
        [
            header,
            ["N2", str(case.pk), german(days_ago(300)), "nein", ""],
            ["N3", str(make_case(demo, make_participant(demo, "Jana")).pk), german(answered), "nein", ""],
        ],
    )
    assert [{c for c, _m in r.errors} for r in bad.results] == [{"answered_on"}, {"case"}]
