"""The placement officer's rights on cases (docs/decisions/0037).

Jonas Krause (po_a) records contacts, tasks, profile and documents on the cases where he is
the placement officer, like the case manager; the other cases of his team he only reads;
plan, barriers, exit, case edit and transfer stay with the case managers and team leads.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, CaseDocument, Contact, Task
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.expectations_cases import _case

# The write pages of case work that follow RECORD_CASE_WORK (GET shows the form).
RECORD_PAGES = ("cases:profile_edit", "cases:document_create", "cases:case_task_create")
DOCUMENT_PAGES = ("cases:document_edit", "cases:document_delete")
# What stays with the case managers and team leads, also on his own cases.
EDIT_ONLY_PAGES = ("cases:assessment_create", "cases:plan_edit", "cases:edit", "cases:transfer_request")


def _second_case(demo: DemoNetwork) -> Case:
    """A second case of team Rostock (partner A) without a placement officer: Amina Rahimi's."""
    amina = Participant.objects.get(family_name="Rahimi")
    return Case.objects.create(
        participant=amina,
        organisation=amina.organisation,
        team=demo.teams["Rostock"],
        case_manager=demo.users["cm_a"],
        opened_on=amina.entry_date,
    )


def _contact() -> dict[str, str]:
    import datetime

    return {
        "date": datetime.date.today().strftime("%d.%m.%Y"),
        "duration_minutes": "20",
        "channel": "office",
        "note": "Bewerbung besprochen",
    }


def test_he_records_case_work_on_his_own_case(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    assert case.placement_officer == demo.users["po_a"]
    client = login("po_a")
    for name in RECORD_PAGES:
        assert client.get(reverse(name, args=[case.pk])).status_code == 200, name
    document = CaseDocument.objects.filter(case=case).earliest("id")
    for name in DOCUMENT_PAGES:
        assert client.get(reverse(name, args=[document.pk])).status_code == 200, name
    before = Contact.objects.filter(case=case).count()
    response = client.post(reverse("cases:contact_create", args=[case.pk]), _contact())
    assert response.status_code == 302
    assert Contact.objects.filter(case=case).count() == before + 1
    assert Contact.objects.filter(case=case).latest("id").recorded_by == demo.users["po_a"]


@pytest.mark.parametrize("name", EDIT_ONLY_PAGES)
def test_plan_barriers_case_edit_and_transfer_stay_with_the_case_managers(
    login: Callable[[str], Client], demo: DemoNetwork, name: str
) -> None:
    case = _case(demo)
    assert login("po_a").get(reverse(name, args=[case.pk])).status_code == 404
    assert login("cm_a").get(reverse(name, args=[case.pk])).status_code == 200


def test_other_cases_of_his_team_he_only_reads(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    other = _second_case(demo)
    document = CaseDocument.objects.filter(case=_case(demo)).earliest("id")
    CaseDocument.objects.filter(pk=document.pk).update(case=other)
    task = Task.objects.create(
        organisation=other.organisation,
        case=other,
        title="Unterlagen anfordern",
        due_on=other.opened_on,
        assignee=demo.users["cm_a"],
        created_by=demo.users["cm_a"],
    )
    client = login("po_a")
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 200  # reads it
    for name in RECORD_PAGES:
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name
    for name in DOCUMENT_PAGES:
        assert client.get(reverse(name, args=[document.pk])).status_code == 404, name
    assert client.post(reverse("cases:task_done", args=[task.pk])).status_code == 404
    before = Contact.objects.count()
    assert client.post(reverse("cases:contact_create", args=[other.pk]), _contact()).status_code == 404
    assert Contact.objects.count() == before
    task.refresh_from_db()
    assert task.done_on is None
    # Assigned to it, he records there too.
    Case.objects.filter(pk=other.pk).update(placement_officer=demo.users["po_a"])
    assert client.get(reverse("cases:profile_edit", args=[other.pk])).status_code == 200
    assert client.post(reverse("cases:task_done", args=[task.pk])).status_code == 302


@pytest.mark.parametrize("key", ["cm_b", "user_c", "coordinator", "dpo", "admin", "ruppin.admin"])
def test_other_partners_and_roles_stay_out(
    login: Callable[[str], Client], demo: DemoNetwork, key: str
) -> None:
    case = _case(demo)
    client = login(key)
    for name in RECORD_PAGES:
        assert client.get(reverse(name, args=[case.pk])).status_code == 404, name
    before = Contact.objects.count()
    assert client.post(reverse("cases:contact_create", args=[case.pk]), _contact()).status_code == 404
    assert Contact.objects.count() == before
