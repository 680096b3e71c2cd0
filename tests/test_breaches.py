"""The breach register (Art. 33/34 GDPR): validated, scoped, audited, encrypted, locked."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role
from bruecke.privacy.demo import seed_breach
from bruecke.privacy.models import Breach, BreachRisk, BreachStatus
from bruecke.privacy.services import breach_record

NEW = "privacy:breach_create"


def _stamp(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _data(**overrides: Any) -> dict[str, Any]:
    detected = timezone.now() - datetime.timedelta(hours=5)
    data: dict[str, Any] = {
        "detected_at": _stamp(detected),
        "occurred_from": "",
        "occurred_until": "",
        "title": "Laptop im Zug verloren",
        "description": "Dienstlaptop mit verschlüsselter Festplatte im Regionalexpress liegen gelassen.",
        "categories": ["identity", "counselling"],
        "persons_affected": "40",
        "consequences": "",
        "measures": "Gerät gesperrt, Passwörter geändert.",
        "risk": BreachRisk.NOT_ASSESSED,
        "authority_notified_at": "",
        "authority_reference": "",
        "notification_reason": "",
        "persons_informed_on": "",
        "persons_not_informed_reason": "",
        "status": BreachStatus.OPEN,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _edit_data(breach: Breach, **overrides: Any) -> dict[str, Any]:
    values = _data(
        detected_at=_stamp(breach.detected_at),
        occurred_from=breach.occurred_from.strftime("%d.%m.%Y") if breach.occurred_from else "",
        title=breach.title,
        description=breach.description,
        categories=breach.categories,
        persons_affected=str(breach.persons_affected or ""),
        measures=breach.measures,
        version=str(breach.version),
    )
    values.update(overrides)
    return values


def test_record_a_breach_with_its_deadline(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("dpo")
    response = client.post(reverse(NEW), _data())
    breach = Breach.objects.get(title="Laptop im Zug verloren")
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:breach_edit", args=[breach.pk])
    assert breach.organisation == demo.partners["A"]
    assert breach.recorded_by == demo.users["dpo"]
    assert breach.categories == ["identity", "counselling"]
    assert breach.notification_due == breach.detected_at + datetime.timedelta(hours=72)
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="privacy.breach", object_id=str(breach.pk)
    )
    assert "description" in event.changed_fields
    assert all("Laptop" not in name for name in event.changed_fields)
    page = client.get(response["Location"]).content.decode()
    assert "fällig bis" in page
    assert timezone.localtime(breach.notification_due).strftime("%d.%m.%Y %H:%M") in page


def test_the_texts_are_stored_encrypted(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    login("dpo").post(reverse(NEW), _data())
    breach = Breach.objects.get(title="Laptop im Zug verloren")
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, measures FROM privacy_breach WHERE id = %s", [breach.pk])
        description, measures = cursor.fetchone()
    assert "Dienstlaptop" not in description and "gesperrt" not in measures


IN_FUTURE = _stamp(timezone.now() + datetime.timedelta(days=2))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"detected_at": IN_FUTURE}, "detected_at"),
        ({"detected_at": "31.02.2026 10:00"}, "detected_at"),
        ({"detected_at": ""}, "detected_at"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Laptop\x00"}, "title"),
        ({"description": ""}, "description"),
        ({"description": "d" * 5001}, "description"),
        ({"categories": ["everything"]}, "categories"),
        ({"persons_affected": "-3"}, "persons_affected"),
        ({"persons_affected": "viele"}, "persons_affected"),
        ({"risk": "tiny"}, "risk"),
        ({"occurred_from": "03.12.2026", "occurred_until": "01.12.2026"}, "occurred_until"),
        ({"occurred_from": "01.01.2099"}, "occurred_from"),
        ({"authority_notified_at": "01.01.2020 09:00"}, "authority_notified_at"),
        ({"authority_notified_at": IN_FUTURE}, "authority_notified_at"),
        ({"persons_informed_on": "01.01.2020"}, "persons_informed_on"),
        ({"status": BreachStatus.CLOSED}, "risk"),
        ({"status": BreachStatus.CLOSED, "risk": BreachRisk.NONE}, "notification_reason"),
        ({"status": BreachStatus.CLOSED, "risk": BreachRisk.RISK}, "authority_notified_at"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, Any], field: str
) -> None:
    before = Breach.objects.count(), AuditEvent.objects.count()
    response = login("dpo").post(reverse(NEW), _data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert f'id="id_{field}' in response.content.decode()
    assert (Breach.objects.count(), AuditEvent.objects.count()) == before


def test_late_notification_needs_the_reasons(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    detected = timezone.now() - datetime.timedelta(days=5)
    late = _data(
        detected_at=_stamp(detected), authority_notified_at=_stamp(detected + datetime.timedelta(hours=80))
    )
    client = login("dpo")
    refused = client.post(reverse(NEW), late)
    assert refused.status_code == 400
    assert "notification_reason" in refused.context["form"].errors
    assert (
        client.post(reverse(NEW), {**late, "notification_reason": "Erst am Montag erkannt."}).status_code
        == 302
    )


def test_closing_a_high_risk_breach_needs_the_people_informed(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("dpo")
    breach = seed_breach(demo)
    notified = _stamp(breach.detected_at + datetime.timedelta(hours=3))
    url = reverse("privacy:breach_edit", args=[breach.pk])
    closing = _edit_data(
        breach, risk=BreachRisk.HIGH, authority_notified_at=notified, status=BreachStatus.CLOSED
    )
    refused = client.post(url, closing)
    assert refused.status_code == 400 and "persons_informed_on" in refused.context["form"].errors
    informed = timezone.localdate().strftime("%d.%m.%Y")
    assert client.post(url, {**closing, "persons_informed_on": informed}).status_code == 302
    breach.refresh_from_db()
    assert breach.status == BreachStatus.CLOSED and breach.version == 2
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(breach.pk)).first()
    assert event is not None
    assert set(event.changed_fields) == {"risk", "authority_notified_at", "persons_informed_on", "status"}


def test_an_outdated_edit_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    breach = seed_breach(demo)
    url = reverse("privacy:breach_edit", args=[breach.pk])
    client = login("dpo")
    assert client.post(url, _edit_data(breach, persons_affected="2")).status_code == 302
    stale = client.post(url, _edit_data(breach, persons_affected="3"))  # still version 1
    assert stale.status_code == 400
    assert "Reload the current version" in stale.content.decode() or "neu laden" in stale.content.decode()
    breach.refresh_from_db()
    assert breach.persons_affected == 2


def test_overdue_notifications_are_flagged_on_the_list_and_the_dashboard(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    breach = seed_breach(demo)
    Breach.objects.filter(pk=breach.pk).update(detected_at=timezone.now() - datetime.timedelta(hours=80))
    client = login("dpo")
    for url in (reverse("privacy:breach_list"), reverse("core:dashboard")):
        page = client.get(url).content.decode()
        assert 'class="kern-badge kern-badge--danger overdue"' in page and "überschritten seit" in page, url
    Breach.objects.filter(pk=breach.pk).update(risk=BreachRisk.NONE)
    calm = client.get(reverse("privacy:breach_list")).content.decode()
    assert 'class="kern-badge kern-badge--danger overdue"' not in calm


def test_another_organisations_officer_sees_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    breach = seed_breach(demo)
    officer_b = demo.users["cm_b"]
    Membership.objects.create(
        user=officer_b, organisation=demo.partners["B"], role=Role.DATA_PROTECTION_OFFICER
    )
    client = login("cm_b")
    assert client.get(reverse("privacy:breach_edit", args=[breach.pk])).status_code == 404
    assert breach.title not in client.get(reverse("privacy:breach_list")).content.decode()
    # With one register there is nothing to choose: a forged organisation is ignored.
    assert client.post(reverse(NEW), _data(organisation=str(demo.partners["A"].pk))).status_code == 302
    assert Breach.objects.get(title="Laptop im Zug verloren").organisation == demo.partners["B"]
    # With two, the choice offers only the officer's own organisations.
    Membership.objects.create(
        user=officer_b, organisation=demo.partners["C"], role=Role.DATA_PROTECTION_OFFICER
    )
    second = _data(title="Zweiter Vorfall", organisation=str(demo.partners["A"].pk))
    forged = client.post(reverse(NEW), second)
    assert forged.status_code == 400 and "organisation" in forged.context["form"].errors
    assert not Breach.objects.filter(title="Zweiter Vorfall").exists()


def test_viewing_a_breach_is_audited(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    breach = seed_breach(demo)
    login("dpo").get(reverse("privacy:breach_edit", args=[breach.pk]))
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="privacy.breach", object_id=str(breach.pk)
    ).exists()


def test_the_list_query_count_does_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    client = login("dpo")
    counts = []
    for batch in (2, 40):
        Breach.objects.bulk_create(
            Breach(
                organisation=demo.partners["A"],
                detected_at=timezone.now() - datetime.timedelta(hours=i),
                title=f"Vorfall {i}",
                description="x",
                recorded_by=demo.users["dpo"],
            )
            for i in range(batch)
        )
        with count_queries() as ctx:
            assert client.get(reverse("privacy:breach_list")).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_high_risk_breaches_near_the_deadline_stand_out_in_the_list(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    breach = seed_breach(demo)
    client = login("dpo")
    detected = timezone.now() - datetime.timedelta(hours=60)  # 12 hours left
    Breach.objects.filter(pk=breach.pk).update(
        detected_at=detected, risk=BreachRisk.HIGH, authority_notified_at=None
    )
    page = client.get(reverse("privacy:breach_list")).content.decode()
    # Words a screen reader reads, a marked row and a bar, not colour alone.
    assert "weniger als 24 Stunden übrig" in page and "Dringend:" in page
    assert "urgent-row" in page and 'class="kern-badge kern-badge--warning urgent due-soon"' in page
    Breach.objects.filter(pk=breach.pk).update(detected_at=timezone.now() - datetime.timedelta(hours=5))
    calm = client.get(reverse("privacy:breach_list")).content.decode()
    assert "weniger als 24 Stunden übrig" not in calm and "Dringend:" in calm  # high risk, time left
    Breach.objects.filter(pk=breach.pk).update(authority_notified_at=timezone.now())
    done = client.get(reverse("privacy:breach_list")).content.decode()
    assert "urgent-row" not in done and "Dringend:" not in done


def test_a_breach_form_refuses_a_discovery_in_year_one(login: Callable[[str], Client]) -> None:
    before = Breach.objects.count()
    response = login("dpo").post(reverse(NEW), _data(detected_at="01.01.0001 10:00"))
    assert response.status_code == 400
    assert "detected_at" in response.context["form"].errors
    assert Breach.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("detected_at", datetime.datetime(1, 1, 2, 10, 0, tzinfo=datetime.UTC)),
        ("occurred_from", datetime.date(1, 1, 1)),
        ("persons_informed_on", datetime.date(1899, 12, 31)),
    ],
)
def test_the_service_refuses_absurd_years_without_a_form(demo: DemoNetwork, field: str, value: Any) -> None:
    officer = demo.users["dpo"]
    membership = Membership.objects.filter(user=officer).first()
    assert membership is not None
    breach = Breach(
        organisation=membership.organisation,
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        title="Test",
        description="x",
        measures="y",
    )
    setattr(breach, field, value)
    before = Breach.objects.count()
    with pytest.raises(ValidationError) as raised:
        breach_record(actor=officer, breach=breach)
    assert field in raised.value.message_dict
    assert Breach.objects.count() == before
