"""Employers: list with filters, the employer page by scope, the forms and their services
(sites with coordinates from the place catalogue, contact persons, contacts with the
employer), sharing copied to the opportunities."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.placement.demo.employers import (
    OTHER_PARTNER_EMPLOYER,
    OWN_EMPLOYER,
    SHARED_EMPLOYER,
    STALE_EMPLOYER,
)
from bruecke.placement.models import (
    CooperationStatus,
    Employer,
    EmployerActivity,
    EmployerContact,
    EmployerSite,
    Opportunity,
    Place,
    Sector,
)
from bruecke.placement.services import employers as services
from bruecke.spreadsheets.models import ExternalKey
from tests.audit_reads import read_ids, reads_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _named(name: str) -> Employer:
    return Employer.objects.get(name=name)


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def _names(response: Any) -> list[str]:
    return [e.name for e in response.context["page"]]


# --- list -----------------------------------------------------------------------------


def test_list_shows_own_and_shared_employers_only(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("cm_b").get(reverse("placement:employer_list"))
    names = _names(response)
    assert response.status_code == 200
    assert SHARED_EMPLOYER in names and OTHER_PARTNER_EMPLOYER in names
    assert OWN_EMPLOYER not in names and STALE_EMPLOYER not in names
    assert "geteilt von" in response.content.decode() or "shared by" in response.content.decode()


def test_list_search_is_folded_and_filters_combine(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("po_a")
    url = reverse("placement:employer_list")
    assert _names(client.get(url, {"q": "HANSA lager"})) == [OWN_EMPLOYER]
    assert "Gasthaus Güstrower Schloss" in _names(client.get(url, {"q": "gustrower"}))
    assert "Gasthaus Güstrower Schloss" in _names(client.get(url, {"q": "Guestrower"}))
    assert _names(client.get(url, {"q": "gastrower"})) == []
    assert _names(client.get(url, {"sector": Sector.Q, "owner": "own"})) == [SHARED_EMPLOYER]
    shared = _names(login("cm_b").get(url, {"owner": "shared"}))
    assert shared == [SHARED_EMPLOYER]
    stale = _names(client.get(url, {"weeks": "12"}))
    assert STALE_EMPLOYER in stale and OWN_EMPLOYER not in stale
    status = _names(client.get(url, {"status": CooperationStatus.ACTIVE}))
    assert OWN_EMPLOYER in status and STALE_EMPLOYER not in status


def test_list_bad_filter_shows_message_and_all(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("po_a").get(reverse("placement:employer_list"), {"weeks": "zwölf"})
    assert response.status_code == 200
    assert response.context["filters"].errors["weeks"]


def test_list_query_count_does_not_grow_with_employers(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    count_queries: Callable[..., Any],
    persona: Callable[[str], User],
) -> None:
    client = login("po_a")
    url = reverse("placement:employer_list")
    counts = []
    for batch in range(2):
        for i in range(8):
            employer = services.employer_create(
                actor=persona("po_a"),
                employer=Employer(
                    organisation=demo.partners["A"], name=f"Zusatz {batch}-{i}", sector=Sector.C
                ),
            )
            services.site_create(
                actor=persona("po_a"),
                site=EmployerSite(
                    employer=employer, town="Rostock", latitude=Decimal("54.1"), longitude=Decimal("12.1")
                ),
            )
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


# --- employer page and scope ----------------------------------------------------------


def test_own_employer_page_shows_contacts_history_and_audits_contacts(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    employer = _named(OWN_EMPLOYER)
    contact = EmployerContact.objects.filter(employer=employer).earliest("id")
    response = login("po_a").get(reverse("placement:employer_detail", args=[employer.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert contact.name in body and contact.phone in body
    assert reverse("placement:employer_edit", args=[employer.pk]) in body
    assert len(response.context["activities"]) == EmployerActivity.objects.filter(employer=employer).count()
    assert str(contact.pk) in read_ids("placement.employercontact", actor=persona("po_a"))


def test_case_manager_reads_own_employer_but_cannot_change_it(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _named(OWN_EMPLOYER)
    client = login("cm_a")
    body = client.get(reverse("placement:employer_detail", args=[employer.pk])).content.decode()
    assert reverse("placement:employer_edit", args=[employer.pk]) not in body
    assert client.get(reverse("placement:employer_edit", args=[employer.pk])).status_code == 404


def test_shared_employer_is_read_only_without_contact_persons(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _named(SHARED_EMPLOYER)
    contact = EmployerContact.objects.filter(employer=employer).earliest("id")
    client = login("cm_b")
    response = client.get(reverse("placement:employer_detail", args=[employer.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert employer.name in body
    assert contact.name not in body and contact.phone not in body
    assert "activities" not in response.context
    for name in ("placement:employer_edit", "placement:site_create", "placement:employer_contact_create"):
        assert client.get(reverse(name, args=[employer.pk])).status_code == 404
    assert client.get(reverse("placement:employer_contact_edit", args=[contact.pk])).status_code == 404


def test_other_partners_unshared_employer_is_404_and_nothing_is_saved(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _named(OTHER_PARTNER_EMPLOYER)
    client = login("po_a")
    assert client.get(reverse("placement:employer_detail", args=[employer.pk])).status_code == 404
    before = EmployerSite.objects.filter(employer=employer).count()
    response = client.post(
        reverse("placement:site_create", args=[employer.pk]),
        {"town": "Rostock", "latitude": "54.1", "longitude": "12.1"},
    )
    assert response.status_code == 404
    assert EmployerSite.objects.filter(employer=employer).count() == before
    response = client.post(
        reverse("placement:employer_activity_create", args=[employer.pk]), {"date": _day(0), "kind": "phone"}
    )
    assert response.status_code == 404
    assert not EmployerActivity.objects.filter(
        employer=employer, recorded_by__username="jonas.krause"
    ).exists()


def test_other_network_sees_no_shared_employer(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(SHARED_EMPLOYER)
    client = login("ruppin.admin")
    assert client.get(reverse("placement:employer_detail", args=[employer.pk])).status_code == 404
    assert client.get(reverse("placement:employer_list")).status_code == 404


# --- create and change ----------------------------------------------------------------


def _employer_data(**overrides: str) -> dict[str, str]:
    return {"name": "Bäckerei Möller", "sector": "C", "size_band": "10-49", "website": "", **overrides}


def test_create_employer_belongs_to_own_organisation_and_is_audited(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("po_a").post(reverse("placement:employer_create"), _employer_data())
    employer = Employer.objects.get(name="Bäckerei Möller")
    assert response.status_code == 302
    assert employer.organisation == demo.partners["A"]
    assert employer.search_name == "backerei moller"
    assert _names(login("po_a").get(reverse("placement:employer_list"), {"q": "baeckerei"})) == [
        employer.name
    ]
    assert employer.cooperation_status == CooperationStatus.PROSPECT and not employer.shared_with_network
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(employer.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"name": ""}, "name"), ({"sector": "Z"}, "sector"), ({"website": "kein link"}, "website")],
)
def test_create_employer_bad_input_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, str], field: str
) -> None:
    before = Employer.objects.count()
    response = login("po_a").post(reverse("placement:employer_create"), _employer_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Employer.objects.count() == before


def test_case_manager_cannot_create_employers(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    before = Employer.objects.count()
    assert login("cm_a").post(reverse("placement:employer_create"), _employer_data()).status_code == 404
    assert Employer.objects.count() == before


def test_sharing_change_is_copied_to_the_opportunities(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _named(OWN_EMPLOYER)
    assert Opportunity.objects.filter(employer=employer).exists()
    data = {
        "name": employer.name,
        "sector": employer.sector,
        "size_band": employer.size_band,
        "cooperation_status": employer.cooperation_status,
        "shared_with_network": "on",
        "version": employer.version,
    }
    response = login("po_a").post(reverse("placement:employer_edit", args=[employer.pk]), data)
    assert response.status_code == 302
    assert not Opportunity.objects.filter(employer=employer, shared_with_network=False).exists()
    opportunity = Opportunity.objects.filter(employer=employer).earliest("id")
    events = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(opportunity.pk))
    assert any("shared_with_network" in e.changed_fields for e in events)
    # cm_b (partner B) now reads the opportunity
    assert (
        login("cm_b").get(reverse("placement:opportunity_detail", args=[opportunity.pk])).status_code == 200
    )


def test_stale_version_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(OWN_EMPLOYER)
    data = {
        "name": "Neuer Name",
        "sector": "H",
        "cooperation_status": "active",
        "version": employer.version - 1,
    }
    response = login("po_a").post(reverse("placement:employer_edit", args=[employer.pk]), data)
    assert response.status_code == 400
    assert _named(OWN_EMPLOYER).version == employer.version


# --- sites ----------------------------------------------------------------------------


def test_site_without_coordinates_and_no_place_asks_for_them(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    Place.objects.filter(postcode="18055").delete()
    Place.objects.filter(search_name="nirgendwo").delete()
    employer = _named(OWN_EMPLOYER)
    before = EmployerSite.objects.filter(employer=employer).count()
    response = login("po_a").post(
        reverse("placement:site_create", args=[employer.pk]), {"town": "Nirgendwo", "postcode": "18055"}
    )
    assert response.status_code == 400
    assert "Koordinaten" in str(response.context["form"].errors["latitude"])
    assert EmployerSite.objects.filter(employer=employer).count() == before


def test_site_coordinates_come_from_postcode_then_town(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    # Places the shipped catalogue of Mecklenburg-Vorpommern does not have.
    Place.objects.create(
        name="Kühlheide", postcode="18999", latitude=Decimal("54.15"), longitude=Decimal("11.75")
    )
    Place.objects.create(name="Testin", postcode="", latitude=Decimal("54.03"), longitude=Decimal("12.46"))
    employer = _named(OWN_EMPLOYER)
    client = login("po_a")
    url = reverse("placement:site_create", args=[employer.pk])
    assert client.post(url, {"town": "Kuehlheide", "postcode": "18999"}).status_code == 302
    assert client.post(url, {"town": "testin", "postcode": ""}).status_code == 302
    sites = EmployerSite.objects.filter(employer=employer).order_by("-id")[:2]
    assert (sites[1].latitude, sites[1].longitude) == (Decimal("54.15"), Decimal("11.75"))
    assert (sites[0].latitude, sites[0].longitude) == (Decimal("54.03"), Decimal("12.46"))


def test_site_half_coordinates_are_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(OWN_EMPLOYER)
    response = login("po_a").post(
        reverse("placement:site_create", args=[employer.pk]), {"town": "Rostock", "latitude": "54.1"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["longitude"]


def test_site_move_updates_its_opportunities(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(OWN_EMPLOYER)
    site = EmployerSite.objects.filter(employer=employer).earliest("id")
    data = {"name": site.name, "street": site.street, "postcode": site.postcode, "town": site.town}
    data |= {"latitude": "54.00000", "longitude": "12.00000", "is_active": "on", "version": str(site.version)}
    assert login("po_a").post(reverse("placement:site_edit", args=[site.pk]), data).status_code == 302
    coordinates = set(Opportunity.objects.filter(site=site).values_list("latitude", "longitude"))
    assert coordinates == {(54.0, 12.0)}


# --- contact persons and contacts -----------------------------------------------------


def test_contact_person_create_and_bad_email(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(OWN_EMPLOYER)
    client = login("po_a")
    url = reverse("placement:employer_contact_create", args=[employer.pk])
    response = client.post(url, {"name": "Erika Muster", "email": "keine-adresse"})
    assert response.status_code == 400 and response.context["form"].errors["email"]
    assert not EmployerContact.objects.filter(name="Erika Muster").exists()
    assert client.post(url, {"name": "Erika Muster", "email": "erika@example.org"}).status_code == 302
    assert EmployerContact.objects.get(name="Erika Muster").employer == employer


def test_recording_a_contact_keeps_last_contact_and_moves_prospect(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    employer = services.employer_create(
        actor=persona("po_a"), employer=Employer(organisation=demo.partners["A"], name="Neu GmbH", sector="F")
    )
    client = login("po_a")
    url = reverse("placement:employer_activity_create", args=[employer.pk])
    assert client.post(url, {"date": _day(-3), "kind": "phone", "note": "Erstkontakt"}).status_code == 302
    employer.refresh_from_db()
    assert employer.last_contact_on == TODAY - datetime.timedelta(days=3)
    assert employer.cooperation_status == CooperationStatus.CONTACTED
    # an older contact recorded later does not move the last contact back
    assert client.post(url, {"date": _day(-30), "kind": "visit"}).status_code == 302
    employer.refresh_from_db()
    assert employer.last_contact_on == TODAY - datetime.timedelta(days=3)
    assert EmployerActivity.objects.filter(employer=employer).count() == 2


def test_activity_with_other_employers_contact_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _named(OWN_EMPLOYER)
    foreign = EmployerContact.objects.filter(employer=_named(STALE_EMPLOYER)).earliest("id")
    before = EmployerActivity.objects.filter(employer=employer).count()
    response = login("po_a").post(
        reverse("placement:employer_activity_create", args=[employer.pk]),
        {"date": _day(0), "kind": "phone", "contact": foreign.pk},
    )
    assert response.status_code == 400 and response.context["form"].errors["contact"]
    assert EmployerActivity.objects.filter(employer=employer).count() == before


def test_activity_with_absurd_date_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(OWN_EMPLOYER)
    response = login("po_a").post(
        reverse("placement:employer_activity_create", args=[employer.pk]),
        {"date": "31.02.2026", "kind": "phone"},
    )
    assert response.status_code == 400 and response.context["form"].errors["date"]


# --- demo -----------------------------------------------------------------------------


def test_demo_has_employers_with_opportunities_for_each_team(demo: DemoNetwork) -> None:
    # The employers of the placement demo (partner A also has three from the demo import).
    imported = ExternalKey.objects.filter(entity="employers").values("object_id")
    for key in ("A", "B", "C", "D"):
        employers = Employer.objects.filter(organisation=demo.partners[key]).exclude(pk__in=imported)
        assert 3 <= employers.count() <= 5
        assert all(e.sites.exists() and e.contacts.exists() for e in employers)
        assert Opportunity.objects.filter(organisation=demo.partners[key], status="open").count() >= 4
    stale = _named(STALE_EMPLOYER)
    assert stale.last_contact_on is not None
    assert stale.last_contact_on < TODAY - datetime.timedelta(weeks=12)
    assert Employer.objects.filter(organisation=demo.partners["A"], shared_with_network=True).count() == 1


# --- placements at the employer -------------------------------------------------------


def test_placements_are_named_for_the_team_and_counted_for_others(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    from bruecke.placement.models import Placement
    from tests.expectations_cases import _case

    case = _case(demo)
    employer = _named(SHARED_EMPLOYER)
    placement = Placement.objects.create(
        case=case,
        participant=case.participant,
        team=case.team,
        organisation=case.organisation,
        employer=employer,
        kind="employment",
        start_date=TODAY,
        created_by=persona("po_a"),
    )
    url = reverse("placement:employer_detail", args=[employer.pk])
    name = case.participant.full_name
    own = login("po_a").get(url)
    assert name in own.content.decode() and own.context["placements_hidden"] == 0
    assert reads_of("placement.placement", placement.pk, actor=persona("po_a"))
    other = login("cm_b").get(url)
    body = other.content.decode()
    assert name not in body and case.participant.family_name not in body
    assert other.context["placements"] == [] and other.context["placements_hidden"] == 1
    assert "1 weitere Vermittlung" in body


def test_employer_page_query_count_does_not_grow(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    count_queries: Callable[..., Any],
    persona: Callable[[str], User],
) -> None:
    employer = _named(OWN_EMPLOYER)
    client = login("po_a")
    url = reverse("placement:employer_detail", args=[employer.pk])
    counts = []
    for batch in range(2):
        for i in range(4):
            contact = services.contact_create(
                actor=persona("po_a"), contact=EmployerContact(employer=employer, name=f"Person {batch}-{i}")
            )
            employer.refresh_from_db()
            services.activity_create(
                actor=persona("po_a"),
                activity=EmployerActivity(employer=employer, date=TODAY, kind="phone", contact=contact),
            )
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]
