"""Opportunities: list with filters and the expired badge, the opportunity page by scope,
recording and changing with the copies matching reads, open / fill / close, bad input."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork
from bruecke.placement.demo.employers import OTHER_PARTNER_EMPLOYER, OWN_EMPLOYER, SHARED_EMPLOYER
from bruecke.placement.models import (
    Employer,
    EmployerSite,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from bruecke.placement.services import opportunities as services
from tests.audit_reads import read_ids

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _named(name: str) -> Employer:
    return Employer.objects.get(name=name)


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def _titles(response: Any) -> list[str]:
    return [o.title for o in response.context["page"]]


def _data(employer: Employer, **overrides: Any) -> dict[str, Any]:
    site = EmployerSite.objects.filter(employer=employer).earliest("id")
    return {
        "title": "Helfer:in Küche (Test)",
        "kind": OpportunityKind.JOB,
        "occupation": "29301",
        "site": site.pk,
        "working_time": "part",
        "hours_per_week": "25",
        "german_level": "A2",
        "start_date": _day(20),
        "end_date": "",
        "places": "2",
        "expires_on": _day(10),
        **overrides,
    }


def _create_url(employer: Employer) -> str:
    return reverse("placement:opportunity_create") + f"?employer={employer.pk}"


# --- record ---------------------------------------------------------------------------


def test_create_copies_place_network_and_sharing(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(SHARED_EMPLOYER)
    response = login("po_a").post(_create_url(employer), _data(employer))
    assert response.status_code == 302
    opportunity = Opportunity.objects.get(title="Helfer:in Küche (Test)")
    site = opportunity.site
    assert site is not None
    assert (opportunity.latitude, opportunity.longitude) == (float(site.latitude), float(site.longitude))
    assert opportunity.network_id == demo.network.pk and opportunity.shared_with_network
    assert opportunity.organisation == demo.partners["A"] and opportunity.german_rank == 2
    assert response["Location"] == reverse("placement:opportunity_detail", args=[opportunity.pk])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "-5"}, "end_date"),
        ({"places": "0"}, "places"),
        ({"occupation": "99999"}, "occupation"),
        ({"occupation": "2930"}, "occupation"),
        ({"occupation": ""}, "occupation"),
        ({"kind": OpportunityKind.INTERNSHIP}, "internship_kind"),
        (
            {"kind": OpportunityKind.INTERNSHIP, "internship_kind": "orientation", "end_date": "+200"},
            "end_date",
        ),
        ({"start_date": "31.02.2027"}, "start_date"),
        ({"hours_per_week": "90"}, "hours_per_week"),
    ],
)
def test_create_bad_input_is_refused_next_to_the_field(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, str], field: str
) -> None:
    employer = _named(OWN_EMPLOYER)
    for key in ("end_date",):
        if overrides.get(key, "").startswith(("-", "+")):
            overrides[key] = _day(20 + int(overrides[key]))
    before = Opportunity.objects.count()
    response = login("po_a").post(_create_url(employer), _data(employer, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Opportunity.objects.count() == before


def test_unknown_code_message_names_the_code_in_german(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _named(OWN_EMPLOYER)
    response = login("po_a").post(_create_url(employer), _data(employer, occupation="99999"))
    assert "99999" in response.content.decode()
    assert "nicht im Berufekatalog" in response.content.decode()


def test_site_of_another_employer_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    employer = _named(OWN_EMPLOYER)
    other_site = EmployerSite.objects.filter(employer=_named(SHARED_EMPLOYER)).earliest("id")
    before = Opportunity.objects.count()
    response = login("po_a").post(_create_url(employer), _data(employer, site=other_site.pk))
    assert response.status_code == 400 and response.context["form"].errors["site"]
    assert Opportunity.objects.count() == before


def test_create_for_other_partners_employer_is_404(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    for name in (SHARED_EMPLOYER, OTHER_PARTNER_EMPLOYER):
        employer = _named(name)
        before = Opportunity.objects.count()
        response = login("cm_b" if name == SHARED_EMPLOYER else "po_a").post(
            _create_url(employer), _data(employer)
        )
        assert response.status_code == 404
        assert Opportunity.objects.count() == before


def test_create_without_employer_offers_own_employers(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("po_a").get(reverse("placement:opportunity_create"))
    names = [e.name for e in response.context["employers"]]
    assert OWN_EMPLOYER in names and OTHER_PARTNER_EMPLOYER not in names


# --- change and status ----------------------------------------------------------------


def test_edit_changes_site_and_copies_its_coordinates(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    employer = _named(OWN_EMPLOYER)
    second = EmployerSite.objects.create(
        employer=employer, town="Warnemünde", latitude="54.17", longitude="12.08"
    )
    opportunity = Opportunity.objects.filter(employer=employer).earliest("id")
    data = _data(employer, title=opportunity.title, site=second.pk, version=opportunity.version)
    response = login("po_a").post(reverse("placement:opportunity_edit", args=[opportunity.pk]), data)
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.site_id, opportunity.latitude, opportunity.longitude) == (second.pk, 54.17, 12.08)


def _status(client: Client, opportunity: Opportunity, status: str, reason: str = "") -> Any:
    opportunity.refresh_from_db()
    url = reverse("placement:opportunity_status", args=[opportunity.pk])
    return client.post(url, {"status": status, "reason": reason, "version": opportunity.version})


def test_status_changes_need_a_reason_and_follow_the_allowed_ways(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    opportunity = Opportunity.objects.filter(employer=_named(OWN_EMPLOYER), status="open").earliest("id")
    client = login("po_a")
    response = _status(client, opportunity, OpportunityStatus.FILLED)
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    assert _status(client, opportunity, OpportunityStatus.FILLED, "Alle Plätze besetzt").status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.status_reason) == ("filled", "Alle Plätze besetzt")
    assert _status(client, opportunity, OpportunityStatus.CLOSED, "Betrieb hat abgesagt").status_code == 302
    # closed → filled is no allowed way: the choice is not offered
    response = _status(client, opportunity, OpportunityStatus.FILLED, "x")
    assert response.status_code == 400 and response.context["form"].errors["status"]
    assert _status(client, opportunity, OpportunityStatus.OPEN).status_code == 302


def test_draft_without_occupation_cannot_be_published(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _named(OWN_EMPLOYER)
    draft = services.opportunity_create(
        actor=None,
        opportunity=Opportunity(
            employer=employer, title="Vom Betrieb gemeldet", kind="job", start_date=TODAY, status="draft"
        ),
    )
    response = _status(login("po_a"), draft, OpportunityStatus.OPEN)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.DRAFT


def test_stale_status_change_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    opportunity = Opportunity.objects.filter(employer=_named(OWN_EMPLOYER), status="open").earliest("id")
    url = reverse("placement:opportunity_status", args=[opportunity.pk])
    response = login("po_a").post(
        url, {"status": "closed", "reason": "x", "version": opportunity.version + 1}
    )
    assert response.status_code == 400
    opportunity.refresh_from_db()
    assert opportunity.status == "open"


# --- page and scope -------------------------------------------------------------------


def test_detail_shows_requirement_level_places_and_match_link(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    opportunity = Opportunity.objects.filter(employer=_named(OWN_EMPLOYER), occupation_id="51311").earliest(
        "id"
    )
    response = login("po_a").get(reverse("placement:opportunity_detail", args=[opportunity.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "51311" in body and "Helfer" in body
    assert "frei" in body
    assert reverse("placement:opportunity_edit", args=[opportunity.pk]) in body
    # "Passende Teilnehmende" links to the matching page where that page exists.
    try:
        matches = reverse("placement:opportunity_matches", args=[opportunity.pk])
    except NoReverseMatch:
        assert "Passende Teilnehmende" not in body
    else:
        assert f'href="{matches}"' in body and "Passende Teilnehmende" in body


def test_shared_opportunity_is_read_only_for_other_partner(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    opportunity = Opportunity.objects.filter(employer=_named(SHARED_EMPLOYER)).earliest("id")
    client = login("cm_b")
    body = client.get(reverse("placement:opportunity_detail", args=[opportunity.pk])).content.decode()
    assert opportunity.title in body
    assert reverse("placement:opportunity_edit", args=[opportunity.pk]) not in body
    assert client.get(reverse("placement:opportunity_edit", args=[opportunity.pk])).status_code == 404
    assert client.post(reverse("placement:opportunity_status", args=[opportunity.pk])).status_code == 404


def test_unshared_and_other_network_opportunities_are_404(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    own = Opportunity.objects.filter(employer=_named(OWN_EMPLOYER)).earliest("id")
    shared = Opportunity.objects.filter(employer=_named(SHARED_EMPLOYER)).earliest("id")
    assert login("cm_b").get(reverse("placement:opportunity_detail", args=[own.pk])).status_code == 404
    assert (
        login("ruppin.admin").get(reverse("placement:opportunity_detail", args=[shared.pk])).status_code
        == 404
    )


# --- list -----------------------------------------------------------------------------


def test_list_shows_open_by_default_and_filters(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("po_a")
    url = reverse("placement:opportunity_list")
    response = client.get(url)
    page = list(response.context["page"])
    assert page and all(o.status == "open" for o in page)
    assert [o.start_date for o in page] == sorted(o.start_date for o in page)
    assert all(
        o.kind == "apprenticeship" for o in client.get(url, {"kind": "apprenticeship"}).context["page"]
    )
    assert {o.occupation_id for o in client.get(url, {"occupation": "513"}).context["page"]} <= {
        "51311",
        "51312",
    }
    assert {o.occupation_id for o in client.get(url, {"occupation": "lagerwirt"}).context["page"]} == {
        "51311",
        "51312",
    }
    assert all(o.site.town == "Güstrow" for o in client.get(url, {"town": "güstrow"}).context["page"])
    assert {e.employer.name for e in client.get(url, {"employer": "hansa"}).context["page"]} == {OWN_EMPLOYER}
    later = client.get(url, {"start_from": _day(40)}).context["page"]
    assert all(o.start_date >= TODAY + datetime.timedelta(days=40) for o in later)
    shared = client.get(url, {"owner": "shared"}).context["page"]
    assert all(o.organisation_id != demo.partners["A"].pk for o in shared)
    assert "Hafenküche" not in client.get(url).content.decode()  # B's employer is not shared


def test_list_marks_expired_opportunities(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    employer = _named(OWN_EMPLOYER)
    services.opportunity_create(
        actor=persona("po_a"),
        opportunity=Opportunity(
            employer=employer,
            title="Abgelaufene Anzeige",
            kind="job",
            occupation_id="51311",
            start_date=TODAY,
            expires_on=TODAY - datetime.timedelta(days=1),
        ),
    )
    response = login("po_a").get(reverse("placement:opportunity_list"), {"employer": "hansa"})
    body = response.content.decode()
    row = body[body.index("Abgelaufene Anzeige") :]
    assert "abgelaufen" in row[: row.index("</tr>")]


def test_list_query_count_does_not_grow(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    count_queries: Callable[..., Any],
    persona: Callable[[str], User],
) -> None:
    employer = _named(OWN_EMPLOYER)
    site = EmployerSite.objects.filter(employer=employer).earliest("id")
    client = login("po_a")
    counts = []
    for batch in range(2):
        for i in range(10):
            services.opportunity_create(
                actor=persona("po_a"),
                opportunity=Opportunity(
                    employer=employer,
                    site=site,
                    title=f"Zusatz {batch}-{i}",
                    kind="job",
                    occupation_id="51311",
                    start_date=TODAY,
                ),
            )
        with count_queries() as ctx:
            assert client.get(reverse("placement:opportunity_list")).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_edit_form_names_the_current_occupation_and_level(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    opportunity = Opportunity.objects.filter(employer=_named(OWN_EMPLOYER), occupation_id="51312").earliest(
        "id"
    )
    body = login("po_a").get(reverse("placement:opportunity_edit", args=[opportunity.pk])).content.decode()
    assert "Derzeit: 51312 Berufe in der Lagerwirtschaft – Fachkraft (Fachkraft" in body


def test_opening_the_form_records_a_read_of_the_offered_contact_persons(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    from bruecke.placement.models import EmployerContact

    employer = _named(OWN_EMPLOYER)
    assert login("po_a").get(_create_url(employer)).status_code == 200
    contacts = EmployerContact.objects.filter(employer=employer, is_active=True)
    read = read_ids("placement.employercontact", actor=persona("po_a"))
    assert contacts and {str(c.pk) for c in contacts} <= read
