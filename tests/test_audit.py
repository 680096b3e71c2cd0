from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.core.audit import audit_record
from bruecke.core.models import AppendOnlyError, AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import ConsultationHour, Organisation


def _events(obj_type: str, obj_id: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj_type, object_id=str(obj_id)))


def test_update_through_the_page_records_field_names_not_values(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    team = demo.teams["Rostock"]
    response = login("admin").post(
        reverse("network:team_edit", args=[team.pk]),
        {
            "network": demo.network.pk,
            "name": team.name,
            "region": "Rostock und Umgebung",
            "office": team.office_id,
            "is_active": "on",
            "version": team.version,
        },
    )
    assert response.status_code == 302
    (event,) = _events("network.team", team.pk)[:1]
    assert event.action == AuditAction.UPDATE
    assert event.changed_fields == ["region"]
    assert event.actor == demo.users["admin"]
    assert event.organisation is None
    assert len(event.request_id) == 16
    # The new value is nowhere in the event.
    assert "Umgebung" not in str(AuditEvent.objects.filter(pk=event.pk).values().get())


def test_a_client_chosen_request_id_never_reaches_the_audit_log(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """The header is anyone's to send; the audit log's request id must be the server's."""
    chosen = "forged-request-id-0001"
    team = demo.teams["Rostock"]
    response = login("admin").post(
        reverse("network:team_edit", args=[team.pk]),
        {
            "network": demo.network.pk,
            "name": team.name,
            "region": "Rostock Stadt",
            "office": team.office_id,
            "is_active": "on",
            "version": team.version,
        },
        headers={"X-Request-ID": chosen},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type="network.team", object_id=str(team.pk)).latest("pk")
    assert event.action == AuditAction.UPDATE
    assert event.request_id != chosen
    assert len(event.request_id) == 16
    assert response["X-Request-ID"] == event.request_id
    assert not AuditEvent.objects.filter(request_id=chosen).exists()


def test_the_client_request_id_is_logged_apart_from_ours() -> None:
    import logging

    from django.test import RequestFactory

    from bruecke.core.middleware import RequestIdLogFilter, RequestIdMiddleware

    seen: list[logging.LogRecord] = []

    def view(request: Any) -> Any:
        from django.http import HttpResponse

        record = logging.LogRecord("t", logging.INFO, __file__, 1, "m", None, None)
        RequestIdLogFilter().filter(record)
        seen.append(record)
        return HttpResponse()

    response = RequestIdMiddleware(view)(
        RequestFactory().get("/", headers={"X-Request-ID": "proxy-id-12345"})
    )
    (record,) = seen
    assert getattr(record, "client_request_id", None) == "proxy-id-12345"
    assert getattr(record, "request_id", None) == response["X-Request-ID"] != "proxy-id-12345"


def test_failed_service_leaves_neither_record_nor_event(demo: DemoNetwork) -> None:
    from bruecke.network.services import consultation_hour_create

    existing = ConsultationHour.objects.filter(team=demo.teams["Rostock"]).first()
    assert existing is not None
    clash = ConsultationHour(
        site=existing.site,
        team=existing.team,
        weekday=existing.weekday,
        start_time=existing.start_time,
        end_time=existing.end_time,
        valid_from=existing.valid_from,
    )
    before = AuditEvent.objects.count(), ConsultationHour.objects.count()
    with pytest.raises(ValidationError) as error:
        consultation_hour_create(actor=demo.users["admin"], hour=clash)
    assert "start_time" in error.value.message_dict
    assert (AuditEvent.objects.count(), ConsultationHour.objects.count()) == before


def test_audit_is_rolled_back_with_the_change(demo: DemoNetwork) -> None:
    """The event is written in the caller's transaction: it cannot outlive a rolled-back write."""
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=demo.users["admin"], action=AuditAction.UPDATE, obj=demo.partners["A"])
        raise RuntimeError
    assert AuditEvent.objects.count() == before


def test_events_cannot_be_changed_or_deleted_through_the_orm(demo: DemoNetwork) -> None:
    event = audit_record(actor=demo.users["admin"], action=AuditAction.READ, obj=demo.partners["A"])
    event.action = AuditAction.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_update_behind_the_orm(demo: DemoNetwork) -> None:
    event = audit_record(actor=demo.users["admin"], action=AuditAction.READ, obj=demo.partners["A"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [event.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger exists on PostgreSQL only")
def test_postgresql_refuses_delete_behind_the_orm(demo: DemoNetwork) -> None:
    event = audit_record(actor=demo.users["admin"], action=AuditAction.READ, obj=demo.partners["A"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def test_viewing_a_staff_record_writes_a_read_event(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    anna = demo.users["cm_a"]
    login("admin").get(reverse("network:staff_detail", args=[anna.pk]))
    events = _events("accounts.user", anna.pk)
    assert events[0].action == AuditAction.READ
    assert events[0].actor == demo.users["admin"]


def _audit_page(client: Client, **params: Any) -> str:
    response = client.get(reverse("core:audit_log"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_dpo_filters_the_log_by_user_object_and_time(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    admin, anna = demo.users["admin"], demo.users["cm_a"]
    audit_record(actor=admin, action=AuditAction.UPDATE, obj=demo.partners["A"], changed_fields=["town"])
    audit_record(actor=anna, action=AuditAction.READ, obj=demo.partners["A"])
    dpo = login("dpo")
    by_anna = _audit_page(dpo, actor=anna.pk, action="read")
    assert "1 Ereignis" in by_anna
    assert "Anna Berger" in by_anna
    by_object = _audit_page(dpo, object_type="network.organisation", object_id=demo.partners["A"].pk)
    assert '<td class="kern-table__cell">Ort</td>' in by_object  # the field's label, not "town"
    today = timezone.localdate()
    tomorrow = (today + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    assert "keine Ereignisse" in _audit_page(dpo, date_from=tomorrow)
    reversed_range = _audit_page(dpo, date_from=tomorrow, date_until=today.strftime("%d.%m.%Y"))
    assert 'aria-invalid="true"' in reversed_range


def test_dpo_sees_nothing_of_other_partners(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    leyla = demo.users["cm_b"]  # partner B
    audit_record(actor=leyla, action=AuditAction.UPDATE, obj=demo.partners["B"], changed_fields=["name"])
    page = _audit_page(login("dpo"), actor=leyla.pk)
    # Leyla is not staff of the DPO's organisation: not a valid choice, and not in the log.
    assert "Leyla" not in page
    assert "keine Ereignisse" in _audit_page(
        login("dpo"), object_type="network.organisation", object_id=demo.partners["B"].pk
    )


def test_audit_list_has_constant_query_count(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., object]
) -> None:
    dpo = login("dpo")
    dpo.get(reverse("core:audit_log"))
    counts = []
    for _round in range(2):
        for user in User.objects.filter(memberships__organisation=demo.partners["A"])[:5]:
            audit_record(actor=user, action=AuditAction.READ, obj=demo.partners["A"])
        with count_queries() as ctx:  # type: ignore[attr-defined]
            assert dpo.get(reverse("core:audit_log")).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_organisation_of_event_is_recorded(demo: DemoNetwork) -> None:
    office = demo.teams["Rostock"].office
    assert office is not None
    event = audit_record(actor=None, action=AuditAction.UPDATE, obj=office)
    assert event.organisation == office.organisation
    assert isinstance(event.organisation, Organisation)
