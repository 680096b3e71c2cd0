"""Importing participants, their residence-status history and their consents: through the
same forms and services as a form entry (audit, name keys, current status, eligibility),
idempotent, all or nothing, and every bad cell refused on its own column."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants import selectors
from bruecke.participants.models import Consent, Participant, ResidenceStatus
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import Counts, RowResult, run_file
from bruecke.spreadsheets.mapping import suggest_columns, unknown_words
from bruecke.spreadsheets.reading import read_table

PEOPLE = ["Nr.", "Vorname", "Nachname", "Andere Schreibweisen", "Geburtsdatum", "Geschlecht"]
PEOPLE += ["Staatsangehörigkeit", "Sprachen", "Telefon", "Eintritt", "Projekt"]
AMIR = ["P-1", "Amir", "Haddad", "Emir Hadad; Amier Haddat", "00.00.1994", "m"]
AMIR += ["Syrien", "Arabisch; Englisch", "0151 123", "01.02.2025", "NAF MV plus"]
SARA = ["P-2", "Sara", "Tesfay", "", "03.1999", "w", "ER", "", "", "15.03.2025", ""]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _run(
    demo: DemoNetwork,
    entity_key: str,
    rows: list[list[str]],
    *,
    dry_run: bool = False,
    user: str = "cm_a",
    partner: str = "A",
    values: dict[str, dict[str, str]] | None = None,
) -> tuple[Counts, list[RowResult]]:
    entity = registry.get(entity_key)
    assert entity is not None
    ctx = ImportContext(actor=demo.users[user], organisation=demo.partners[partner], entity=entity_key)
    table = read_table(_csv(rows), "liste.csv")
    plan = Plan(entity, suggest_columns(entity, table.headers), values or {})
    results: list[RowResult] = []
    with translation.override("de"):
        counts = run_file(ctx, plan, table, dry_run=dry_run, on_row=results.append)
    return counts, results


def _errors(results: list[RowResult]) -> list[list[tuple[str | None, str]]]:
    return [r.errors for r in results]


def _person(external_id: str = "P-1") -> Participant:
    from bruecke.spreadsheets.models import ExternalKey

    key = ExternalKey.objects.get(entity="participants", external_id=external_id)
    return Participant.objects.get(pk=key.object_id)


@pytest.mark.django_db
def test_participants_are_created_through_the_service(demo: DemoNetwork) -> None:
    counts, results = _run(demo, "participants", [PEOPLE, AMIR, SARA])
    assert counts.created == 2, _errors(results)
    amir = _person("P-1")
    assert (amir.given_names, amir.family_name, amir.organisation, amir.team) == (
        "Amir",
        "Haddad",
        demo.partners["A"],
        demo.teams["Rostock"],
    )
    assert (amir.birth_year, amir.birth_month, amir.birth_day) == (1994, None, None)
    assert (amir.gender, amir.nationality.code, amir.other_languages) == ("male", "SY", ["ar", "en"])
    assert amir.project is not None and amir.project.name == "NAF MV plus"
    assert amir.entry_date == datetime.date(2025, 2, 1)
    assert sorted(amir.name_variants.values_list("name", flat=True)) == ["Amier Haddat", "Emir Hadad"]
    assert amir.latin_name and amir.created_by == demo.users["cm_a"]
    # No residence document yet: eligibility is computed, and unclear.
    assert amir.eligibility == "unclear"
    # The only project of the organisation is taken when the cell is empty.
    sara = _person("P-2")
    assert (sara.project, sara.birth_month, sara.gender) == (amir.project, 3, "female")
    created = AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="participants.participant", object_id=str(amir.pk)
    )
    assert created.get().actor == demo.users["cm_a"]
    # The name keys let the search find the person by another spelling.
    visible = selectors.participants_visible_to(demo.users["cm_a"])
    assert amir in selectors.matching_names(visible, "Hadad")
    assert amir in selectors.matching_names(visible, "Haddat")


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_and_costs_few_queries_per_row(demo: DemoNetwork) -> None:
    before = (Participant.objects.count(), AuditEvent.objects.count())
    rows = [
        PEOPLE,
        *[
            [f"D-{n}", f"Name{n}", "Muster", "", "1990", "m", "SY", "", "", "01.02.2025", ""]
            for n in range(20)
        ],
    ]
    with CaptureQueriesContext(connection) as few:
        _run(demo, "participants", rows[:3], dry_run=True)
    with CaptureQueriesContext(connection) as many:
        counts, results = _run(demo, "participants", rows, dry_run=True)
    assert counts.created == 20, _errors(results)
    assert (Participant.objects.count(), AuditEvent.objects.count()) == before
    per_row = (len(many) - len(few)) / 18
    # The row's external id; projects, teams and countries are read once per file.
    assert per_row <= 1, per_row


@pytest.mark.django_db
def test_reimport_changes_nothing_and_a_changed_row_updates(demo: DemoNetwork) -> None:
    _run(demo, "participants", [PEOPLE, AMIR, SARA])
    events = AuditEvent.objects.count()
    counts, _results = _run(demo, "participants", [PEOPLE, AMIR, SARA])
    assert (counts.unchanged, counts.created, counts.updated) == (2, 0, 0)
    assert AuditEvent.objects.count() == events

    # Other words for the same values: the row differs, the record does not.
    same = [*AMIR[:5], "männlich", "SY", "ar, en", *AMIR[8:]]
    counts, results = _run(demo, "participants", [PEOPLE, same])
    assert (counts.unchanged, counts.updated) == (1, 0), _errors(results)
    assert AuditEvent.objects.count() == events

    moved = [*AMIR[:3], "Emir Hadad", *AMIR[4:8], "0160 999", *AMIR[9:]]
    counts, results = _run(demo, "participants", [PEOPLE, moved])
    assert counts.updated == 1, _errors(results)
    amir = _person("P-1")
    assert amir.phone == "0160 999"
    assert list(amir.name_variants.values_list("name", flat=True)) == ["Emir Hadad"]
    update = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(amir.pk)).get()
    assert update.changed_fields == ["phone", "version"] or "phone" in update.changed_fields
    # A column the file does not have keeps its value.
    header = ["Nr.", "Geburtsdatum", "Geschlecht", "Eintritt", "Telefon"]
    counts, results = _run(demo, "participants", [header, ["P-1", "1994", "m", "01.02.2025", "0170 1"]])
    assert counts.updated == 1, _errors(results)
    amir.refresh_from_db()
    assert (amir.phone, amir.family_name, amir.nationality.code) == ("0170 1", "Haddad", "SY")
    assert list(amir.name_variants.values_list("name", flat=True)) == ["Emir Hadad"]


@pytest.mark.django_db
def test_bad_cells_are_refused_on_their_column_and_nothing_is_imported(demo: DemoNetwork) -> None:
    before = Participant.objects.count()
    future = (timezone.localdate() + datetime.timedelta(days=40)).strftime("%d.%m.%Y")

    def row(number: str, **cells: str) -> list[str]:
        values = dict(
            zip(
                PEOPLE, [number, "Lina", "Omar", "", "1990", "w", "SY", "", "", "01.02.2025", ""], strict=True
            )
        )
        values.update(cells)
        return [values[h] for h in PEOPLE]

    rows = [
        PEOPLE,
        row("1", Geburtsdatum=future),
        row("2", Geburtsdatum="31.02.1994"),
        row("3", Staatsangehörigkeit="Atlantis"),
        row("4", Nachname="x" * 151),
        row("5", Vorname="Lina 😀"),
        row("6", Nachname='=HYPERLINK("http://example.org","klick")'),
        row("7", Projekt="Unbekanntes Projekt"),
        row("8", Geschlecht="irgendwas"),
        row("9", Eintritt="2025-13-45"),
        row("10"),
    ]
    counts, results = _run(demo, "participants", rows)
    assert Participant.objects.count() == before
    assert counts.errors == 9 and results[-1].outcome == "created"
    assert [[column for column, _message in r.errors] for r in results[:9]] == [
        ["birth_date"],
        ["birth_date"],
        ["nationality"],
        ["family_name"],
        ["given_names"],
        ["family_name"],
        ["project"],
        ["gender"],
        ["entry_date"],
    ]
    assert "Zukunft" in results[0].errors[0][1]
    assert "gibt es nicht" in results[1].errors[0][1] or "existiert nicht" in results[1].errors[0][1]


@pytest.mark.django_db
def test_the_value_mapping_maps_nationality_words(demo: DemoNetwork) -> None:
    rows = [PEOPLE, [*AMIR[:6], "syrische", *AMIR[7:]], [*SARA[:6], "Eritrea", *SARA[7:]]]
    entity = registry.get("participants")
    assert entity is not None
    table = read_table(_csv(rows), "liste.csv")
    with translation.override("de"):
        plan = Plan(entity, suggest_columns(entity, table.headers))
        assert unknown_words(plan, table) == {"nationality": ["syrische"]}
    counts, results = _run(demo, "participants", rows, values={"nationality": {"syrische": "SY"}})
    assert counts.created == 2, _errors(results)
    assert (_person("P-1").nationality.code, _person("P-2").nationality.code) == ("SY", "ER")
    # The adjective itself and the code are understood without a mapping.
    counts, results = _run(demo, "participants", [PEOPLE, [*AMIR[:6], "syrisch", *AMIR[7:]]])
    assert counts.errors == 0, _errors(results)


STATUS = ["Nr.", "Teilnehmer", "Aufenthaltsstatus", "ausgestellt am", "gültig bis", "Bemerkung"]


@pytest.mark.django_db
def test_residence_history_sets_the_current_status_and_eligibility(demo: DemoNetwork) -> None:
    _run(demo, "participants", [PEOPLE, AMIR])
    amir = _person("P-1")
    rows = [
        STATUS,
        ["S-1", "P-1", "Gestattung", "01.03.2024", "01.09.2024", "Nr. 123"],
        ["S-2", str(amir.pk), "§ 25 Abs. 2 Flüchtling", "10.01.2025", "09.01.2028", ""],
    ]
    counts, results = _run(demo, "residence_statuses", rows)
    assert counts.created == 2, _errors(results)
    amir.refresh_from_db()
    assert (amir.current_status, amir.current_valid_until) == ("ae_25_2_refugee", datetime.date(2028, 1, 9))
    assert amir.eligibility == "eligible"
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="participants.residencestatus"
        ).count()
        >= 2
    )

    counts, _results = _run(demo, "residence_statuses", rows)
    assert counts.unchanged == 2
    # A corrected row updates its document through the service; derived columns follow.
    rows[2][4] = "09.01.2027"
    counts, results = _run(demo, "residence_statuses", rows)
    assert (counts.updated, counts.unchanged) == (1, 1), _errors(results)
    amir.refresh_from_db()
    assert amir.current_valid_until == datetime.date(2027, 1, 9)
    assert amir.residence_statuses.count() == 2
    update = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="participants.residencestatus"
    ).get()
    assert update.changed_fields == ["valid_until"]


@pytest.mark.django_db
def test_residence_rows_are_checked_by_the_form(demo: DemoNetwork) -> None:
    _run(demo, "participants", [PEOPLE, AMIR])
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    rows = [
        STATUS,
        ["S-1", "P-1", "Gestattung", future, "", ""],
        ["S-2", "P-1", "Gestattung", "01.03.2024", "01.01.2024", ""],
        ["S-3", "P-1", "Visum", "01.03.2024", "", ""],
        ["S-4", "P-99", "Gestattung", "01.03.2024", "", ""],
    ]
    counts, results = _run(demo, "residence_statuses", rows)
    assert counts.errors == 4 and ResidenceStatus.objects.filter(participant=_person()).count() == 0
    assert [r.errors[0][0] for r in results] == ["issued_on", "valid_until", "status", "participant"]


@pytest.mark.django_db
def test_participants_of_another_organisation_are_no_record(demo: DemoNetwork) -> None:
    counts, results = _run(demo, "participants", [PEOPLE, [*AMIR[:10], ""]], user="cm_b", partner="B")
    assert counts.created == 1, _errors(results)
    theirs = _person("P-1")
    assert theirs.organisation == demo.partners["B"]
    _counts, unknown = _run(
        demo, "residence_statuses", [STATUS, ["S-1", "X-9", "Gestattung", "01.03.2024", "", ""]]
    )
    no_record = unknown[0].errors
    assert [column for column, _message in no_record] == ["participant"]
    for reference in ("P-1", str(theirs.pk)):
        counts, results = _run(
            demo, "residence_statuses", [STATUS, ["S-1", reference, "Gestattung", "01.03.2024", "", ""]]
        )
        assert results[0].errors == no_record  # the same answer as for an id nobody has
        counts, results = _run(
            demo, "consents", [CONSENT, ["C-1", reference, "Beratung", "01.02.2025", "2019-1"]]
        )
        assert results[0].errors == no_record
    assert not ResidenceStatus.objects.filter(participant=theirs).exists()


CONSENT = ["Nr.", "Teilnehmer", "Zweck", "Datum", "Version"]


@pytest.mark.django_db
def test_consents_are_recorded_revoked_and_never_changed(demo: DemoNetwork) -> None:
    _run(demo, "participants", [PEOPLE, AMIR])
    amir = _person("P-1")
    header = [*CONSENT, "Weitergabe an", "widerrufen am"]
    partner_b = demo.partners["B"]
    rows = [
        header,
        ["C-1", "P-1", "Beratung", "01.02.2025", "Bogen 2019", "", ""],
        ["C-2", "P-1", "Weitergabe", "01.02.2025", "Bogen 2019", partner_b.name, ""],
        ["C-3", "P-1", "ESF", "01.02.2025", "Bogen 2019", "", "01.06.2025"],
    ]
    counts, results = _run(demo, "consents", rows)
    assert counts.created == 3, _errors(results)
    consents = {c.purpose: c for c in Consent.objects.filter(participant=amir)}
    assert consents["counselling"].sheet_version == "Bogen 2019"
    assert (consents["counselling"].method, consents["counselling"].sheet_language) == ("signed_paper", "de")
    assert list(consents["sharing"].shared_with.all()) == [partner_b]
    assert consents["funder_reporting"].revoked_on == datetime.date(2025, 6, 1)
    assert consents["counselling"].recorded_by == demo.users["cm_a"]
    recorded = AuditEvent.objects.filter(object_type="participants.consent", action=AuditAction.CREATE)
    assert recorded.filter(object_id__in=[str(c.pk) for c in consents.values()]).count() == 3
    # Sharing took effect: partner B's case manager sees the participant.
    assert amir in selectors.participants_visible_to(demo.users["cm_b"])

    counts, _results = _run(demo, "consents", rows)
    assert counts.unchanged == 3
    rows[1][6] = "01.07.2025"  # a later file knows the revocation
    counts, results = _run(demo, "consents", rows)
    assert (counts.updated, counts.unchanged) == (1, 2), _errors(results)
    consents["counselling"].refresh_from_db()
    assert consents["counselling"].revoked_on == datetime.date(2025, 7, 1)

    changed = [header, ["C-2", "P-1", "Weitergabe", "02.02.2025", "Bogen 2019", partner_b.name, ""]]
    counts, results = _run(demo, "consents", changed)
    assert results[0].errors[0][0] == "given_on"
    undone = [header, ["C-3", "P-1", "ESF", "01.02.2025", "Bogen 2019", "", ""]]
    counts, results = _run(demo, "consents", undone)
    assert results[0].errors[0][0] == "revoked_on"


@pytest.mark.django_db
def test_bad_consent_rows_are_refused(demo: DemoNetwork) -> None:
    _run(demo, "participants", [PEOPLE, AMIR])
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    header = [*CONSENT, "Weitergabe an", "widerrufen am"]
    rows = [
        header,
        ["C-1", "P-1", "Beratung", future, "2019", "", ""],
        ["C-2", "P-1", "Weitergabe", "01.02.2025", "2019", "", ""],
        ["C-3", "P-1", "Weitergabe", "01.02.2025", "2019", "Unbekannter Verein", ""],
        ["C-4", "P-1", "Beratung", "01.02.2025", "2019", "", "01.01.2025"],
        ["C-5", "P-1", "Beratung", "01.02.2025", "x" * 21, "", ""],
    ]
    counts, results = _run(demo, "consents", rows)
    assert counts.errors == 5 and not Consent.objects.filter(participant=_person()).exists()
    assert [r.errors[0][0] for r in results] == [
        "given_on",
        "shared_with",
        "shared_with",
        "revoked_on",
        "sheet_version",
    ]
