"""Every page that shows a participant's personal data writes a read event.

The walk reuses the persona × URL matrix: each URL is opened by an authorised persona, and a
page whose HTML contains a participant's name or birth date must have appended a `read`
event during that request. New pages are covered as soon as they enter the matrix.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils.html import escape

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.access_expectations import EXPECTATIONS, MEMBERS
from tests.clients import verified_client

# A subject access report is the fullest read of all and is recorded as such.
READ_ACTIONS = [AuditAction.READ, AuditAction.SUBJECT_ACCESS]
# The persona tried first is the one who sees most participant records.
READERS = ["cm_a", "team_lead", "po_a", *MEMBERS]


def _reader(url_name: str) -> str | None:
    expect = EXPECTATIONS[url_name]
    if expect.method != "get":
        return None
    return next((key for key in READERS if expect.status(key) == 200), None)


def _personal_data_markers() -> list[bytes]:
    """Text that only appears where a participant's record is shown: full names, family
    names (as HTML-escaped in templates) and full birth dates (a bare year is too common)."""
    markers: set[str] = set()
    for participant in Participant.objects.all():
        markers.add(participant.full_name)
        if len(participant.family_name) >= 5:
            markers.add(participant.family_name)
        if participant.birth_day is not None and not participant.birth_date_is_placeholder:
            markers.add(participant.birth_date_display)
    return [escape(m).encode() for m in markers if m]


PAGES = sorted(name for name in EXPECTATIONS if _reader(name) is not None)


@pytest.mark.parametrize("url_name", PAGES)
def test_page_with_personal_data_writes_read_event(
    url_name: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    key = _reader(url_name)
    assert key is not None
    expect = EXPECTATIONS[url_name]
    url = reverse(url_name, kwargs=expect.kwargs(demo))
    client = verified_client(persona(key))
    before = AuditEvent.objects.filter(action__in=READ_ACTIONS).count()
    response = client.get(url)
    assert response.status_code == 200, (url_name, key)
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return
    shown = [m.decode() for m in _personal_data_markers() if m in response.content]
    if shown:
        reads = AuditEvent.objects.filter(action__in=READ_ACTIONS).count() - before
        assert reads > 0, f"{url_name} ({url}) shows {shown[:3]} without a read event"


# Edit and delete forms show the whole record: opening one is a read of that record.
EDIT_PAGES = {
    "participants:edit": "participants.participant",
    "cases:edit": "cases.case",
    "cases:document_edit": "cases.casedocument",
    "cases:document_delete": "cases.casedocument",
    "cases:task_edit": "cases.task",
}


@pytest.mark.parametrize("url_name", sorted(EDIT_PAGES))
def test_edit_and_delete_forms_record_a_read_of_their_record(
    url_name: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    expect = EXPECTATIONS[url_name]
    pk = expect.kwargs(demo)["pk"]
    client = verified_client(persona("cm_a"))
    reads = AuditEvent.objects.filter(
        action=AuditAction.READ, object_type=EDIT_PAGES[url_name], object_id=str(pk)
    )
    before = reads.count()
    assert client.get(reverse(url_name, kwargs={"pk": pk})).status_code == 200
    assert reads.count() == before + 1


def test_name_search_records_a_read_of_each_result(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    client = verified_client(persona("cm_a"))
    found = client.post(reverse("participants:search"), {"q": "Hassan"}, follow=True)
    shown = list(found.context["page"])
    assert [p.full_name for p in shown] == ["Mohammed Al-Hassan"]
    events = AuditEvent.objects.filter(action=AuditAction.READ, object_type="participants.participant")
    assert events.filter(object_id=str(shown[0].pk), actor=persona("cm_a")).exists()


def test_the_walk_recognises_a_page_with_personal_data(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    """Guards the walk itself: the markers must match what a participant page shows."""
    expect = EXPECTATIONS["participants:detail"]
    page = verified_client(persona("cm_a")).get(reverse("participants:detail", kwargs=expect.kwargs(demo)))
    assert any(marker in page.content for marker in _personal_data_markers())
