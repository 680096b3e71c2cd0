"""Names in their own script beside the Latin spelling of German documents (decision 0026)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.models import NameKey, Participant
from tests.access_expectations import mohammed
from tests.test_participants import _intake, _post_intake, _search

_ARABIC = {"given_names_own_script": "فاطمة", "family_name_own_script": "الزهراء"}


def _counts() -> tuple[int, int]:
    return Participant.objects.count(), AuditEvent.objects.count()


def _value(response: Any, field: str) -> Any:
    return response.context["form"][field].value()


def test_latin_spelling_is_suggested_and_saved_only_once_confirmed(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    before = _counts()
    data = _intake(demo, given_names="", family_name="", other_spellings="", **_ARABIC)
    suggested = _post_intake(client, data)
    # Nothing is saved; the suggestion stands in the fields, with a note next to each.
    assert suggested.status_code == 400
    assert _counts() == before
    assert (_value(suggested, "given_names"), _value(suggested, "family_name")) == ("Fatima", "Al-Zahra")
    page = suggested.content.decode()
    assert 'id="id_given_names-errors"' in page and 'id="id_family_name-errors"' in page
    # The counsellor corrects the family name to the document's spelling and saves.
    confirmed = _post_intake(client, {**data, "given_names": "Fatima", "family_name": "Al-Zahraa"})
    assert confirmed.status_code == 302, confirmed.context["form"].errors
    person = Participant.objects.get(family_name="Al-Zahraa")
    assert (person.given_names_own_script, person.family_name_own_script) == ("فاطمة", "الزهراء")
    assert person.latin_spelling_confirmed
    detail = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert re.search(r"<h1[^>]*>\s*Fatima Al-Zahraa\s*</h1>", detail) and "فاطمة الزهراء" in detail
    assert "ftmh" not in detail


def test_a_name_typed_into_the_latin_field_moves_to_its_own_script(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    before = _counts()
    response = _post_intake(login("cm_a"), _intake(demo, given_names="محمد", family_name="Ли"))
    assert response.status_code == 400
    assert _counts() == before
    assert _value(response, "given_names_own_script") == "محمد"
    assert _value(response, "given_names") == "Muhammad"
    assert _value(response, "family_name_own_script") == "Ли"
    assert _value(response, "family_name") == "Li"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_names": "محمد", "given_names_own_script": "محمد"}, "given_names"),
        ({"family_name_own_script": "Darwish"}, "family_name_own_script"),
        ({"given_names": ""}, "given_names"),
        ({"given_names_own_script": "فاطمة 😀"}, "given_names_own_script"),
    ],
)
def test_names_in_the_wrong_field_are_refused_next_to_it(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, str], field: str
) -> None:
    before = _counts()
    response = _post_intake(login("cm_a"), _intake(demo, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize(
    ("who", "query", "expected"),
    [
        # Arabic script finds the Latin spelling of the demo's Mohammed Al-Hassan.
        ("cm_a", "محمد", "Mohammed Al-Hassan"),
        ("cm_a", "محمد الحسن", "Mohammed Al-Hassan"),
        ("cm_a", "مُحَمَّد", "Mohammed Al-Hassan"),
        # Persian script; Zahra Ahmadi (partner C) is also found in Latin.
        ("user_c", "زهرا احمدی", "Zahra Ahmadi"),
        ("user_c", "Sahra Achmadi", "Zahra Ahmadi"),
        # Ukrainian Cyrillic and back.
        ("cm_a", "Олена", "Olena Schewtschenko"),
        ("cm_a", "Шевченко", "Olena Schewtschenko"),
    ],
)
def test_search_crosses_scripts(
    login: Callable[[str], Client], demo: DemoNetwork, who: str, query: str, expected: str
) -> None:
    assert expected in _search(login(who), query)


def test_latin_search_finds_names_recorded_in_their_own_script(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    for own, latin in [
        (("فاطمة", "الزهراء"), ("Fatima", "Al-Zahraa")),  # Arabic
        (("مریم", "حسینی"), ("Mariam", "Husseini")),  # Persian / Dari
        (("Ольга", "Иванова"), ("Olga", "Ivanova")),  # Russian
        (("Юлія", "Коваленко"), ("Yuliia", "Kovalenko")),  # Ukrainian
    ]:
        data = {"given_names_own_script": own[0], "family_name_own_script": own[1]}
        response = _post_intake(
            client,
            _intake(demo, **data, given_names=latin[0], family_name=latin[1], other_spellings=""),
        )
        assert response.status_code == 302, response.context["form"].errors
    assert "Fatima Al-Zahraa" in _search(client, "Fatemeh Zahra")
    assert "Fatima Al-Zahraa" in _search(client, "فاطمه")
    assert "Mariam Husseini" in _search(client, "Maryam Hosseini")
    assert "Olga Ivanova" in _search(client, "Ольга Иванова")
    assert "Yuliia Kovalenko" in _search(client, "Юлія")
    # Latin with diacritics, as before.
    response = _post_intake(
        client, _intake(demo, given_names="Ayşe", family_name="Şahin", other_spellings="")
    )
    assert response.status_code == 302, response.context["form"].errors
    assert "Ayşe Şahin" in _search(client, "Ayshe Shahin")


def test_machine_suggestion_is_marked_until_a_person_saves_it(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = mohammed(demo)
    Participant.objects.filter(pk=person.pk).update(latin_spelling_confirmed=False)
    client = login("cm_a")
    url = reverse("participants:detail", args=[person.pk])
    assert 'id="latin-unconfirmed"' in client.get(url).content.decode()
    form = client.get(reverse("participants:edit", args=[person.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        nationality="SY",
        country_of_birth="SY",
        entry_date=person.entry_date.strftime("%d.%m.%Y"),
        messenger="",
        birth_date="07.03.1994",
    )
    response = client.post(reverse("participants:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.latin_spelling_confirmed
    assert 'id="latin-unconfirmed"' not in client.get(url).content.decode()


def test_demo_participant_has_a_name_in_arabic_script(demo: DemoNetwork) -> None:
    person = mohammed(demo)
    assert person.own_script_name == "محمد الحسن"
    assert person.full_name == "Mohammed Al-Hassan"


def test_data_migration_moves_names_in_another_script(demo: DemoNetwork) -> None:
    # A row as stored before: the Arabic name in the Latin field, keys letter by letter.
    legacy = Participant.objects.create(
        organisation=demo.partners["A"],
        given_names="فاطمة",
        family_name="الزهراء",
        latin_name="ftmh lzhr'",
        birth_year=1990,
        gender="female",
    )
    latin = Participant.objects.create(
        organisation=demo.partners["A"],
        given_names="Jürgen",
        family_name="Groß",
        birth_year=1970,
        gender="male",
    )
    NameKey.objects.create(participant=legacy, key="ftmh")
    migration = importlib.import_module("bruecke.participants.migrations.0005_move_names_in_own_script")
    migration.forwards(apps, None)
    legacy.refresh_from_db()
    assert (legacy.given_names_own_script, legacy.family_name_own_script) == ("فاطمة", "الزهراء")
    assert (legacy.given_names, legacy.family_name) == ("Fatima", "Al-Zahra")
    assert not legacy.latin_spelling_confirmed
    migrated = set(NameKey.objects.filter(participant=legacy).values_list("key", flat=True))
    assert {"fateme", "sahre"} <= migrated and "ftmh" in migrated
    services.rebuild_name_keys(legacy)  # the migration builds the same keys as the service
    assert set(NameKey.objects.filter(participant=legacy).values_list("key", flat=True)) == migrated
    latin.refresh_from_db()
    assert (latin.given_names, latin.given_names_own_script, latin.latin_spelling_confirmed) == (
        "Jürgen",
        "",
        True,
    )
    assert NameKey.objects.filter(participant=latin).exists()
