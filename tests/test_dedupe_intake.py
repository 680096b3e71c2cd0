"""The intake warning: candidates by blocking keys, scored with the network's model.

Most tests use a model stored for the demo network (fixed parameters and term
frequencies written below), so that they test the intake and not the tuning of the
built-in defaults; one test uses the defaults with a duplicate that agrees on everything.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bruecke.dedupe import intake
from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.models import BlockingKey, ModelParameters, TermFrequency
from bruecke.dedupe.records import record_from_row, record_of
from bruecke.network.demo import DemoNetwork
from bruecke.participants import names, services
from bruecke.participants.models import Participant
from bruecke.projects.models import Project
from tests.access_expectations import mohammed

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()

# m and u per level (the shape of `scoring.Parameters.to_json`); threshold 10 ≈ 99.9 %.
LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    "given_name": {
        "same": (0.80, 0.01),
        "swapped": (0.05, 0.0005),
        "similar": (0.06, 0.002),
        "shared_part": (0.04, 0.01),
        "close": (0.03, 0.05),
        "else": (0.02, 0.93),
    },
    "family_name": {
        "same": (0.80, 0.005),
        "swapped": (0.05, 0.0005),
        "similar": (0.06, 0.002),
        "shared_part": (0.04, 0.005),
        "close": (0.03, 0.04),
        "else": (0.02, 0.95),
    },
    "birth_date": {
        "same": (0.70, 0.0002),
        "same_month": (0.05, 0.003),
        "year_partial": (0.15, 0.01),
        "year": (0.04, 0.03),
        "near": (0.03, 0.06),
        "else": (0.03, 0.90),
    },
    "sex": {"same": (0.97, 0.5), "else": (0.03, 0.5)},
    "country_of_birth": {"same": (0.92, 0.2), "else": (0.08, 0.8)},
    "nationality": {"same": (0.92, 0.25), "else": (0.08, 0.75)},
    "place": {"same_postcode": (0.6, 0.05), "same_town": (0.15, 0.1), "else": (0.25, 0.85)},
}
THRESHOLD = 10.0
# Share of registrations with a name: common names are weaker evidence, rare ones stronger.
FREQUENCIES = {
    "given_key": {"Mohammed": 0.05, "Olena": 0.001, "Amina": 0.01, "Yonas": 0.002, "Aziz": 0.003},
    "family_key": {"Al-Hassan": 0.02, "Schewtschenko": 0.0005, "Rahimi": 0.002, "Karimi": 0.01},
}


def _key(name: str) -> str:
    return " ".join(sorted(set(names.token_keys(name))))


@pytest.fixture
def model(demo: DemoNetwork) -> ModelParameters:
    parameters = {
        "prior": 1e-4,
        "threshold_weight": THRESHOLD,
        "levels": {c: {lv: {"m": m, "u": u} for lv, (m, u) in ls.items()} for c, ls in LEVELS.items()},
    }
    row = ModelParameters.objects.create(
        network=demo.network, parameters=parameters, threshold_weight=THRESHOLD, trained_on_records=1000
    )
    TermFrequency.objects.bulk_create(
        TermFrequency(parameters=row, column=column, value=_key(name), proportion=share)
        for column, shares in FREQUENCIES.items()
        for name, share in shares.items()
    )
    return row


def _register(demo: DemoNetwork, given: str, family: str, born: str, **fields: Any) -> Participant:
    """A registration of partner A, team Rostock (cm_a's), through the service."""
    year, month, day = ([int(p) for p in born.split("-")] + [None, None])[:3]
    assert year is not None
    participant = Participant(
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
        project=Project.objects.get(network=demo.network, name="NAF MV plus"),
        given_names=given,
        family_name=family,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        entry_date=TODAY,
        **fields,
    )
    return services.participant_create(actor=demo.users["cm_a"], participant=participant)


def _new(demo: DemoNetwork, given: str = "", family: str = "", born: str = "", **fields: Any) -> Participant:
    """An unsaved registration at partner A, as the intake form makes it."""
    year, month, day = ([int(p) for p in born.split("-")] + [None, None])[:3] if born else (None, None, None)
    return Participant(
        organisation=demo.partners["A"],
        given_names=given,
        family_name=family,
        birth_year=year,  # type: ignore[misc]  # None: the form's missing year
        birth_month=month,
        birth_day=day,
        **fields,
    )


def _found(demo: DemoNetwork, subject: Participant, user: str = "cm_a") -> list[Participant]:
    return [c.participant for c in intake.candidates(demo.users[user], subject)]


def _demo(given: str, family: str) -> Participant:
    return Participant.objects.get(given_names=given, family_name=family)


SYRIAN = {"gender": "male", "nationality": "SY", "country_of_birth": "SY", "town": "Rostock"}


# --- bad input ---------------------------------------------------------------------------


def test_transliterated_names_and_a_partial_date_warn(demo: DemoNetwork, model: ModelParameters) -> None:
    olena = _demo("Olena", "Schewtschenko")  # 11.1987
    subject = _new(
        demo, "Olena", "Shevchenko", "1987", gender="female", nationality="UA", country_of_birth="UA"
    )
    subject.town = olena.town
    found = intake.candidates(demo.users["cm_a"], subject)
    assert [c.participant for c in found] == [olena]
    evidence = {e.comparison: (e.level_label, e.direction) for e in found[0].evidence}
    assert evidence["family_name"] == ("gleicher Name, eventuell in anderer Schreibweise", "for")
    assert evidence["birth_date"] == ("gleiches Jahr, Tag und Monat in einem Datensatz unbekannt", "for")
    assert found[0].score.weight >= THRESHOLD and 99.0 <= found[0].percent <= 99.9


def test_only_a_birth_year_warns_when_everything_else_agrees(
    demo: DemoNetwork, model: ModelParameters
) -> None:
    amina = _demo("Amina", "Rahimi")  # born 1999, year only
    same = _new(demo, "Amina", "Rahimi", "1999", gender="female", nationality="AF", country_of_birth="AF")
    same.town = amina.town
    assert _found(demo, same) == [amina]
    other_year = _new(
        demo, "Amina", "Rahimi", "2003", gender="female", nationality="AF", country_of_birth="AF"
    )
    assert _found(demo, other_year) == []


def test_no_family_name(demo: DemoNetwork, model: ModelParameters) -> None:
    yonas = _register(demo, "Yonas", "Tesfay", "2001-6-15", gender="male", nationality="ER", postcode="18055")
    only_given = _new(demo, "Yonas", "", "2001-6-15", gender="male", nationality="ER", postcode="18055")
    assert record_of(only_given).family_key is None
    found = intake.candidates(demo.users["cm_a"], only_given)
    assert [c.participant for c in found] == [yonas]
    assert {e.comparison: e.direction for e in found[0].evidence}["family_name"] == "missing"
    assert _found(demo, _new(demo, "Yonas", "", "1998-2-3", gender="male", nationality="ER")) == []


@pytest.mark.parametrize(
    ("given", "family", "born", "country", "expected"),
    [
        ("محمد", "الحسن", "1994-3-7", "SY", ("Mohammed", "Al-Hassan")),
        ("Олена", "Шевченко", "1987-11", "UA", ("Olena", "Schewtschenko")),
    ],
)
def test_names_in_their_own_script_only(
    demo: DemoNetwork, model: ModelParameters, given: str, family: str, born: str, country: str, expected: Any
) -> None:
    subject = _new(demo, born=born, nationality=country, country_of_birth=country)
    subject.given_names_own_script, subject.family_name_own_script = given, family
    subject.gender = "male" if country == "SY" else "female"
    assert _found(demo, subject) == [_demo(*expected)]


def test_twins_are_not_taken_for_one_person(demo: DemoNetwork, model: ModelParameters) -> None:
    home = {"gender": "male", "nationality": "AF", "country_of_birth": "AF", "postcode": "18055"}
    _register(demo, "Aziz", "Karimi", "2002-4-5", **home)
    twin = _new(demo, "Rahim", "Karimi", "2002-4-5", **home)
    scored = intake.candidates(demo.users["cm_a"], twin)
    assert scored == []


def test_a_common_name_with_other_birth_data_is_no_warning(demo: DemoNetwork, model: ModelParameters) -> None:
    namesake = _new(demo, "Mohammed", "Al-Hassan", "1990-8-12", **SYRIAN)
    assert _found(demo, namesake) == []
    # The same name and birth date is (with the model's frequencies for this common name):
    assert _found(demo, _new(demo, "Muhammad", "Alhasan", "1994-3-7", **SYRIAN)) == [mohammed(demo)]


def test_a_duplicate_agreeing_on_everything_warns_with_the_built_in_model(demo: DemoNetwork) -> None:
    assert not ModelParameters.objects.filter(network=demo.network).exists()
    subject = _new(demo, "Mohamed", "Al Hasan", "1994-3-7", **SYRIAN)
    assert _found(demo, subject) == [mohammed(demo)]


def test_other_known_spellings_are_looked_up_and_scored(demo: DemoNetwork, model: ModelParameters) -> None:
    eritrean = {"gender": "male", "nationality": "ER", "country_of_birth": "ER", "postcode": "18055"}
    known = _register(demo, "Tesfay", "Ghebremariam", "1990-5-5", **eritrean)
    subject = _new(demo, "Yohannes", "Kidane", "1990-5-5", **eritrean)
    assert _found(demo, subject) == []
    found = intake.candidates(demo.users["cm_a"], subject, spellings=["", "Tesfaye Gebremariam"])
    assert [c.participant for c in found] == [known]
    assert {e.comparison: e.direction for e in found[0].evidence}["given_name"] == "for"


# --- scope, ranking, bounds --------------------------------------------------------------


def test_candidates_stay_within_the_users_scope(demo: DemoNetwork, model: ModelParameters) -> None:
    subject = _new(demo, "Muhammad", "Alhasan", "1994-3-7", **SYRIAN)
    assert _found(demo, subject, "cm_a") == [mohammed(demo)]
    assert _found(demo, subject, "user_c") == []  # partner C
    assert mohammed(demo) not in _found(demo, subject, "cm_b")  # partner B


def test_a_merged_registration_is_no_candidate(demo: DemoNetwork, model: ModelParameters) -> None:
    kept = _register(demo, "Olena", "Shevchenko", "1987-11", gender="female", nationality="UA")
    Participant.objects.filter(pk=_demo("Olena", "Schewtschenko").pk).update(merged_into=kept)
    subject = _new(demo, "Olena", "Schewtschenko", "1987-11", gender="female", nationality="UA")
    assert _found(demo, subject) == [kept]


def test_a_saved_registration_is_not_its_own_candidate(demo: DemoNetwork, model: ModelParameters) -> None:
    assert mohammed(demo) not in _found(demo, mohammed(demo))


def _namesakes(demo: DemoNetwork, count: int, year: int = 1960) -> None:
    """`count` registrations of "Mohammed Al-Hassan" born in other years, with their keys."""
    people = Participant.objects.bulk_create(
        Participant(
            organisation=demo.partners["A"],
            team=demo.teams["Rostock"],
            given_names="Mohammed",
            family_name="Al-Hassan",
            birth_year=year + n % 30,
            gender="male",
            entry_date=TODAY,
        )
        for n in range(count)
    )
    BlockingKey.objects.bulk_create(
        BlockingKey(participant=p, organisation=p.organisation, key=k)
        for p in people
        for k in blocking_keys(record_of(p))
    )


def test_the_true_duplicate_is_scored_even_behind_many_namesakes(
    demo: DemoNetwork, model: ModelParameters, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "MAX_SCORED", 5)
    duplicate = mohammed(demo)
    _namesakes(demo, 40)  # created after the demo record: newer, yet ranked behind it
    subject = _new(demo, "Muhammad", "Alhasan", "1994-3-7", **SYRIAN)
    assert _found(demo, subject) == [duplicate]


def test_the_number_of_queries_does_not_grow_with_the_data(demo: DemoNetwork, model: ModelParameters) -> None:
    subject = _new(demo, "Muhammad", "Alhasan", "1994-3-7", **SYRIAN)
    user = demo.users["cm_a"]
    intake.candidates(user, subject)  # memberships cached as on a request
    with CaptureQueriesContext(connection) as few:
        assert len(intake.candidates(user, subject)) == 1
    _namesakes(demo, 300)
    _register(demo, "Mohammed", "Al-Hassan", "1994-3-7", **SYRIAN)  # a second duplicate
    with CaptureQueriesContext(connection) as many:
        assert len(intake.candidates(user, subject)) == 2
    assert len(many) == len(few) <= 7


def test_a_record_without_keys_has_no_candidates(demo: DemoNetwork) -> None:
    empty = record_from_row({"organisation_id": demo.partners["A"].pk})
    with CaptureQueriesContext(connection) as queries:
        assert intake.candidates(demo.users["cm_a"], empty) == []
    assert len(queries) == 0


# --- the intake page ----------------------------------------------------------------------


def _form(demo: DemoNetwork, **overrides: Any) -> dict[str, Any]:
    from tests.test_participants import _intake

    return _intake(demo, **overrides)


def test_the_warning_shows_the_evidence_in_words_and_nothing_is_saved(
    login: Callable[[str], Client], demo: DemoNetwork, model: ModelParameters
) -> None:
    client = login("cm_a")
    before = Participant.objects.count(), BlockingKey.objects.count()
    data = _form(
        demo,
        given_names="Muhammad",
        family_name="Alhasan",
        other_spellings="",
        birth_date="07.03.1994",
        gender="male",
        postcode="",
    )
    response = client.post(reverse("participants:create"), data)
    assert response.status_code == 400
    assert [c.participant for c in response.context["candidates"]] == [mohammed(demo)]
    assert (Participant.objects.count(), BlockingKey.objects.count()) == before
    page = response.content.decode()
    assert "Diese Person ist wahrscheinlich schon registriert" in page
    assert reverse("participants:detail", args=[mohammed(demo).pk]) in page
    assert "Gleicher Name, eventuell in anderer Schreibweise" in page
    assert "Spricht für dieselbe Person" in page
    assert "07.03.1994" in page and "Rostock" in page
    assert '<th class="kern-table__cell" scope="row">Geburtsdatum</th>' in page
    confirmed = client.post(reverse("participants:create"), {**data, "confirmed_new": "on"})
    assert confirmed.status_code == 302
    assert Participant.objects.count() == before[0] + 1
    new = Participant.objects.latest("pk")
    assert set(BlockingKey.objects.filter(participant=new).values_list("key", flat=True)) == blocking_keys(
        record_of(new)
    )


def test_a_different_person_registers_without_a_warning(
    login: Callable[[str], Client], demo: DemoNetwork, model: ModelParameters
) -> None:
    data = _form(
        demo, given_names="Mohammed", family_name="Al-Hassan", birth_date="12.08.1990", gender="male"
    )
    response = login("cm_a").post(reverse("participants:create"), data)
    assert response.status_code == 302


# --- keys for existing and bulk-loaded data ------------------------------------------------


def _keys_in_db(people: Any) -> set[tuple[int, str]]:
    return set(BlockingKey.objects.filter(participant__in=people).values_list("participant_id", "key"))


def _keys_expected(people: Any) -> set[tuple[int, str]]:
    return {(p.pk, k) for p in people for k in blocking_keys(record_of(p))}


def test_rebuild_keys_command_restores_every_registrations_keys(demo: DemoNetwork) -> None:
    from io import StringIO

    from django.core.management import call_command

    people = list(Participant.objects.all())
    expected = _keys_expected(people)
    BlockingKey.objects.all().delete()  # as after an upgrade: no keys yet
    BlockingKey.objects.create(participant=people[0], organisation=people[0].organisation, key="n:stale")
    out = StringIO()
    call_command("dedupe_rebuild_keys", "--batch", "3", stdout=out)
    assert _keys_in_db(people) == expected
    assert f"{len(people)} registrations" in out.getvalue()
    # One organisation only: the others' keys are left alone.
    BlockingKey.objects.all().delete()
    call_command("dedupe_rebuild_keys", "--organisation", str(demo.partners["B"].pk), stdout=StringIO())
    assert {
        p.organisation_id for p in Participant.objects.filter(pk__in={pk for pk, _k in _keys_in_db(people)})
    } == {demo.partners["B"].pk}


def test_rebuild_keys_command_refuses_an_unknown_organisation(demo: DemoNetwork) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--organisation"):
        call_command("dedupe_rebuild_keys", "--organisation", "999999")


def test_the_demo_bulk_loader_writes_blocking_keys(demo: DemoNetwork) -> None:
    from bruecke.participants.demo import generate

    before = set(Participant.objects.values_list("pk", flat=True))
    generate(demo, 30, seed=5, batch=12)
    made = list(Participant.objects.exclude(pk__in=before))
    assert len(made) == 30
    assert _keys_in_db(made) == _keys_expected(made)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench loader uses PostgreSQL's COPY")
def test_the_bench_copy_loader_writes_blocking_keys(demo: DemoNetwork) -> None:
    import importlib
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    esf_data = importlib.import_module("esf_data")
    written = esf_data.generate(demo, 60, seed=3)
    made = list(Participant.objects.filter(district=esf_data.MARKER))
    assert _keys_in_db(made) == _keys_expected(made)
    assert written["dedupe_blockingkey"] == len(_keys_expected(made))
