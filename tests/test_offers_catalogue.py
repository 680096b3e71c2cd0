"""The catalogue of measures and providers: list filters and query count, duplicates caught
(with the confirmation checkbox), validation of levels, capacity and dates, scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import Measure, MeasureKind, MeasureStart, Provider, ProviderKind
from bruecke.offers.services import catalogue as services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def _vhs(demo: DemoNetwork) -> Provider:
    return Provider.objects.get(organisation=demo.partners["A"], name="Volkshochschule Rostock")


def _titles(response: Any) -> list[str]:
    return [m.title for m in response.context["page"]]


def _provider_post(**values: str) -> dict[str, str]:
    return {"kind": ProviderKind.ADULT_EDUCATION, "name": "", "town": "Rostock", **values}


def _measure_post(provider: Provider, **values: str) -> dict[str, str]:
    return {"provider": str(provider.pk), "kind": MeasureKind.QUALIFICATION, "title": "", **values}


# --- list -------------------------------------------------------------------------------


def test_measure_list_shows_network_entries_with_next_start(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("cm_b").get(reverse("offers:measure_list"))
    assert response.status_code == 200
    measures = {m.title: m for m in response.context["page"]}
    assert "Deutsch am Abend A2" in measures  # partner A's entry, read by partner B
    assert measures["Deutsch am Abend A2"].next_start == TODAY + datetime.timedelta(days=14)
    assert measures["Rechtsberatung zu Aufenthalt und Arbeit"].next_start is None
    assert "Volkshochschule Rostock" in response.content.decode()


def test_measure_list_filters_combine(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    url = reverse("offers:measure_list")
    assert _titles(client.get(url, {"kind": MeasureKind.JOB_LANGUAGE_COURSE})) == [
        "Berufssprachkurs B2 Pflege"
    ]
    assert _titles(client.get(url, {"provider_kind": ProviderKind.NETWORK_PARTNER})) == [
        "Psychosoziale Erstberatung"
    ]
    assert _titles(client.get(url, {"town": "greifswald"})) == ["Psychosoziale Erstberatung"]
    assert _titles(client.get(url, {"q": "DEUTSCH abend"})) == ["Deutsch am Abend A2"]
    assert _titles(client.get(url, {"language": "Arabisch"})) == []
    assert "Deutsch am Abend A2" in _titles(client.get(url, {"language": "deutsch"}))


def test_measure_list_bad_filter_input_is_harmless(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    url = reverse("offers:measure_list")
    response = client.get(url, {"kind": "nonsense", "q": "' OR '1'='1"})
    assert response.status_code == 200
    assert response.context["filters"].errors["kind"]
    assert client.get(url, {"q": "x" * 500}).status_code == 200
    assert client.get(url, {"page": "999"}).status_code == 200


def test_measure_list_hides_inactive_unless_asked(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    measure = Measure.objects.get(title="Deutsch am Abend A2")
    services.measure_update(
        actor=persona("cm_a"), measure=measure, data={"is_active": False}, expected_version=measure.version
    )
    client = login("cm_a")
    url = reverse("offers:measure_list")
    assert "Deutsch am Abend A2" not in _titles(client.get(url))
    assert "Deutsch am Abend A2" in _titles(client.get(url, {"inactive": "on"}))


def test_measure_list_query_count_does_not_grow(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    count_queries: Callable[..., Any],
    persona: Callable[[str], User],
) -> None:
    client = login("cm_a")
    url = reverse("offers:measure_list")
    counts = []
    for batch in range(2):
        for i in range(6):
            provider = services.provider_create(
                actor=persona("cm_a"),
                provider=Provider(
                    organisation=demo.partners["A"],
                    kind=ProviderKind.OTHER,
                    name=f"Träger {batch}-{i}",
                    town="Wismar",
                ),
            )
            measure = services.measure_create(
                actor=persona("cm_a"),
                measure=Measure(
                    organisation=demo.partners["A"],
                    provider=provider,
                    kind=MeasureKind.OTHER,
                    title=f"Kurs {batch}-{i}",
                ),
            )
            services.start_create(actor=persona("cm_a"), start=MeasureStart(measure=measure, starts_on=TODAY))
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_provider_list_and_page_show_its_measures(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("coordinator")
    response = client.get(reverse("offers:provider_list"), {"q": "volkshochschule"})
    assert [p.name for p in response.context["page"]] == ["Volkshochschule Rostock"]
    page = client.get(reverse("offers:provider_detail", args=[_vhs(demo).pk]))
    assert {m.title for m in page.context["measures"]} == {
        "Deutsch am Abend A2",
        "Berufssprachkurs B2 Pflege",
    }
    assert not page.context["can_write"]
    assert reverse("offers:provider_edit", args=[_vhs(demo).pk]) not in page.content.decode()


# --- duplicates -------------------------------------------------------------------------


def test_provider_duplicate_is_refused_with_the_existing_entry_then_confirmed(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_b")  # partner B: the VHS was recorded by partner A in the same network
    url = reverse("offers:provider_create")
    assert "confirm_different" not in client.get(url).content.decode()
    response = client.post(url, _provider_post(name="volkshochschule  ROSTOCK", town="rostock"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Volkshochschule Rostock" in response.context["form"].errors["name"][0]
    assert reverse("offers:provider_detail", args=[_vhs(demo).pk]) in html
    assert 'name="confirm_different"' in html
    assert Provider.objects.filter(name__iexact="volkshochschule  rostock").count() == 0
    # Sent again without ticking the box: still refused.
    assert (
        client.post(url, _provider_post(name="Volkshochschule Rostock", confirm_different="")).status_code
        == 400
    )
    response = client.post(url, _provider_post(name="Volkshochschule Rostock", confirm_different="on"))
    assert response.status_code == 302
    assert Provider.objects.filter(name="Volkshochschule Rostock").count() == 2


@pytest.mark.parametrize("name", ["VHS Rostock", "Volkshochschule Rostock e.V.", "V.H.S. Rostock"])
def test_provider_near_duplicates_are_caught(
    demo: DemoNetwork, persona: Callable[[str], User], name: str
) -> None:
    provider = Provider(
        organisation=demo.partners["A"], kind=ProviderKind.ADULT_EDUCATION, name=name, town="Rostock"
    )
    with pytest.raises(services.DuplicateEntry) as caught:
        services.provider_create(actor=persona("cm_a"), provider=provider)
    assert [str(p) for p in caught.value.existing] == ["Volkshochschule Rostock"]


def test_provider_same_name_in_another_town_or_network_is_no_duplicate(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    other_town = Provider(
        organisation=demo.partners["A"], kind=ProviderKind.ADULT_EDUCATION, name="VHS", town="Wismar"
    )
    assert services.provider_duplicates(other_town) == []
    other_network = demo.second_network.organisations.first()
    assert other_network is not None
    elsewhere = Provider(
        organisation=other_network,
        kind=ProviderKind.ADULT_EDUCATION,
        name="Volkshochschule Rostock",
        town="Rostock",
    )
    assert services.provider_duplicates(elsewhere) == []


def test_provider_edit_keeping_its_name_is_no_duplicate_but_renaming_into_one_is(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    provider = Provider.objects.get(name="Refugee Law Clinic Rostock")
    client = login("cm_a")
    url = reverse("offers:provider_edit", args=[provider.pk])
    base = {
        "kind": provider.kind,
        "name": provider.name,
        "town": "Rostock",
        "is_active": "on",
        "version": str(provider.version),
    }
    assert client.post(url, {**base, "phone": "0381 123"}).status_code == 302
    provider.refresh_from_db()
    response = client.post(url, {**base, "name": "VHS Rostock", "version": str(provider.version)})
    assert response.status_code == 400
    provider.refresh_from_db()
    assert provider.name == "Refugee Law Clinic Rostock"


def test_measure_duplicate_is_refused_then_confirmed(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    url = reverse("offers:measure_create")
    post = _measure_post(
        _vhs(demo), kind=MeasureKind.LANGUAGE_COURSE, title="deutsch am  abend a2", target_level="A2"
    )
    response = client.post(url, post)
    assert response.status_code == 400
    existing = Measure.objects.get(title="Deutsch am Abend A2")
    assert reverse("offers:measure_detail", args=[existing.pk]) in response.content.decode()
    assert "Deutsch am Abend A2" in response.context["form"].errors["title"][0]
    # Same title but another type is a different measure.
    other_kind = {**post, "kind": MeasureKind.INTEGRATION_COURSE}
    assert client.post(url, other_kind).status_code == 302
    assert client.post(url, {**post, "confirm_different": "on"}).status_code == 302
    assert Measure.objects.filter(title_key="deutsch am abend a2").count() == 3


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "level", "field_error"),
    [
        (MeasureKind.JOB_LANGUAGE_COURSE, "", True),
        (MeasureKind.JOB_LANGUAGE_COURSE, "B2", False),
        (MeasureKind.LANGUAGE_COURSE, "", False),
        (MeasureKind.INTEGRATION_COURSE, "B1", False),
        (MeasureKind.QUALIFICATION, "B1", True),
        (MeasureKind.LEGAL_AID, "A1", True),
    ],
)
def test_target_level_rules(
    login: Callable[[str], Client], demo: DemoNetwork, kind: str, level: str, field_error: bool
) -> None:
    response = login("cm_a").post(
        reverse("offers:measure_create"),
        _measure_post(_vhs(demo), kind=kind, title="Neuer Kurs", target_level=level),
    )
    if field_error:
        assert response.status_code == 400
        assert response.context["form"].errors["target_level"]
        assert not Measure.objects.filter(title="Neuer Kurs").exists()
    else:
        assert response.status_code == 302


@pytest.mark.parametrize("level", ["B3", "b1", "Z9", "A1'; --"])
def test_levels_that_are_not_levels_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork, level: str
) -> None:
    response = login("cm_a").post(
        reverse("offers:measure_create"),
        _measure_post(_vhs(demo), kind=MeasureKind.LANGUAGE_COURSE, title="Kurs X", target_level=level),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["target_level"]


@pytest.mark.parametrize("capacity", ["0", "10001", "-3", "zehn"])
def test_capacity_out_of_range_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork, capacity: str
) -> None:
    response = login("cm_a").post(
        reverse("offers:measure_create"), _measure_post(_vhs(demo), title="Kurs Y", capacity=capacity)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"]
    assert not Measure.objects.filter(title="Kurs Y").exists()


def test_capacity_limits_are_accepted(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    for capacity in ("1", "10000"):
        post = _measure_post(_vhs(demo), title=f"Kurs {capacity}", capacity=capacity)
        assert client.post(reverse("offers:measure_create"), post).status_code == 302


def test_start_date_end_before_start_and_twice_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    measure = Measure.objects.get(title="Deutsch am Abend A2")
    client = login("po_a")
    url = reverse("offers:measure_start_create", args=[measure.pk])
    before = measure.starts.count()
    response = client.post(url, {"starts_on": _day(30), "ends_on": _day(29)})
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"]
    existing = measure.starts.earliest("starts_on").starts_on.strftime("%d.%m.%Y")
    response = client.post(url, {"starts_on": existing})
    assert response.status_code == 400
    assert response.context["form"].errors["starts_on"]
    assert client.post(url, {"starts_on": _day(30), "ends_on": _day(120)}).status_code == 302
    assert measure.starts.count() == before + 1
    assert client.post(url, {"starts_on": "31.02.2027"}).status_code == 400


def test_partner_must_be_of_the_own_network(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    foreign = demo.second_network.organisations.first()
    provider = Provider(
        organisation=demo.partners["A"],
        kind=ProviderKind.NETWORK_PARTNER,
        name="Fremder Partner",
        town="Berlin",
        partner=foreign,
    )
    with pytest.raises(ValidationError) as caught:
        services.provider_create(actor=persona("cm_a"), provider=provider)
    assert "partner" in caught.value.message_dict
    provider.partner = None
    with pytest.raises(ValidationError):
        services.provider_create(actor=persona("cm_a"), provider=provider)
    provider.partner = demo.partners["B"]
    assert services.provider_create(actor=persona("cm_a"), provider=provider).pk


def test_partner_of_another_network_cannot_be_chosen_in_the_form(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    foreign = demo.second_network.organisations.first()
    assert foreign is not None
    response = login("cm_a").post(
        reverse("offers:provider_create"),
        _provider_post(kind=ProviderKind.NETWORK_PARTNER, name="Irgendwer", partner=str(foreign.pk)),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["partner"]


def test_mass_assigned_organisation_is_ignored(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("cm_a").post(
        reverse("offers:provider_create"),
        _provider_post(name="Bildungswerk Warnow", organisation=str(demo.partners["B"].pk)),
    )
    assert response.status_code == 302
    assert Provider.objects.get(name="Bildungswerk Warnow").organisation == demo.partners["A"]


# --- deactivation, scope and audit ------------------------------------------------------


def test_measure_with_referrals_is_deactivated_not_deleted(
    demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    from bruecke.cases.models import Case
    from bruecke.offers.models import Referral

    measure = Measure.objects.get(title="Deutsch am Abend A2")
    case = Case.objects.filter(organisation=demo.partners["A"]).earliest("id")
    Referral.objects.create(
        organisation=case.organisation,
        case=case,
        participant=case.participant,
        measure=measure,
        status_on=TODAY,
        created_by=persona("cm_a"),
    )
    assert services.measure_remove(actor=persona("cm_a"), measure=measure) is False
    measure.refresh_from_db()
    assert measure.is_active is False
    # A measure of its own: the demo refers participants to most of the catalogue.
    lonely = Measure.objects.create(
        organisation=measure.organisation, provider=measure.provider, kind="other", title="Infoabend Wohnen"
    )
    pk = lonely.pk
    assert services.measure_remove(actor=persona("cm_a"), measure=lonely) is True
    assert not Measure.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(pk)).exists()


def test_other_partner_cannot_change_or_add_starts(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    measure = Measure.objects.get(title="Deutsch am Abend A2")
    client = login("cm_b")
    assert client.get(reverse("offers:measure_detail", args=[measure.pk])).status_code == 200
    assert client.post(reverse("offers:measure_edit", args=[measure.pk]), {"title": "x"}).status_code == 404
    assert (
        client.post(
            reverse("offers:measure_start_create", args=[measure.pk]), {"starts_on": _day(3)}
        ).status_code
        == 404
    )
    assert client.get(reverse("offers:measure_detail", args=[10**12])).status_code == 404


def test_measure_edit_is_audited_and_versioned(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    measure = Measure.objects.get(title="Berufssprachkurs B2 Pflege")
    client = login("team_lead")
    url = reverse("offers:measure_edit", args=[measure.pk])
    post = {
        "provider": str(measure.provider_id),
        "kind": measure.kind,
        "title": measure.title,
        "target_level": "B2",
        "capacity": "20",
        "is_active": "on",
        "version": str(measure.version),
    }
    assert client.post(url, post).status_code == 302
    measure.refresh_from_db()
    assert measure.capacity == 20
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(measure.pk)).latest("id")
    assert "capacity" in event.changed_fields
    # The same (now stale) version again: a conflict, nothing saved.
    assert client.post(url, {**post, "capacity": "5"}).status_code == 400
    measure.refresh_from_db()
    assert measure.capacity == 20
