"""Optimistic locking (core.locking) and the case timeline (cases.services.timeline)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Assessment, Case, CaseEvent, Contact, EventKind
from bruecke.cases.services.contacts import contact_record
from bruecke.core.locking import EditConflict
from bruecke.core.models import AuditEvent
from bruecke.core.services import model_update
from bruecke.network.demo import DemoNetwork
from tests.conftest import QueryCounter
from tests.expectations_cases import _case

TODAY = datetime.date.today()


def test_a_save_from_the_current_version_bumps_it(demo: DemoNetwork) -> None:
    case = _case(demo)
    before = case.version
    updated, changed = model_update(
        actor=demo.users["cm_a"], instance=case, data={"pause_reason": "x"}, expected_version=before
    )
    assert changed == ["pause_reason"]
    assert updated.version == before + 1
    assert Case.objects.get(pk=case.pk).version == before + 1


def test_a_save_from_an_outdated_version_is_refused_and_saves_nothing(demo: DemoNetwork) -> None:
    case = _case(demo)
    loaded = case.version
    model_update(
        actor=demo.users["cm_a"], instance=case, data={"pause_reason": "first"}, expected_version=loaded
    )
    events = AuditEvent.objects.count()
    with pytest.raises(EditConflict):
        model_update(
            actor=demo.users["team_lead"],
            instance=case,
            data={"pause_reason": "second"},
            expected_version=loaded,
        )
    assert Case.objects.get(pk=case.pk).pause_reason == "first"
    assert AuditEvent.objects.count() == events


def _assessment_post(based_on: int) -> dict[str, str]:
    return {
        "assessed_on": TODAY.strftime("%d.%m.%Y"),
        "severity_german": "1",
        "based_on": str(based_on),
    }


def test_parallel_reassessment_gets_a_conflict_with_a_reload_link(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    url = reverse("cases:assessment_create", args=[case.pk])
    first, second = login("cm_a"), login("team_lead")
    loaded = first.get(url).context["form"]["based_on"].value()
    assert second.get(url).context["form"]["based_on"].value() == loaded
    assert first.post(url, _assessment_post(loaded)).status_code == 302
    count = Assessment.objects.count()
    response = second.post(url, _assessment_post(loaded))
    assert response.status_code == 400
    assert response.context["form"].conflict
    body = response.content.decode()
    assert "Bitte laden Sie die Seite neu" in body and f'href="{url}"' in body
    assert Assessment.objects.count() == count


def test_contacts_and_assessments_appear_on_the_timeline_without_notes(demo: DemoNetwork) -> None:
    case = _case(demo)
    contact = contact_record(
        actor=demo.users["cm_a"],
        contact=Contact(case=case, date=TODAY, duration_minutes=35, channel="phone", note="Geheim: Befund"),
    )
    event = CaseEvent.objects.get(
        kind=EventKind.CONTACT, object_type="cases.contact", object_id=str(contact.pk)
    )
    assert event.details == {"channel": "phone", "minutes": 35}
    assert event.occurred_on == TODAY and event.actor == demo.users["cm_a"]
    assert "Befund" not in str(event.details)
    kinds = set(case.events.values_list("kind", flat=True))
    assert {EventKind.OPENED, EventKind.CONTACT, EventKind.ASSESSMENT} <= kinds


def test_timeline_page_query_count_is_constant(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[[], QueryCounter]
) -> None:
    case = _case(demo)
    client = login("cm_a")
    url = reverse("cases:timeline", args=[case.pk])

    def measure() -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    few = measure()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=EventKind.CONTACT,
            details={"channel": "phone", "minutes": 5},
            actor=demo.users["cm_a"],
        )
        for _ in range(120)
    )
    assert measure() == few
    page = client.get(url + "?page=2")
    assert page.context["page"].number == 2
