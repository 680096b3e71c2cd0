"""Reading a page writes at most its one audit event and leaves the session row alone.

The statements a GET sends are captured and counted (docs/decisions/0067): at most one
INSERT, into the audit table, and no write of django_session while the session's idle
period was restarted less than a minute ago. The idle timeout still ends an unused
session, to within that minute; stored timestamps are moved back instead of waiting.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.middleware import AUTH_AT, REFRESHED_AT
from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.core.selectors import AuditFilter, audit_events_filtered
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.privacy.subject_access import build_report
from tests.access_expectations import EXPECTATIONS
from tests.clients import verified_client

# Page → persona who may read it (the persona × URL matrix gives the URL's arguments).
PAGES = {
    "participants:list": "cm_a",
    "participants:detail": "cm_a",
    "cases:detail": "cm_a",
    "cases:timeline": "cm_a",
    "cases:caseload": "team_lead",
    "core:dashboard": "cm_a",
}
WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def _get(client: Client, url: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, _writes(queries)


def _named(event: AuditEvent) -> set[tuple[str, str]]:
    """Every record an event names, as (type, id)."""
    named = {(t, str(pk)) for t, ids in (event.object_ids or {}).items() for pk in ids}
    if event.object_id:
        named.add((event.object_type, event.object_id))
    return named


def _new_reads(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.READ, pk__gt=before).order_by("pk"))


def _last_event_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_a_page_read_writes_at_most_one_audit_insert_and_no_session(
    url_name: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    client = verified_client(persona(PAGES[url_name]))
    url = reverse(url_name, kwargs=EXPECTATIONS[url_name].kwargs(demo))
    before = _last_event_pk()
    _response, writes = _get(client, url)
    assert len(writes) <= 1, writes
    assert all(w.lstrip().upper().startswith("INSERT") and "core_auditevent" in w for w in writes), writes
    assert not any("django_session" in w for w in writes)
    assert len(_new_reads(before)) <= 1


def test_a_search_result_writes_one_event_naming_the_results(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    client = verified_client(persona("cm_a"))
    stored = client.post(reverse("participants:search"), {"q": "a"})  # stores the search: a write
    before = _last_event_pk()
    response, writes = _get(client, stored["Location"])
    shown = list(response.context["page"])
    assert len(shown) > 1  # a list, not a single record
    assert len(writes) == 1 and "core_auditevent" in writes[0]
    (event,) = _new_reads(before)
    assert event.object_ids == {"participants.participant": [p.pk for p in shown]}
    assert event.object_id == ""  # a list has no record of its own


def test_the_participant_list_event_names_exactly_the_records_shown(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    client = verified_client(persona("cm_a"))
    before = _last_event_pk()
    response, _writes = _get(client, reverse("participants:list"))
    shown = {("participants.participant", str(p.pk)) for p in response.context["page"]}
    (event,) = _new_reads(before)
    assert _named(event) == shown
    assert event.actor == persona("cm_a") and event.organisation == demo.partners["A"]


@pytest.mark.parametrize(
    ("url_name", "object_type"),
    [
        ("participants:detail", "participants.participant"),
        ("cases:detail", "cases.case"),
        ("cases:timeline", "cases.case"),
    ],
)
def test_a_record_page_event_keeps_its_record_in_object_type_and_id(
    url_name: str, object_type: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    kwargs = EXPECTATIONS[url_name].kwargs(demo)
    before = _last_event_pk()
    _get(verified_client(persona("cm_a")), reverse(url_name, kwargs=kwargs))
    (event,) = _new_reads(before)
    assert (event.object_type, event.object_id) == (object_type, str(kwargs["pk"]))


def test_the_dashboard_event_names_the_cases_it_lists(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    before = _last_event_pk()
    response, _writes = _get(verified_client(persona("cm_a")), reverse("core:dashboard"))
    cases = {("cases.case", str(case.pk)) for case in response.context["my_cases"]}
    assert cases
    (event,) = _new_reads(before)
    assert cases <= _named(event)


def test_a_refused_page_writes_no_read_event(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    case_of_a = EXPECTATIONS["cases:detail"].kwargs(demo)
    before = _last_event_pk()
    response = verified_client(persona("cm_b")).get(reverse("cases:detail", kwargs=case_of_a))
    assert response.status_code == 404
    assert _new_reads(before) == []


def test_reads_outside_a_request_are_written_at_once(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    from bruecke.core.audit import audit_read_all

    people = list(Participant.objects.filter(organisation=demo.partners["A"])[:3])
    before = _last_event_pk()
    assert audit_read_all(actor=persona("cm_a"), objs=[*people, people[0]]) == 3
    (event,) = _new_reads(before)
    assert event.object_ids == {"participants.participant": [p.pk for p in people]}


# Sessions: the idle period restarts at most once a minute.


def _move_back(client: Client, seconds: float) -> None:
    """As if `seconds` had passed since the session was last used."""
    session = client.session
    row = Session.objects.get(pk=session.session_key)
    for key in (AUTH_AT, REFRESHED_AT):
        session[key] = float(session[key]) - seconds
    session.save()
    earlier = row.expire_date - datetime.timedelta(seconds=seconds)
    Session.objects.filter(pk=row.pk).update(expire_date=earlier)


def _expiry(client: Client) -> datetime.datetime:
    return Session.objects.get(pk=client.session.session_key).expire_date


def test_a_due_refresh_writes_the_session_once_and_restarts_the_idle_period(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    client = verified_client(persona("cm_a"))
    _move_back(client, 61)
    old = _expiry(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("participants:list")).status_code == 200
    session_writes = [w for w in _writes(queries) if "django_session" in w]
    assert len(session_writes) == 1
    assert _expiry(client) >= old + datetime.timedelta(seconds=60)
    assert time.time() - float(client.session[REFRESHED_AT]) < 60


def test_an_idle_session_is_signed_out(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    client = verified_client(persona("cm_a"))
    _move_back(client, settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_session_used_every_fifty_seconds_stays(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    client = verified_client(persona("cm_a"))
    for _step in range(settings.SESSION_COOKIE_AGE // 50 + 3):  # longer than the idle limit
        _move_back(client, 50)
        assert client.get(reverse("core:dashboard")).status_code == 200
    left = _expiry(client) - timezone.now()
    assert left > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS)


def test_stay_signed_in_restarts_the_idle_period_at_once(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    client = verified_client(persona("cm_a"))
    _move_back(client, 30)  # refreshed recently: a page read would not save the session
    assert client.post(reverse("accounts:session_extend")).status_code == 204
    left = _expiry(client) - timezone.now()
    assert left > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


# Readers of the log keep their meaning.


def test_the_subject_access_report_counts_a_list_that_showed_the_person(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    client = verified_client(persona("cm_a"))
    response = client.get(reverse("participants:list"))
    person = list(response.context["page"])[-1]  # not the first: named only in object_ids
    report = build_report(participant=Participant.objects.get(pk=person.pk), user=persona("team_lead"))
    today = timezone.localdate()
    viewed = [a for a in report.access if a.day == today and a.action == str(AuditAction.READ.label)]
    assert sum(a.count for a in viewed) >= 1
    assert any(demo.partners["A"].name in a.organisation for a in viewed)


@pytest.mark.parametrize("with_type", [True, False])
def test_the_audit_log_record_filter_finds_a_list_read(
    with_type: bool, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    before = _last_event_pk()
    response = verified_client(persona("cm_a")).get(reverse("participants:list"))
    person = list(response.context["page"])[-1]
    (event,) = _new_reads(before)
    selected = AuditFilter(
        object_type="participants.participant" if with_type else "", object_id=str(person.pk), action="read"
    )
    assert event in audit_events_filtered(persona("dpo"), selected)
    other = AuditFilter(object_type="participants.participant", object_id="999999999", action="read")
    assert event not in audit_events_filtered(persona("dpo"), other)


def test_the_audit_log_shows_a_list_read_as_records_of_a_kind(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    response = verified_client(persona("cm_a")).get(reverse("participants:list"))
    shown = len(response.context["page"])
    page = verified_client(persona("dpo")).get(reverse("core:audit_log"), {"action": "read"}).content.decode()
    assert f"{shown} Datensätze angezeigt: Teilnehmende:r ({shown})" in page
