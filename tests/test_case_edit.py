"""Editing a case (with optimistic locking), pausing and resuming, deleting (team leads)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Assessment, Case, CaseEvent, CaseStatus, Contact
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from tests.expectations_cases import _case, _mohammed


def _edit_data(demo: DemoNetwork, case: Case, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_manager": case.case_manager_id,
        "placement_officer": case.placement_officer_id or "",
        "team": case.team_id or "",
        "office": case.office_id or "",
        "version": case.version,
    }
    return {**data, **overrides}


def _edit(client: Client, case: Case, data: dict[str, Any]) -> Any:
    return client.post(reverse("cases:edit", args=[case.pk]), data)


def test_editing_a_case_records_the_changed_fields(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    response = _edit(login("cm_a"), case, _edit_data(demo, case, placement_officer=""))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.placement_officer is None and case.version == 2
    event = CaseEvent.objects.filter(case=case, kind="case_changed").get()
    assert event.details == {"fields": ["placement_officer"]}
    audit = AuditEvent.objects.filter(action="update", object_type="cases.case", object_id=str(case.pk)).get()
    assert audit.changed_fields == ["placement_officer"]
    timeline = login("cm_a").get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "Falldaten geändert</strong>: Vermittler:in" in timeline


def test_an_outdated_edit_gets_a_conflict_and_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    loaded = _edit_data(demo, case)
    assert _edit(login("team_lead"), case, {**loaded, "placement_officer": ""}).status_code == 302
    response = _edit(login("cm_a"), case, {**loaded, "team": ""})
    assert response.status_code == 400 and response.context["form"].conflict
    case.refresh_from_db()
    assert case.team == demo.teams["Rostock"] and case.placement_officer is None
    assert CaseEvent.objects.filter(case=case, kind="case_changed").count() == 1


@pytest.mark.parametrize(
    ("field", "key"),
    [("case_manager", "cm_b"), ("placement_officer", "user_c"), ("case_manager", "po_a")],
)
def test_staff_of_another_partner_or_role_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork, field: str, key: str
) -> None:
    case = _case(demo)
    response = _edit(login("cm_a"), case, _edit_data(demo, case, **{field: demo.users[key].pk}))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert Case.objects.get(pk=case.pk).version == case.version


def test_an_office_of_another_partner_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    office = demo.teams["Greifswald"].office
    assert office is not None
    response = _edit(login("cm_a"), case, _edit_data(demo, case, office=office.pk))
    assert response.status_code == 400 and "office" in response.context["form"].errors


def test_pause_needs_a_reason_and_resume_reactivates(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    url = reverse("cases:pause", args=[case.pk])
    client = login("cm_a")
    for bad in ("", "   ", "a\x00b", "x" * 301):
        response = client.post(url, {"reason": bad, "version": case.version})
        assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert client.post(url, {"reason": "Sprachkurs Vollzeit", "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.pause_reason) == (CaseStatus.PAUSED, "Sprachkurs Vollzeit")
    # Pausing twice is refused; resuming brings it back.
    assert client.post(url, {"reason": "nochmal", "version": case.version}).status_code == 400
    response = client.post(reverse("cases:resume", args=[case.pk]), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.pause_reason) == (CaseStatus.ACTIVE, "")
    details = list(
        CaseEvent.objects.filter(case=case, kind="status").order_by("id").values_list("details", flat=True)
    )
    assert details == [{"from": "active", "to": "paused"}, {"from": "paused", "to": "active"}]
    timeline = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "Sprachkurs Vollzeit" not in timeline  # the reason stays out of the timeline


def test_an_outdated_pause_gets_a_conflict(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    loaded = case.version
    _edit(login("team_lead"), case, _edit_data(demo, case, placement_officer=""))
    response = login("cm_a").post(
        reverse("cases:pause", args=[case.pk]), {"reason": "Urlaub", "version": loaded}
    )
    assert response.status_code == 400 and response.context["form"].conflict
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_only_the_team_lead_deletes_a_case(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    url = reverse("cases:delete", args=[case.pk])
    for key in ("cm_a", "po_a", "cm_b", "user_c", "coordinator", "dpo", "admin"):
        assert login(key).get(url).status_code == 404
        assert login(key).post(url, {"reason": "duplicate", "confirm": "on"}).status_code == 404
    assert Case.objects.filter(pk=case.pk).exists()
    lead = login("team_lead")
    assert lead.get(url).status_code == 200
    assert lead.post(url, {"reason": "duplicate"}).status_code == 400  # not confirmed
    assert lead.post(url, {"reason": "Doppelt angelegt", "confirm": "on"}).status_code == 400  # no free text
    assert Case.objects.filter(pk=case.pk).exists()


def test_deleting_removes_the_case_with_its_records_and_audits_it(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    contacts = list(case.contacts.values_list("pk", flat=True))
    assert contacts and case.assessments.exists() and case.events.exists()
    response = login("team_lead").post(
        reverse("cases:delete", args=[case.pk]), {"reason": "duplicate", "confirm": "on"}
    )
    assert response["Location"] == reverse("participants:detail", args=[_mohammed(demo).pk])
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Contact.objects.filter(pk__in=contacts).exists()
    assert not Assessment.objects.filter(case_id=case.pk).exists()
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="cases.case", object_id=str(case.pk))
    assert event.changed_fields == ["reason:duplicate"] and event.organisation == demo.partners["A"]
    deleted_contacts = AuditEvent.objects.filter(action="delete", object_type="cases.contact")
    assert sorted(int(pk) for pk in deleted_contacts.values_list("object_id", flat=True)) == sorted(contacts)
    assert AuditEvent.objects.filter(action="delete", object_type="cases.assessment").count() == 2
    assert AuditEvent.objects.filter(action="delete", object_type="cases.caseevent").exists()
    # The demo case's plan (with its frozen versions), profile and document go too.
    for object_type in ("cases.plan", "cases.planversion", "cases.profile", "cases.casedocument"):
        assert AuditEvent.objects.filter(action="delete", object_type=object_type).exists(), object_type
    assert login("cm_a").get(reverse("participants:detail", args=[_mohammed(demo).pk])).status_code == 200


def test_a_case_with_esf_exit_data_cannot_be_deleted(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """ESF evidence has its own retention period: the exit record protects the case."""
    closed = Case.objects.get(participant__family_name="Hussein", organisation=demo.partners["A"])
    response = login("team_lead").post(
        reverse("cases:delete", args=[closed.pk]), {"reason": "duplicate", "confirm": "on"}
    )
    assert response.status_code == 400
    assert Case.objects.filter(pk=closed.pk).exists()
