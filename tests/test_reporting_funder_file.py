"""The funder's participant file: pseudonymised records of the participants the user may
see, as XML valid against our XSD or as CSV, made by a real job run."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bruecke.cases.models import Case
from bruecke.core.audit import object_type_of
from bruecke.esf.models import Answer, EntryRecord, ExitRecord, ExitSituation, FollowUp, LabourMarketStatus
from bruecke.jobs.models import Job, JobState
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import LtuRule, Project
from bruecke.reporting.funder import formats
from bruecke.reporting.funder.pseudonym import participant_pseudonym
from bruecke.reporting.funder.records import funder_participants, funder_records
from bruecke.reporting.jobs import FUNDER_FILE_KIND
from bruecke.reporting.scope import resolve_scope
from tests.audit_reads import read_ids
from tests.jobs_helpers import run_queued_jobs

URL = "reporting:funder_file"


@pytest.fixture(autouse=True)
def _results_dir(settings: Any, tmp_path: Path) -> None:
    settings.JOB_RESULTS_DIR = tmp_path / "jobs"
    settings.REPORTING_PSEUDONYM_KEY = "test-pseudonym-key"


def _project(demo: DemoNetwork) -> Project:
    return Project.objects.get(network=demo.network, name="NAF MV plus")


def _person(demo: DemoNetwork, partner: str, team: str, name: str, entry: datetime.date) -> Participant:
    return Participant.objects.create(
        organisation=demo.partners[partner],
        team=demo.teams[team],
        project=_project(demo),
        given_names=name,
        family_name="Zuwandererin",
        latin_name=f"{name} Zuwandererin",
        birth_year=1990,
        birth_month=5,
        gender=Gender.FEMALE,
        nationality="SY",
        town="Rostock",
        entry_date=entry,
    )


def _entry(person: Participant, **fields: Any) -> EntryRecord:
    values = {
        "lm_status_entry": LabourMarketStatus.UNEMPLOYED,
        "registered_unemployed_since": datetime.date(2023, 1, 15),
        "isced_level": 3,
        "citizenships": "SY",
        "third_country_national_at_entry": True,
        "disability": Answer.REFUSED,
        "minority": Answer.NO,
        "foreign_background": Answer.YES,
        "homeless_or_housing_exclusion": Answer.NO,
        "sensitive_asked_on": person.entry_date,
        "rural_area": False,
    }
    return EntryRecord.objects.create(
        participant=person, organisation=person.organisation, **{**values, **fields}
    )


def _exit(demo: DemoNetwork, person: Participant, day: datetime.date, kinds: list[str]) -> ExitRecord:
    case = Case.objects.create(
        participant=person,
        organisation=person.organisation,
        team=person.team,
        case_manager=demo.users["cm_a"],
        opened_on=person.entry_date,
    )
    record = ExitRecord.objects.create(
        case=case,
        participant=person,
        organisation=person.organisation,
        exit_date=day,
        exit_reason="early_job",
        qualification_gained=True,
        qualification_on=day,
    )
    for offset, kind in enumerate(kinds):
        ExitSituation.objects.create(
            exit_record=record, date=day + datetime.timedelta(days=offset), kind=kind
        )
    return record


@pytest.fixture
def people(demo: DemoNetwork) -> dict[str, Participant]:
    """Amal: entered and left in 2025 (employed, six-month answer yes); Berin: entered in
    2023, left in 2025; Chadi: another partner; Dana: before the period, still open."""
    amal = _person(demo, "A", "Rostock", "Amal", datetime.date(2025, 2, 1))
    _entry(amal)
    left = _exit(demo, amal, datetime.date(2025, 6, 30), ["job_searching", "employed"])
    FollowUp.objects.create(
        exit_record=left,
        organisation=amal.organisation,
        answered_on=datetime.date(2025, 12, 30),
        employed="yes",
    )
    berin = _person(demo, "A", "Rostock", "Berin", datetime.date(2024, 3, 1))
    _entry(berin, lm_status_entry=LabourMarketStatus.INACTIVE, registered_unemployed_since=None)
    _exit(demo, berin, datetime.date(2025, 1, 10), ["school"])
    chadi = _person(demo, "B", "Greifswald", "Chadi", datetime.date(2025, 3, 1))
    _entry(chadi)
    dana = _person(demo, "A", "Rostock", "Dana", datetime.date(2024, 2, 1))
    return {"amal": amal, "berin": berin, "chadi": chadi, "dana": dana}


def _choice(demo: DemoNetwork, output_format: str = "xml", **overrides: Any) -> dict[str, Any]:
    return {
        "format": output_format,
        "project": _project(demo).pk,
        "start": "2025-01-01",
        "end": "2025-12-31",
        "scope": f"network-{demo.network.pk}",
        **overrides,
    }


def _made(client: Client, demo: DemoNetwork, capture: Any, output_format: str = "xml") -> tuple[Job, bytes]:
    with capture(execute=True):
        response = client.post(reverse(URL), _choice(demo, output_format))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:exports")
    assert run_queued_jobs() == 1
    job = Job.objects.get(kind=FUNDER_FILE_KIND, params__format=output_format)
    assert job.state == JobState.DONE, job.error_message
    download: Any = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def _pseudonym(demo: DemoNetwork, person: Participant) -> str:
    return participant_pseudonym(project_id=_project(demo).pk, participant_id=person.pk)


def test_the_xml_file_validates_and_holds_only_visible_people_of_the_period(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    people: dict[str, Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    job, content = _made(login("team_lead"), demo, django_capture_on_commit_callbacks)
    assert job.result_filename == f"teilnehmende_projekt-{_project(demo).pk}_2025-01-01_2025-12-31.xml"
    schema = xmlschema.XMLSchema(str(formats.SCHEMA_PATH))
    schema.validate(io.BytesIO(content))
    text = content.decode()
    assert _pseudonym(demo, people["amal"]) in text
    assert _pseudonym(demo, people["berin"]) in text  # left in the period
    assert _pseudonym(demo, people["chadi"]) not in text  # another partner: not visible
    assert _pseudonym(demo, people["dana"]) not in text  # neither entry nor exit in the period
    # No name, address or other identifying text of anybody.
    for person in Participant.objects.all():
        for name in (person.given_names, person.family_name):
            if len(name) > 3:
                assert name not in text, name
    assert "Rostock" not in text
    # Each participant in the file is recorded as read by the team lead; nobody else is.
    read = read_ids(object_type_of(people["amal"]), actor=demo.users["team_lead"])
    assert {str(people["amal"].pk), str(people["berin"].pk)} <= read
    assert str(people["chadi"].pk) not in read and str(people["dana"].pk) not in read

    tree: Any = schema.to_dict(io.BytesIO(content))
    amal = next(p for p in tree["teilnehmer"] if p["pseudonym"] == _pseudonym(demo, people["amal"]))
    assert amal["geschlecht"] == "W"
    assert amal["geburtsmonat"] == 5
    assert amal["erwerbsstatus"] == "ALO"
    assert amal["langzeitarbeitslos"] is True  # registered since January 2023: > 12 months
    assert amal["behinderung"] == "V"
    assert amal["drittstaatsangehoerig"] is True
    results = amal["austritt"]["ergebnisse"]
    assert results["EECR04"] is True and results["EECR01"] is False
    assert results["EECR03"] is True and results["EECR05"] is True
    assert len(amal["austritt"]["situationen"]["situation"]) == 2


def test_the_csv_variant_has_the_same_columns_one_row_per_person(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    people: dict[str, Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    job, content = _made(login("team_lead"), demo, django_capture_on_commit_callbacks, "csv")
    assert job.result_filename.endswith(".csv")
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == formats.CSV_COLUMNS
    assert len(lines) == 3
    amal = next(line for line in lines if _pseudonym(demo, people["amal"]) in line)
    assert ";ALO;3;1;SY;1;J;V;N;N;0;2025-06-30;early_job;" in amal


def test_pseudonyms_are_stable_per_project_and_differ_between_projects(
    demo: DemoNetwork, settings: Any
) -> None:
    first = participant_pseudonym(project_id=1, participant_id=42)
    assert first == participant_pseudonym(project_id=1, participant_id=42)
    assert len(first) == 40
    assert first != participant_pseudonym(project_id=2, participant_id=42)
    assert first != participant_pseudonym(project_id=1, participant_id=43)
    settings.REPORTING_PSEUDONYM_KEY = "another key"
    assert first != participant_pseudonym(project_id=1, participant_id=42)
    settings.REPORTING_PSEUDONYM_KEY = ""  # derived from SECRET_KEY, still stable
    derived = participant_pseudonym(project_id=1, participant_id=42)
    assert derived == participant_pseudonym(project_id=1, participant_id=42)
    assert "42" not in derived[:2]


def test_who_may_make_the_file(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    people: dict[str, Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert login("team_lead").get(reverse(URL)).status_code == 200
    for persona in ("coordinator", "cm_a", "cm_b", "dpo", "user_c"):
        client = login(persona)
        assert client.get(reverse(URL)).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse(URL), _choice(demo)).status_code == 404
    forged = login("team_lead").post(reverse(URL), _choice(demo, scope=f"network-{demo.second_network.pk}"))
    assert forged.status_code == 404
    assert not Job.objects.exists()


def test_bad_input_is_shown_next_to_the_field(
    login: Callable[[str], Client], demo: DemoNetwork, people: dict[str, Participant]
) -> None:
    response = login("team_lead").post(reverse(URL), _choice(demo, "exe", end="2024-12-31"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Das Ende des Zeitraums darf nicht vor seinem Beginn liegen." in html
    assert "Bitte eine gültige Auswahl treffen" in html
    assert not Job.objects.exists()


def test_records_cover_only_what_the_user_sees(demo: DemoNetwork, people: dict[str, Participant]) -> None:
    def ids(persona: str) -> set[int]:
        user = demo.users[persona]
        scope = resolve_scope(demo.users["team_lead"], f"network-{demo.network.pk}")
        queryset = funder_participants(
            user, _project(demo), scope, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
        )
        return set(queryset.values_list("pk", flat=True))

    assert {people["amal"].pk, people["berin"].pk} <= ids("team_lead")
    assert people["chadi"].pk not in ids("team_lead")
    assert people["chadi"].pk in ids("cm_b") and people["amal"].pk not in ids("cm_b")
    assert ids("coordinator") == set()


def test_queries_per_chunk_do_not_grow_with_the_chunk(demo: DemoNetwork) -> None:
    project = _project(demo)
    for index in range(6):
        person = _person(demo, "A", "Rostock", f"Person{index}", datetime.date(2025, 2, 1))
        _entry(person)
        _exit(demo, person, datetime.date(2025, 5, 1), ["employed"])
    scope = resolve_scope(demo.users["team_lead"], f"network-{demo.network.pk}")
    queryset = funder_participants(
        demo.users["team_lead"], project, scope, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    )
    assert queryset.count() == 6

    def queries(chunk_size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            chunks = list(funder_records(queryset, project.pk, chunk_size=chunk_size))
        return len(captured), len(chunks)

    one_chunk, count = queries(6)
    assert count == 1
    three_chunks, count = queries(2)
    assert count == 3
    # the participants' query and the project's cross-partner links run once, the rest per chunk
    per_chunk = one_chunk - 2
    assert three_chunks == 2 + 3 * per_chunk
    assert per_chunk <= 5


def test_an_invalid_file_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(
        f'<teilnehmende xmlns="{formats.NAMESPACE}" version="1.0" projekt="1" von="2025-01-01" '
        'bis="2025-12-31" erstellt="2025-01-01T00:00:00"><teilnehmer><pseudonym>Anna</pseudonym>'
        "</teilnehmer></teilnehmende>",
        encoding="utf-8",
    )
    assert formats.validation_errors(path)


def test_the_deploy_check_warns_without_a_pseudonym_key(settings: Any) -> None:
    from bruecke.reporting.checks import check_pseudonym_key

    settings.REPORTING_PSEUDONYM_KEY = ""
    assert [message.id for message in check_pseudonym_key()] == ["bruecke.W050"]
    settings.REPORTING_PSEUDONYM_KEY = "a-long-random-key"
    assert check_pseudonym_key() == []


def test_long_term_unemployment_in_the_file_follows_the_projects_rule(demo: DemoNetwork) -> None:
    """Registered 7 months before entry at 24: long-term only under the EU variant; the file
    uses the report's own rule, so EECO03 and the file agree."""
    project = _project(demo)
    young = _person(demo, "A", "Rostock", "Yara", datetime.date(2025, 2, 1))
    Participant.objects.filter(pk=young.pk).update(birth_year=2000, birth_month=6)
    _entry(young, registered_unemployed_since=datetime.date(2024, 7, 1))
    older = _person(demo, "A", "Rostock", "Olga", datetime.date(2025, 2, 1))
    _entry(older, registered_unemployed_since=datetime.date(2023, 12, 1))
    unknown = _person(demo, "A", "Rostock", "Uma", datetime.date(2025, 2, 1))
    _entry(unknown, lm_status_entry="")
    scope = resolve_scope(demo.users["team_lead"], f"network-{demo.network.pk}")

    def flags(rule: str) -> dict[str, bool | None]:
        Project.objects.filter(pk=project.pk).update(ltu_rule=rule)
        project.refresh_from_db()
        queryset = funder_participants(
            demo.users["team_lead"], project, scope, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
        )
        wanted = {young.pk: "young", older.pk: "older", unknown.pk: "unknown"}
        by_pseudonym = {_pseudonym(demo, p): wanted[p.pk] for p in (young, older, unknown)}
        records = [r for chunk in funder_records(queryset, project.pk) for r in chunk]
        return {
            by_pseudonym[r.pseudonym]: r.long_term_unemployed for r in records if r.pseudonym in by_pseudonym
        }

    assert flags(LtuRule.DE_12_MONTHS) == {"young": False, "older": True, "unknown": None}
    assert flags(LtuRule.EU_AGE_DEPENDENT) == {"young": True, "older": True, "unknown": None}
