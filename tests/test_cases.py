"""Cases and counselling contacts (first part of case management)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Assessment, Case, Contact, ContactTopic
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import MobileSite
from tests.expectations_cases import _case, _mohammed

TODAY = datetime.date.today()


def _contact(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": TODAY.strftime("%d.%m.%Y"),
        "duration_minutes": "20",
        "channel": "office",
        "site": "",
        "interpreter": "",
        "interpreter_language": "",
        "topics": [ContactTopic.objects.get(key="job_search").pk],
        "note": "Bewerbung als Elektroniker besprochen.",
    }
    return {**data, **overrides}


def _post(client: Client, case: Case, data: dict[str, Any]) -> Any:
    return client.post(reverse("cases:contact_create", args=[case.pk]), data)


def test_contact_is_recorded_from_the_case_page(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    client = login("cm_a")
    assert _post(client, case, _contact()).status_code == 302
    contact = case.contacts.order_by("-id").first()
    assert contact is not None and [t.key for t in contact.topics.all()] == ["job_search"]
    assert contact.recorded_by == demo.users["cm_a"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_contact WHERE id = %s", [contact.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("v2:") and "Elektroniker" not in raw
    event = AuditEvent.objects.get(action="create", object_type="cases.contact", object_id=str(contact.pk))
    assert "note" in event.changed_fields and event.organisation == demo.partners["A"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": (TODAY + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}, "date"),
        ({"date": "01.01.2000"}, "date"),
        ({"duration_minutes": "-5"}, "duration_minutes"),
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"duration_minutes": "900"}, "duration_minutes"),
        ({"channel": "mobile"}, "site"),
        ({"interpreter": "person"}, "interpreter_language"),
        ({"topics": [999999]}, "topics"),
        ({"note": "a\x00b"}, "note"),
    ],
)
def test_bad_contact_input_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, Any], field: str
) -> None:
    case = _case(demo)
    before = Contact.objects.count(), AuditEvent.objects.count()
    response = _post(login("cm_a"), case, _contact(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (Contact.objects.count(), AuditEvent.objects.count()) == before


def test_mobile_contact_at_a_site(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    site = MobileSite.objects.get(name="Jugendzentrum Güstrow")
    response = _post(login("cm_a"), _case(demo), _contact(channel="mobile", site=site.pk))
    assert response.status_code == 302


def test_confidential_notes_only_for_the_cases_own_staff(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    url = reverse("cases:detail", args=[_case(demo).pk])
    assert "Belastung nach Flucht" in login("cm_a").get(url).content.decode()
    assert "Belastung nach Flucht" in login("po_a").get(url).content.decode()
    lead_page = login("team_lead").get(url).content.decode()
    assert "Belastung nach Flucht" not in lead_page and "B1-Kurs" in lead_page


def test_case_page_is_audited_and_scoped(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    login("po_a").get(reverse("cases:detail", args=[case.pk]))
    assert AuditEvent.objects.filter(action="read", object_type="cases.case", object_id=str(case.pk)).exists()
    for key in ("cm_b", "user_c", "coordinator", "dpo", "admin"):
        assert login(key).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # A placement officer of the team who is not assigned to the case reads it but records
    # no contact (the assigned one does, decision 0037).
    Case.objects.filter(pk=case.pk).update(placement_officer=None)
    assert _post(login("po_a"), case, _contact()).status_code == 404


def test_one_open_case_per_participant_and_partner(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    person = _mohammed(demo)
    data = {
        "case_manager": demo.users["cm_a"].pk,
        "team": demo.teams["Rostock"].pk,
        "opened_on": TODAY.strftime("%d.%m.%Y"),
    }
    response = login("cm_a").post(reverse("cases:open", args=[person.pk]), data)
    assert response.status_code == 400
    assert Case.objects.filter(participant=person).count() == 1


def test_a_case_is_opened_for_a_participant(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    from bruecke.participants.models import Participant

    amina = Participant.objects.get(family_name="Rahimi")
    data = {
        "case_manager": demo.users["cm_a"].pk,
        "placement_officer": demo.users["po_a"].pk,
        "team": demo.teams["Rostock"].pk,
        "opened_on": TODAY.strftime("%d.%m.%Y"),
    }
    response = login("cm_a").post(reverse("cases:open", args=[amina.pk]), data)
    case = Case.objects.get(participant=amina)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.organisation == amina.organisation
    # Staff of another partner cannot be made responsible.
    other = login("cm_a").post(
        reverse("cases:open", args=[amina.pk]), {**data, "case_manager": demo.users["cm_b"].pk}
    )
    assert "case_manager" in other.context["form"].errors


def test_case_page_query_count_does_not_grow_with_contacts(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = _case(demo)
    client = login("cm_a")
    counts = []
    for batch in (10, 1000):
        Contact.objects.bulk_create(
            Contact(case=case, date=case.opened_on, duration_minutes=10, recorded_by=demo.users["cm_a"])
            for _ in range(batch)
        )
        with count_queries() as ctx:
            assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def _assessment(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "assessed_on": TODAY.strftime("%d.%m.%Y"),
        "severity_german": "1",
        "note_german": "B1 bestanden",
        "based_on": Assessment.objects.filter(case__participant__family_name="Al-Hassan")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0,
    }
    return {**data, **overrides}


def test_reassessment_shows_the_trajectory(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    client = login("cm_a")
    response = client.post(reverse("cases:assessment_create", args=[case.pk]), _assessment())
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk]) + "?section=barriers")
    rows = {row.barrier.key: row for row in page.context["barriers"]}
    assert (rows["german"].first, rows["german"].latest, rows["german"].change) == (3, 1, "smaller")
    assert rows["recognition"].change == "same"
    assert len(page.context["assessments"]) == 3
    assert AuditEvent.objects.filter(action="create", object_type="cases.assessment").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_assessmentitem WHERE note <> ''")
        assert all(raw.startswith("v2:") for (raw,) in cursor.fetchall())


def test_sensitive_barrier_notes_only_for_the_cases_own_staff(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    url = reverse("cases:detail", args=[_case(demo).pk]) + "?section=barriers"
    assert "Beratungsstelle angebunden" in login("cm_a").get(url).content.decode()
    lead = login("team_lead").get(url)
    rows = {row.barrier.key: row for row in lead.context["barriers"]}
    assert rows["psychological"].note is None and rows["german"].note == "B1-Kurs begonnen"
    assert "Beratungsstelle angebunden" not in lead.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"assessed_on": (TODAY + datetime.timedelta(days=2)).strftime("%d.%m.%Y")}, "assessed_on"),
        ({"assessed_on": "01.01.2001"}, "assessed_on"),
        ({"severity_german": "", "note_german": ""}, "__all__"),
        ({"severity_german": "7"}, "severity_german"),
        ({"note_german": "x\x07"}, "note_german"),
    ],
)
def test_bad_assessment_input_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, Any], field: str
) -> None:
    from bruecke.cases.models import Assessment

    before = Assessment.objects.count(), AuditEvent.objects.count()
    response = login("cm_a").post(
        reverse("cases:assessment_create", args=[_case(demo).pk]), _assessment(**overrides)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (Assessment.objects.count(), AuditEvent.objects.count()) == before
