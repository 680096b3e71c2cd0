"""ESF entry questionnaire: completeness, refusals, validation, variants, derived values,
encryption, audit, scope and the incomplete list (esf-indicators.md §5, §8.7, §11)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from bruecke.core.models import AuditAction, AuditEvent
from bruecke.esf import selectors, services
from bruecke.esf.models import (
    Answer,
    EntryRecord,
    LabourMarketStatus,
    is_complete,
    missing_fields,
    missing_values,
    third_country_national,
)
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import EsfVariant, Project
from tests.conftest import QueryCounter
from tests.expectations_esf import _mohammed

TODAY = datetime.date.today()


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "lm_status_entry": "inactive",
        "registered_unemployed_since": "",
        "isced_level": "3",
        "school_qualification_de": "hochschulreife",
        "vocational_qualification_de": "none",
        "disability": "",
        "disability_details": "",
        "minority": "",
        "foreign_background": "yes",
        "homeless_or_housing_exclusion": "no",
        "sensitive_asked_on": "",
        "rural_area": "unknown",
    }
    return {**data, **overrides}


def _url(participant: Participant) -> str:
    return reverse("esf:entry", args=[participant.pk])


def _post(client: Client, participant: Participant, **overrides: Any) -> Any:
    """Posts as the page does: with the version it was loaded with (0 before the first save)."""
    record = EntryRecord.objects.filter(participant=participant).first()
    return client.post(_url(participant), _form(version=record.version if record else 0, **overrides))


def _record(participant: Participant) -> EntryRecord | None:
    return EntryRecord.objects.filter(participant=participant).first()


def _errors_of(response: Any, field: str) -> str:
    """The error list rendered next to `field` (empty if there is none)."""
    html = response.content.decode()
    marker = f'id="id_{field}-errors"'
    if marker not in html:
        return ""
    start = html.index(marker)
    return html[start : html.index("</ul>", start)]


def _new_participant(demo: DemoNetwork, **fields: Any) -> Participant:
    values: dict[str, Any] = {
        "organisation": demo.partners["A"],
        "team": demo.teams["Rostock"],
        "given_names": "Test",
        "family_name": "Person",
        "latin_name": "Test Person",
        "birth_year": 1990,
        "gender": Gender.FEMALE,
        "nationality": "SY",
        "entry_date": TODAY - datetime.timedelta(days=10),
    }
    return Participant.objects.create(**{**values, **fields})


def _save(demo: DemoNetwork, participant: Participant, **data: Any) -> EntryRecord:
    return services.entry_record_save(actor=demo.users["cm_a"], participant=participant, data=data)


# --- completeness (§11.2) ---


def test_without_a_record_status_and_education_are_missing(demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    assert missing_fields(person, None) == ["lm_status_entry", "isced_level"]
    assert not is_complete(person, None)


def test_isced_0_counts_as_recorded_and_completes_the_record(demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    record = _save(demo, person, lm_status_entry=LabourMarketStatus.INACTIVE, isced_level=0)
    assert missing_fields(person, record) == []
    assert is_complete(person, record)


def test_gender_not_stated_and_missing_birth_year_are_incomplete(demo: DemoNetwork) -> None:
    person = Participant(gender=Gender.NOT_STATED, birth_year=1990, entry_date=TODAY)
    record = EntryRecord(participant=person, lm_status_entry="employed", isced_level=6)
    assert missing_fields(person, record) == ["gender"]
    missing = missing_values(gender="", birth_year=None, lm_status="employed", isced=6)
    assert missing == ["gender", "birth_year"]


def test_unanswered_sensitive_items_and_unknown_nationality_keep_the_record_complete(
    demo: DemoNetwork,
) -> None:
    person = _new_participant(demo, nationality="")
    record = _save(demo, person, lm_status_entry="inactive", isced_level=2, disability="", rural_area=None)
    assert is_complete(person, record)
    assert record.third_country_national is None


# --- refusals (§11.10) ---


def test_refusal_is_recorded_with_the_date_the_question_was_asked(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = _mohammed(demo)
    asked = TODAY - datetime.timedelta(days=3)
    response = _post(
        login("cm_a"), person, disability="refused", minority="refused", sensitive_asked_on=_d(asked)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[person.pk])
    record = _record(person)
    assert record is not None
    assert (record.disability, record.minority, record.sensitive_asked_on) == (
        Answer.REFUSED,
        Answer.REFUSED,
        asked,
    )
    assert is_complete(person, record)


def test_refusal_without_a_date_is_an_error_next_to_the_date(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = _mohammed(demo)
    response = _post(login("cm_a"), person, homeless_or_housing_exclusion="refused")
    assert response.status_code == 400
    assert _errors_of(response, "sensitive_asked_on")
    assert 'aria-invalid="true"' in response.content.decode()
    assert _record(person) is None


def test_date_of_asking_cannot_be_in_the_future(demo: DemoNetwork) -> None:
    with pytest.raises(ValidationError) as error:
        _save(
            demo, _mohammed(demo), minority="refused", sensitive_asked_on=TODAY + datetime.timedelta(days=1)
        )
    assert "sensitive_asked_on" in error.value.message_dict


def test_details_only_with_a_disability(demo: DemoNetwork) -> None:
    with pytest.raises(ValidationError) as error:
        _save(demo, _mohammed(demo), disability="no", disability_details="Rollstuhl")
    assert "disability_details" in error.value.message_dict


# --- labour-market status (§8.7, §11.3) ---


def test_unemployed_without_registration_date_is_accepted(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """§11.15: accepted (not long-term unemployed); the indicator report flags it."""
    person = _mohammed(demo)
    response = _post(login("cm_a"), person, lm_status_entry="unemployed")
    assert response.status_code == 302
    record = _record(person)
    assert record is not None
    assert (record.lm_status_entry, record.registered_unemployed_since) == ("unemployed", None)


@pytest.mark.parametrize("days_after_entry", [1, 400])
def test_registration_after_entry_or_in_the_future_is_refused(
    days_after_entry: int, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = _mohammed(demo)
    since = person.entry_date + datetime.timedelta(days=days_after_entry)
    response = _post(
        login("cm_a"), person, lm_status_entry="unemployed", registered_unemployed_since=_d(since)
    )
    assert response.status_code == 400
    assert _errors_of(response, "registered_unemployed_since")
    assert _record(person) is None


@pytest.mark.parametrize("days_before_entry", [0, 500])
def test_registration_on_or_before_entry_is_saved(
    days_before_entry: int, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = _mohammed(demo)
    since = person.entry_date - datetime.timedelta(days=days_before_entry)
    response = _post(
        login("cm_a"), person, lm_status_entry="unemployed", registered_unemployed_since=_d(since)
    )
    assert response.status_code == 302
    record = _record(person)
    assert record is not None
    assert (record.lm_status_entry, record.registered_unemployed_since) == ("unemployed", since)


def test_registration_date_only_for_the_unemployed(demo: DemoNetwork) -> None:
    with pytest.raises(ValidationError) as error:
        _save(demo, _mohammed(demo), lm_status_entry="inactive", registered_unemployed_since=TODAY)
    assert "registered_unemployed_since" in error.value.message_dict


def test_the_german_definitions_are_shown_as_help(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    html = login("cm_a").get(_url(_mohammed(demo))).content.decode()
    assert 'aria-describedby="id_lm_status_entry-help"' in html
    assert "Integrationskurs" in html  # German translation of the §11.3 definition


# --- age at entry (§11.5) ---


@pytest.mark.parametrize(
    ("month", "day", "entry", "age"),
    [
        (None, None, datetime.date(2017, 12, 31), 17),  # year only: counted from 1 January
        (None, None, datetime.date(2018, 1, 1), 18),
        (6, None, datetime.date(2018, 5, 31), 17),  # year and month: counted from the 1st
        (6, None, datetime.date(2018, 6, 1), 18),
        (2, 29, datetime.date(2019, 2, 28), 18),  # 29 February counts from 1 March
        (2, 29, datetime.date(2019, 3, 1), 19),
    ],
)
def test_age_at_entry_for_partial_birth_dates(
    month: int | None, day: int | None, entry: datetime.date, age: int
) -> None:
    person = Participant(birth_year=2000, birth_month=month, birth_day=day, entry_date=entry)
    assert EntryRecord(participant=person).age_at_entry == age


def test_age_at_entry_is_never_stored() -> None:
    assert "age_at_entry" not in {f.name for f in EntryRecord._meta.get_fields()}


# --- variants ---


def _project(demo: DemoNetwork, variant: str) -> Project:
    return Project.objects.create(
        network=demo.network, name=f"Test {variant}", esf_variant=variant, starts_on=datetime.date(2020, 1, 1)
    )


def test_esf_2014_variant_asks_about_the_household(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    person = _new_participant(demo, project=_project(demo, EsfVariant.ESF_2014))
    html = login("cm_a").get(_url(person)).content.decode()
    assert 'name="household_jobless"' in html
    assert 'name="in_education_training"' in html
    response = _post(
        login("cm_a"),
        person,
        household_jobless="true",
        household_single_adult="false",
        household_dependent_children="unknown",
        in_education_training="false",
    )
    assert response.status_code == 302
    record = _record(person)
    assert record is not None
    assert (record.household_jobless, record.household_single_adult, record.household_dependent_children) == (
        True,
        False,
        None,
    )


@pytest.mark.parametrize("with_project", [True, False])
def test_esf_plus_hides_the_household(
    with_project: bool, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    project = _project(demo, EsfVariant.ESF_PLUS) if with_project else None
    person = _new_participant(demo, project=project)
    assert selectors.variant_of(person) == EsfVariant.ESF_PLUS
    html = login("cm_a").get(_url(person)).content.decode()
    assert 'name="household_jobless"' not in html
    assert 'name="in_education_training"' not in html
    # Household values sent anyway are ignored.
    assert _post(login("cm_a"), person, household_jobless="true").status_code == 302
    record = _record(person)
    assert record is not None
    assert record.household_jobless is None


# --- third-country nationals (§11.11) ---


@pytest.mark.parametrize(
    ("code", "expected"),
    [("DE", False), ("PL", False), ("GR", False), ("SY", True), ("UA", True), ("XX", True), ("XU", True)],
)
def test_third_country_national_is_derived_from_nationality(
    code: str, expected: bool, demo: DemoNetwork
) -> None:
    assert third_country_national(code) is expected
    person = _new_participant(demo, nationality=code)
    assert EntryRecord(participant=person).third_country_national is expected


def test_no_nationality_is_unknown_not_third_country() -> None:
    assert third_country_national("") is None


# --- encryption, audit ---


def test_disability_details_are_encrypted_at_rest(demo: DemoNetwork) -> None:
    record = _save(
        demo, _mohammed(demo), disability="yes", disability_details="Hörbehinderung", sensitive_asked_on=TODAY
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT disability_details FROM esf_entryrecord WHERE id = %s", [record.pk])
        raw = str(cursor.fetchone()[0])
    assert raw.startswith("v2:")
    assert "Hörbehinderung" not in raw
    assert EntryRecord.objects.get(pk=record.pk).disability_details == "Hörbehinderung"


def test_writes_are_audited_with_field_names_only(demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    record = _save(demo, person, lm_status_entry="inactive", disability="yes", disability_details="Rollstuhl")
    _save(demo, person, lm_status_entry="employed", disability="yes", disability_details="Rollstuhl")
    events = list(
        AuditEvent.objects.filter(object_type="esf.entryrecord", object_id=str(record.pk)).order_by("id")
    )
    assert [e.action for e in events] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert {"lm_status_entry", "disability", "disability_details"} <= set(events[0].changed_fields)
    assert events[1].changed_fields == ["lm_status_entry"]
    assert events[0].organisation == person.organisation
    for event in events:
        assert "Rollstuhl" not in str(event.changed_fields)
        assert "inactive" not in str(event.changed_fields)


def test_saving_unchanged_data_writes_no_update_event(demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    record = _save(demo, person, lm_status_entry="inactive")
    _save(demo, person, lm_status_entry="inactive")
    assert not AuditEvent.objects.filter(
        object_type="esf.entryrecord", object_id=str(record.pk), action=AuditAction.UPDATE
    ).exists()


def test_opening_the_form_is_recorded_as_a_read(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    login("cm_a").get(_url(person))
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="participants.participant", object_id=str(person.pk)
    ).exists()
    record = _save(demo, person, lm_status_entry="inactive")
    login("cm_a").get(_url(person))
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="esf.entryrecord", object_id=str(record.pk)
    ).exists()


def test_service_takes_only_questionnaire_fields(demo: DemoNetwork) -> None:
    with pytest.raises(TypeError):
        _save(demo, _mohammed(demo), organisation=demo.partners["B"])


def test_record_belongs_to_the_participants_organisation(demo: DemoNetwork) -> None:
    person = _new_participant(demo, organisation=demo.partners["B"], team=demo.teams["Greifswald"])
    assert _save(demo, person, isced_level=4).organisation == demo.partners["B"]


# --- bad input (security checklist §7) ---


def test_isced_9_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    response = _post(login("cm_a"), person, isced_level="9")
    assert response.status_code == 400
    assert _errors_of(response, "isced_level")
    assert _record(person) is None
    with pytest.raises(ValidationError) as error:
        _save(demo, person, isced_level=9)
    assert "isced_level" in error.value.message_dict


@pytest.mark.parametrize("value", ["abc", "-1", "3.5", ""])
def test_other_bad_choices_are_refused_or_empty(
    value: str, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = _mohammed(demo)
    response = _post(login("cm_a"), person, isced_level=value, lm_status_entry="retired")
    assert response.status_code == 400
    assert _errors_of(response, "lm_status_entry")
    assert _record(person) is None


def test_html_in_text_is_shown_escaped(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    payload = "<script>alert(1)</script><b>Sehbehinderung</b>"
    response = _post(login("cm_a"), person, disability="yes", disability_details=payload)
    assert response.status_code == 302
    html = login("cm_a").get(_url(person)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("text", ["Seh\x00behinderung", "Seh\x1bbehinderung", "Seh\u009bbehinderung"])
def test_control_characters_are_refused(text: str, login: Callable[[str], Client], demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    response = _post(login("cm_a"), person, disability="yes", disability_details=text)
    assert response.status_code == 400
    assert _errors_of(response, "disability_details")
    assert _record(person) is None


def test_line_breaks_are_allowed_in_the_details(demo: DemoNetwork, login: Callable[[str], Client]) -> None:
    person = _mohammed(demo)
    assert _post(login("cm_a"), person, disability="yes", disability_details="a\r\nb").status_code == 302


# --- scope ---


@pytest.mark.parametrize("key", ["cm_b", "user_c", "po_a", "coordinator", "ruppin.admin"])
def test_outside_the_edit_scope_the_form_is_404_and_nothing_is_saved(
    key: str, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = _mohammed(demo)
    client = login(key)
    assert client.get(_url(person)).status_code == 404
    response = _post(client, person)
    assert response.status_code == 404
    assert b"Al-Hassan" not in response.content
    assert _record(person) is None


def test_incomplete_list_shows_only_the_own_scope(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    html = login("cm_b").get(reverse("esf:incomplete")).content.decode()
    assert "Alhasan" in html  # partner B's participant
    assert "Al-Hassan" not in html  # partner A's
    assert reverse("esf:entry", args=[_mohammed(demo).pk]) not in html


def test_read_only_staff_see_the_list_without_form_links(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    html = login("po_a").get(reverse("esf:incomplete")).content.decode()
    assert "Al-Hassan" in html
    assert reverse("esf:entry", args=[_mohammed(demo).pk]) not in html
    html = login("cm_a").get(reverse("esf:incomplete")).content.decode()
    assert reverse("esf:entry", args=[_mohammed(demo).pk]) in html


# --- incomplete list ---


def test_incomplete_list_names_the_missing_items(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    complete = _new_participant(demo, family_name="Vollständig", latin_name="Test Vollstandig")
    _save(demo, complete, lm_status_entry="employed", isced_level=7)
    partial = _new_participant(demo, family_name="Teilweise", latin_name="Test Teilweise")
    _save(demo, partial, lm_status_entry="inactive")
    unknown_gender = _new_participant(
        demo, family_name="Ohnegeschlecht", latin_name="Test Ohnegeschlecht", gender=Gender.NOT_STATED
    )
    _save(demo, unknown_gender, lm_status_entry="inactive", isced_level=1)
    rows = {p.pk: selectors.row_missing(p) for p in selectors.incomplete_entries(demo.users["cm_a"])}
    assert complete.pk not in rows
    assert rows[partial.pk] == ["isced_level"]
    assert rows[unknown_gender.pk] == ["gender"]
    assert rows[_mohammed(demo).pk] == ["lm_status_entry", "isced_level"]
    html = login("cm_a").get(reverse("esf:incomplete")).content.decode()
    assert "Teilweise" in html
    assert "Vollständig" not in html


def _list_queries(client: Client, count_queries: Callable[[], QueryCounter]) -> int:
    with count_queries() as counter:
        response = client.get(reverse("esf:incomplete"))
    assert response.status_code == 200
    return counter.count


def test_incomplete_list_query_count_is_constant(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[[], QueryCounter]
) -> None:
    client = login("cm_a")
    _list_queries(client, count_queries)  # warm up session and caches
    before = _list_queries(client, count_queries)
    for index in range(15):
        person = _new_participant(demo, family_name=f"Person{index}", latin_name=f"Test Person{index}")
        if index % 2:
            _save(demo, person, lm_status_entry="inactive", disability="yes", disability_details="x")
    assert _list_queries(client, count_queries) == before


def test_incomplete_list_paginates(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    for index in range(55):
        _new_participant(demo, family_name=f"Seite{index:02d}", latin_name=f"Test Seite{index:02d}")
    client = login("cm_a")
    first = client.get(reverse("esf:incomplete")).content.decode()
    assert 'rel="next"' in first
    second = client.get(reverse("esf:incomplete") + "?page=2")
    assert second.status_code == 200
    assert 'rel="prev"' in second.content.decode()


# --- panel for the participant page ---


def test_entry_panel_reports_missing_items_and_links_to_the_form(demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    panel = selectors.entry_panel(person)
    assert panel["exists"] is False
    assert panel["complete"] is False
    assert panel["missing"] == ["lm_status_entry", "isced_level"]
    assert panel["url"] == _url(person)
    assert panel["variant"] == EsfVariant.ESF_PLUS
    html = render_to_string("esf/entry_panel.html", {"esf_entry": panel, "can_edit": True})
    assert '<section aria-labelledby="esf-heading"' in html
    assert 'id="esf-heading"' in html
    assert _url(person) in html
    assert str(panel["missing_labels"][0]) in html
    readonly = render_to_string("esf/entry_panel.html", {"esf_entry": panel, "can_edit": False})
    assert _url(person) not in readonly


def test_entry_panel_when_complete(demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    _save(
        demo,
        person,
        lm_status_entry="unemployed",
        registered_unemployed_since=person.entry_date,
        isced_level=2,
    )
    panel = selectors.entry_panel(person)
    assert (panel["exists"], panel["complete"], panel["missing"]) == (True, True, [])
    assert panel["age_at_entry"] == person.age_at_entry
