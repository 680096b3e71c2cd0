"""Participants: intake with duplicate warning, search, partial dates, residence history."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership
from bruecke.participants.forms import PartialDate, parse_partial_date
from bruecke.participants.models import NameKey, Participant, ResidenceStatus
from bruecke.projects.models import Project
from tests.access_expectations import mohammed

TODAY = datetime.date.today()


def _membership(demo: DemoNetwork, key: str = "cm_a") -> Membership:
    return Membership.objects.get(user=demo.users[key])


def _intake(demo: DemoNetwork, **overrides: Any) -> dict[str, Any]:
    data = {
        "given_names": "Layla",
        "family_name": "Darwish",
        "other_spellings": "Leila Darvish",
        "birth_date": "03.2001",
        "gender": "female",
        "nationality": "SY",
        "country_of_birth": "SY",
        "phone": "+49 170 1234567",
        "email": "",
        "messenger": "signal",
        "street": "",
        "postcode": "18055",
        "town": "Rostock",
        "district": "",
        "arrival_date": "12.09.2023",
        "entry_date": TODAY.strftime("%d.%m.%Y"),
        "assignment": str(_membership(demo).pk),
        "project": str(Project.objects.get(network=demo.network).pk),
        "rs-status": "",
        "rs-issued_on": "",
        "rs-valid_until": "",
        "rs-asylum_applied_on": "",
        "rs-work_note": "",
        "rs-note": "",
    }
    return {**data, **overrides}


def _post_intake(client: Client, data: dict[str, Any]) -> Any:
    return client.post(reverse("participants:create"), data)


# --- partial dates ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07.03.1994", PartialDate(1994, 3, 7)),
        ("7.3.1994", PartialDate(1994, 3, 7)),
        ("03.1994", PartialDate(1994, 3)),
        ("1994", PartialDate(1994)),
        ("00.00.1994", PartialDate(1994)),
        ("XX.XX.1994", PartialDate(1994)),
        ("xx.03.1994", PartialDate(1994, 3)),
        ("01.01.1994", PartialDate(1994, 1, 1)),
    ],
)
def test_partial_dates_are_read_without_inventing_precision(text: str, expected: PartialDate) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(
    "text", ["31.02.2024", "2024-13-01", "13.1994", "07.XX.1994", "94", "abc", "1.1.1.1994"]
)
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_partial_date(text)


def test_age_counts_partial_dates_from_the_first(demo: DemoNetwork) -> None:
    person = Participant(birth_year=2000, entry_date=datetime.date(2018, 1, 1))
    assert person.age_at_entry == 18
    person.birth_month = 6
    assert person.age_on(datetime.date(2018, 5, 31)) == 17
    person.birth_day, person.birth_date_is_placeholder = 15, True
    assert person.birth_date_for_age == datetime.date(2000, 1, 1)
    assert person.birth_date_display == "2000"


# --- intake ---


def test_intake_registers_person_with_spellings_and_document(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    data = _intake(
        demo,
        **{
            "rs-status": "gestattung",
            "rs-issued_on": "01.10.2025",
            "rs-valid_until": "31.03.2026",
            "rs-asylum_applied_on": "15.09.2025",
        },
    )
    response = _post_intake(login("cm_a"), data)
    person = Participant.objects.get(family_name="Darwish")
    assert response["Location"] == reverse("participants:detail", args=[person.pk])
    assert (person.organisation, person.team) == (demo.partners["A"], demo.teams["Rostock"])
    assert (person.birth_year, person.birth_month, person.birth_day) == (2001, 3, None)
    assert [v.name for v in person.name_variants.all()] == ["Leila Darvish"]
    assert person.residence_statuses.get().status == "gestattung"
    assert NameKey.objects.filter(participant=person).exists()
    created = AuditEvent.objects.filter(
        action="create", object_type="participants.participant", object_id=str(person.pk)
    )
    assert created.get().actor == demo.users["cm_a"]
    assert "Darwish" not in str(list(created.values()))


def test_names_are_stored_exactly_as_typed_in_nfc(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    _post_intake(
        login("cm_a"),
        _intake(
            demo,
            given_names="Zahra",
            given_names_own_script="زهرا",
            family_name="Şahin\u0307",
            other_spellings="Ольга",
        ),
    )
    person = Participant.objects.get(given_names_own_script="زهرا", given_names="Zahra", birth_year=2001)
    assert person.family_name == unicodedata.normalize("NFC", "Şahin\u0307") == "Şahi\u1e45"
    assert person.latin_name.isascii()
    nfd = _post_intake(
        login("cm_a"), _intake(demo, given_names="Jose\u0301", family_name="Garci\u0301a", birth_date="1980")
    )
    assert nfd.status_code == 302
    assert Participant.objects.filter(given_names="José", family_name="García").exists()


def test_duplicate_warning_before_saving(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    before = Participant.objects.count()
    # Mohammed Al-Hassan (born 07.03.1994, Syrian) exists in team Rostock; a variant spelling:
    person = {
        "given_names": "Muhammad",
        "family_name": "Alhasan",
        "birth_date": "07.03.1994",
        "gender": "male",
    }
    response = _post_intake(client, _intake(demo, **person))
    assert response.status_code == 400
    candidates = response.context["candidates"]
    assert mohammed(demo) in [c.participant for c in candidates]
    assert Participant.objects.count() == before
    page = response.content.decode()
    assert reverse("participants:detail", args=[mohammed(demo).pk]) in page
    confirmed = _post_intake(client, _intake(demo, **person, confirmed_new="on"))
    assert confirmed.status_code == 302
    assert Participant.objects.count() == before + 1


def test_duplicate_warning_stays_within_scope(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    """Partner C must not learn that partner A knows a similar person."""
    data = _intake(
        demo,
        given_names="Mohamed",
        family_name="Al Hasan",
        birth_date="1994",
        assignment=str(_membership(demo, "user_c").pk),
    )
    response = _post_intake(login("user_c"), data)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", (TODAY + datetime.timedelta(days=400)).strftime("%Y")),
        ("birth_date", "31.02.1990"),
        ("birth_date", "1850"),
        ("birth_date", "07.03.1994 <script>"),
        ("given_names", "x" * 151),
        ("given_names", "Ali\x00"),
        ("given_names", "Ali\u0007"),
        ("given_names", ""),
        ("given_names", "Ali 😀"),
        ("family_name", "Haddad ❤"),
        ("other_spellings", "Ali\n👍 Haddad"),
        ("nationality", "QQ"),
        ("arrival_date", "01.01.2200"),
        ("entry_date", (TODAY + datetime.timedelta(days=3)).strftime("%d.%m.%Y")),
        ("email", "not-an-address"),
        ("birth_date_is_placeholder", "on"),
    ],
)
def test_bad_intake_input_is_refused_next_to_the_field(
    login: Callable[[str], Client], demo: DemoNetwork, field: str, value: str
) -> None:
    before = Participant.objects.count(), ResidenceStatus.objects.count(), AuditEvent.objects.count()
    response = _post_intake(login("cm_a"), _intake(demo, **{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert (
        Participant.objects.count(),
        ResidenceStatus.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_names_in_all_scripts_are_accepted(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    for given, family in [
        ("محمد", "عبد الله"),
        ("Ольга", "Шевченко"),
        ("می\u200cخواهم", "ناصری"),
    ]:
        names = {"given_names_own_script": given, "family_name_own_script": family}
        latin = {"given_names": "Latin", "family_name": "N'Diaye-Al-Hassan"}
        response = _post_intake(
            client, _intake(demo, **names, **latin, other_spellings="", confirmed_new="on")
        )
        assert response.status_code == 302, response.context["form"].errors
        assert Participant.objects.filter(**names, **latin).exists()


def test_birth_after_entry(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = _post_intake(login("cm_a"), _intake(demo, birth_date="2020", entry_date="01.01.2019"))
    assert "birth_date" in response.context["form"].errors


def test_script_is_refused_in_names_and_shown_escaped_elsewhere(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    refused = _post_intake(client, _intake(demo, family_name='<script>alert("x")</script>'))
    assert "family_name" in refused.context["form"].errors
    _post_intake(client, _intake(demo, town='<script>alert("x")</script>'))
    person = Participant.objects.get(given_names="Layla")
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rs-valid_until", "01.01.2020"),
        ("rs-issued_on", ""),
        ("rs-issued_on", "01.01.2200"),
        ("rs-status", "boss"),
    ],
)
def test_bad_residence_document_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, field: str, value: str
) -> None:
    data = _intake(demo, **{"rs-status": "duldung_60a", "rs-issued_on": "01.06.2024", field: value})
    response = _post_intake(login("cm_a"), data)
    assert response.status_code == 400
    assert response.context["residence_form"].errors
    assert not Participant.objects.filter(family_name="Darwish").exists()


def test_placement_officer_reads_but_does_not_register(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("po_a")
    assert client.get(reverse("participants:detail", args=[mohammed(demo).pk])).status_code == 200
    assert client.get(reverse("participants:create")).status_code == 404


# --- search ---


def _search(client: Client, text: str) -> list[str]:
    response = client.post(reverse("participants:search"), {"q": text})
    assert response.status_code == 302
    location = response["Location"]
    assert text.split()[0] not in location  # names never travel in URLs
    page = client.get(location)
    return [p.full_name for p in page.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Mohammed", "Mohammed Al-Hassan"),
        ("Muhammad", "Mohammed Al-Hassan"),
        ("Mohamad al hasan", "Mohammed Al-Hassan"),
        ("Abd al-Rahman", "Abdulrahman Hussein"),
        ("Husain", "Abdulrahman Hussein"),
        ("Shevchenko", "Olena Schewtschenko"),
        ("Ševčenko", "Olena Schewtschenko"),
        ("Шевченко", "Olena Schewtschenko"),
        ("moham", "Mohammed Al-Hassan"),
        ("1994", "Mohammed Al-Hassan"),
        ("03.1994", "Mohammed Al-Hassan"),
        ("Mohammed 07.03.1994", "Mohammed Al-Hassan"),
        ("11.1987", "Olena Schewtschenko"),
    ],
)
def test_search_finds_spelling_variants_and_partial_birth_dates(
    login: Callable[[str], Client], demo: DemoNetwork, query: str, expected: str
) -> None:
    assert expected in _search(login("cm_a"), query)


def test_search_is_scoped_and_precise(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    assert _search(login("cm_a"), "Hassan") == ["Mohammed Al-Hassan"]
    assert _search(login("cm_a"), "Mohammed 1990") == []
    # Partner B's "Muhammad Alhasan" is not visible to partner A, and vice versa.
    assert _search(login("cm_b"), "Mohammed") == ["Muhammad Alhasan"]
    assert _search(login("user_c"), "Mohammed") == []


def test_search_tokens_are_per_session(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("cm_a").post(reverse("participants:search"), {"q": "Mohammed"})
    other = login("cm_b").get(response["Location"])
    assert other.context["selected"].search == ""


def test_list_filters(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("team_lead")
    url = reverse("participants:list")
    everyone = [p.full_name for p in client.get(url).context["page"]]
    assert "Yonas Tesfay" not in everyone  # team Schwerin of partner A: not the team lead's team
    refugees = [p.full_name for p in client.get(url, {"status": "ae_25_2_refugee"}).context["page"]]
    assert refugees == ["Mohammed Al-Hassan"]
    expiring = [p.full_name for p in client.get(url, {"expiring": "1"}).context["page"]]
    assert expiring == ["Amina Rahimi", "Mohammed Al-Hassan"]  # 35 and 10 days; sorted by name
    assert client.get(url, {"team": "abc", "status": "<x>"}).status_code == 200


def test_list_marks_expiring_and_expired_documents(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("team_lead")
    Participant.objects.filter(family_name="Rahimi").update(
        current_valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    body = client.get(reverse("participants:list")).content.decode()
    rows = {
        name: row
        for row in re.findall(r"<tr class=\"kern-table__row\">.*?</tr>", body, re.S)
        for name in ("Mohammed Al-Hassan", "Amina Rahimi", "Olena Schewtschenko")
        if name in row
    }
    mohammed_row = rows["Mohammed Al-Hassan"]
    assert "kern-badge--warning" in mohammed_row and "läuft bald ab" in mohammed_row
    assert "kern-badge--danger" in rows["Amina Rahimi"] and "abgelaufen" in rows["Amina Rahimi"]
    assert "kern-badge" not in rows["Olena Schewtschenko"]  # 200 days left


def test_list_sorts_by_the_chosen_column(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("team_lead")
    url = reverse("participants:list")

    def names(**params: str) -> list[str]:
        return [p.full_name for p in client.get(url, params).context["page"]]

    by_name = names()
    assert by_name == names(o="name") and len(by_name) > 2
    expiring = {"expiring": "1"}
    assert names(**expiring, o="valid") == ["Mohammed Al-Hassan", "Amina Rahimi"]  # 10, then 35 days
    assert names(**expiring, o="-valid") == ["Amina Rahimi", "Mohammed Al-Hassan"]
    assert names(o="-name") == list(reversed(names(o="name")))
    assert names(o="<script>") == by_name  # an unknown key sorts by name
    body = client.get(url, {"o": "-valid", "team": "1"}).content.decode()
    assert 'aria-sort="descending"' in body and body.count("aria-sort=") == 1
    assert 'href="?team=1&amp;o=valid"' in body  # the next click turns it round, filters kept
    assert '<input type="hidden" name="o" value="-valid">' in body  # filtering keeps the order


def test_list_has_a_constant_query_count(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    from bruecke.participants.demo import generate

    client = login("cm_a")
    counts: list[int] = []
    for _round in range(2):
        generate(demo, 30, seed=len(counts))
        with count_queries() as ctx:
            assert client.get(reverse("participants:list")).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


# --- participant page ---


def test_participant_page_is_audited_and_shows_history(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = mohammed(demo)
    client = login("cm_a")
    client.post(
        reverse("participants:residence_create", args=[person.pk]),
        {
            "status": "ae_25_2_refugee",
            "issued_on": "01.11.2026",
            "valid_until": "31.10.2029",
            "work_note": "permitted",
        },
    )
    page = client.get(reverse("participants:detail", args=[person.pk]))
    assert AuditEvent.objects.filter(
        action="read", object_id=str(person.pk), actor=demo.users["cm_a"]
    ).exists()
    history = list(page.context["history"])
    assert {e.object_type for e in history} >= {"participants.participant", "participants.residencestatus"}
    assert page.context["statuses"][0].issued_on == datetime.date(2026, 11, 1)


def test_edit_rebuilds_search_keys_and_audits_fields(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = mohammed(demo)
    client = login("cm_a")
    form = client.get(reverse("participants:edit", args=[person.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        family_name="Al-Hassani",
        other_spellings="Muhammad Alhasani",
        nationality="SY",
        country_of_birth="SY",
        entry_date=person.entry_date.strftime("%d.%m.%Y"),
        messenger="",
        birth_date="07.03.1994",
    )
    response = client.post(reverse("participants:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert "Al-Hassani" in _search(client, "Alhasani")[0]
    event = AuditEvent.objects.filter(action="update", object_id=str(person.pk)).first()
    assert event is not None and "family_name" in event.changed_fields


def test_dashboard_lists_expiring_documents(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    page = login("cm_a").get(reverse("core:dashboard"))
    expiring = [p.full_name for p in page.context["expiring"]]
    assert expiring[0] == "Mohammed Al-Hassan"  # expires in 10 days: urgent
    assert "Olena Schewtschenko" not in expiring  # 200 days
    body = page.content.decode()
    title = body[body.index("<title>") : body.index("</title>")]
    assert "Mohammed" not in title  # the list is on the page, not in the title
    main = body[body.index("<main") :]
    section = main[main.index('id="expiring-heading"') : main.index('id="my-stale-heading"')]
    assert "kern-badge--danger urgent" in section and "Mohammed Al-Hassan" in section
    assert login("admin").get(reverse("core:dashboard")).context.get("expiring") is None


def test_current_status_follows_the_newest_document(demo: DemoNetwork) -> None:
    from bruecke.participants.services import residence_status_add

    person = mohammed(demo)
    newest = person.residence_statuses.first()
    assert newest is not None and person.current_status == newest.status
    older = ResidenceStatus(participant=person, status="gestattung", issued_on=datetime.date(2015, 10, 1))
    residence_status_add(actor=demo.users["cm_a"], status=older)
    person.refresh_from_db()
    assert person.current_status == newest.status  # an older document does not replace it
    later = ResidenceStatus(participant=person, status="niederlassung", issued_on=TODAY)
    residence_status_add(actor=demo.users["cm_a"], status=later)
    person.refresh_from_db()
    assert (person.current_status, person.current_valid_until) == ("niederlassung", None)


def test_participant_page_shows_eligibility_with_reasons(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    amina = Participant.objects.get(family_name="Rahimi")  # Aufenthaltsgestattung, Afghanistan
    page = login("cm_a").get(reverse("participants:detail", args=[amina.pk]))
    eligibility = page.context["eligibility"]
    assert eligibility.verdict == "eligible"
    assert eligibility.reasons
    body = page.content.decode()
    assert "verdict-eligible" in body and "NAF MV plus" in body


def test_languages_household_and_schooling_are_recorded(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    data = _intake(
        demo,
        birth_date="2010",
        first_language="ar",
        other_languages=["en", "tr"],
        german_level="A2",
        children="",
        schooling_status="waiting",
    )
    client = login("cm_a")
    assert _post_intake(client, data).status_code == 302
    person = Participant.objects.get(family_name="Darwish")
    assert (person.first_language, person.other_languages, person.german_level) == ("ar", ["en", "tr"], "A2")
    assert person.schooling_status == "waiting"
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Englisch" in page and "A2" in page


def test_children_birth_years(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    response = _post_intake(
        client, _intake(demo, birth_date="1990", children="2019, 2015", single_parent="on")
    )
    assert response.status_code == 302
    person = Participant.objects.get(family_name="Darwish")
    assert (person.children_birth_years, person.single_parent) == ([2015, 2019], True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("children", "2015, neunzehn"),
        ("children", "1995"),  # parent born 2001
        ("children", "2099"),
        ("other_languages", ["xx"]),
        ("german_level", "D1"),
        ("schooling_status", "attending"),  # for someone aged 40
    ],
)
def test_bad_household_and_language_input(
    login: Callable[[str], Client], demo: DemoNetwork, field: str, value: Any
) -> None:
    birth = "1985" if field == "schooling_status" else "03.2001"
    response = _post_intake(login("cm_a"), _intake(demo, birth_date=birth, **{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Participant.objects.filter(family_name="Darwish").exists()


def test_eligibility_is_stored_at_entry_and_filterable(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    amina = Participant.objects.get(family_name="Rahimi")
    mohammed_ = mohammed(demo)
    assert amina.eligibility == "eligible"
    client = login("cm_a")
    url = reverse("participants:list")
    eligible = [p.full_name for p in client.get(url, {"eligibility": "eligible"}).context["page"]]
    assert "Amina Rahimi" in eligible
    assert mohammed_.full_name not in eligible or mohammed_.eligibility == "eligible"
    # A new document dated before entry changes the stored verdict at once.
    from bruecke.participants.services import residence_status_add

    before_entry = amina.entry_date - datetime.timedelta(days=1)
    residence_status_add(
        actor=demo.users["cm_a"],
        status=ResidenceStatus(participant=amina, status="duldung_60b", issued_on=before_entry),
    )
    amina.refresh_from_db()
    assert amina.eligibility == "not_eligible"


def test_incomplete_esf_filter(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    url = reverse("participants:list")
    everyone = {p.pk for p in client.get(url).context["page"]}
    incomplete = {p.pk for p in client.get(url, {"incomplete_esf": "1"}).context["page"]}
    assert incomplete and incomplete <= everyone  # no ESF data recorded yet in the demo
