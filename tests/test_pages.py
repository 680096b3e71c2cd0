"""Page-level checks: no third-party hosts, constant query counts, the network page, the demo."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from bruecke.accounts.models import User
from bruecke.core.models import AuditEvent
from bruecke.network.demo import PARTNERS, DemoNetwork, seed_network
from bruecke.network.models import (
    ConsultationHour,
    Membership,
    MobileSite,
    Network,
    Office,
    Role,
    SiteKind,
    Team,
)
from tests.access_expectations import EXPECTATIONS

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//(?!testserver|127\.0\.0\.1|localhost)"""
)


@pytest.mark.parametrize("key", ["admin", "dpo", "cm_a"])
def test_no_page_references_another_host(login: Callable[[str], Client], demo: DemoNetwork, key: str) -> None:
    client = login(key)
    checked = 0
    for name, expect in EXPECTATIONS.items():
        if expect.method != "get" or expect.status(key) != 200:
            continue
        response = client.get(reverse(name, kwargs=expect.kwargs(demo)))
        if response.streaming or not expect.is_page:  # file downloads are not pages
            continue
        body = response.content.decode()
        assert not EXTERNAL.search(body), f"{name} references another host"
        assert "https://" not in response["Content-Security-Policy"]
        checked += 1
    assert checked >= 4


def test_templates_and_static_files_name_no_other_host() -> None:
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.*")]:
        assert not EXTERNAL.search(path.read_text(encoding="utf-8")), path


@override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
def test_a_configured_tile_server_is_the_only_other_host(login: Callable[[str], Client]) -> None:
    response = login("cm_a").get(reverse("network:network_page"))
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org;" in policy
    assert policy.count("https://") == 1


def test_network_page_lists_and_maps_the_users_network_only(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("user_c").get(reverse("network:network_page"))
    points = json.loads(re.search(r'id="map-points"[^>]*>(.*?)</script>', response.content.decode(), re.S)[1])  # type: ignore[index]
    offices = Office.objects.filter(organisation__network=demo.network).count()
    sites = MobileSite.objects.filter(network=demo.network).count()
    assert len(points) == offices + sites
    assert {p["kind"] for p in points} == {"office", "site"}
    assert all(50 < p["lat"] < 55 and 10 < p["lon"] < 15 for p in points)
    body = response.content.decode()
    assert "Neuruppin" not in body and "Kyritz" not in body
    for region in (
        "Westmecklenburg",
        "Mittleres Mecklenburg",
        "Mecklenburgische Seenplatte",
        "Vorpommern-Greifswald",
    ):
        assert region in body
    second = login("ruppin.berater").get(reverse("network:network_page")).content.decode()
    assert "Kyritz" in second and "Wismar" not in second


def test_inactive_sites_and_expired_hours_are_not_shown(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    site = MobileSite.objects.get(name="Rathaus Wismar")
    MobileSite.objects.filter(pk=site.pk).update(is_active=False)
    body = login("cm_a").get(reverse("network:network_page")).content.decode()
    assert "Rathaus Wismar" not in body


def _add_network_rows(demo: DemoNetwork, n: int) -> None:
    for i in range(n):
        team = Team.objects.create(network=demo.network, name=f"Extra {n}-{i}", region=f"Region {i}")
        site = MobileSite.objects.create(
            network=demo.network,
            name=f"Ort {n}-{i}",
            kind=SiteKind.OTHER,
            town="Ort",
            latitude=Decimal("53.5"),
            longitude=Decimal("12.5"),
        )
        ConsultationHour.objects.create(
            site=site, team=team, weekday=i % 5, start_time="08:00", end_time="09:00"
        )
        user = User.objects.create(username=f"extra{n}-{i}", last_name=f"Extra {i}")
        Membership.objects.create(
            user=user, organisation=demo.partners["A"], team=team, role=Role.CASE_MANAGER
        )


@pytest.mark.parametrize(
    ("key", "url_name"),
    [
        ("cm_a", "network:network_page"),
        ("admin", "network:manage"),
        ("admin", "network:staff_list"),
        ("cm_a", "core:dashboard"),
    ],
)
def test_list_pages_keep_a_constant_query_count(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    count_queries: Callable[..., object],
    key: str,
    url_name: str,
) -> None:
    client = login(key)
    counts = []
    for n in (1, 6):
        _add_network_rows(demo, n)
        with count_queries() as ctx:  # type: ignore[attr-defined]
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1], counts


def test_demo_network_shape(demo: DemoNetwork) -> None:
    assert demo.network.organisations.count() == len(PARTNERS) == 5
    assert demo.network.organisations.filter(is_lead_partner=True).count() == 1
    teams = Team.objects.filter(network=demo.network)
    assert sorted(t.region for t in teams) == [
        "Mecklenburgische Seenplatte",
        "Mittleres Mecklenburg",
        "Vorpommern-Greifswald",
        "Westmecklenburg",
    ]
    for team in teams:
        roles = set(Membership.objects.filter(team=team).values_list("role", flat=True))
        assert {Role.CASE_MANAGER, Role.PLACEMENT_OFFICER} <= roles, team
    assert MobileSite.objects.filter(network=demo.network).count() >= 10
    assert Network.objects.filter(name__contains="Ostprignitz-Ruppin").exists()
    assert demo.users["user_c"].memberships.get().organisation == demo.partners["C"]


def test_seed_demo_is_idempotent(demo: DemoNetwork) -> None:
    # The command seeds more than the tests' fixed demo (the placement day): once first.
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = [m.objects.count() for m in (User, Membership, Team, MobileSite, ConsultationHour)]
    events = AuditEvent.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seed_network()
    assert [m.objects.count() for m in (User, Membership, Team, MobileSite, ConsultationHour)] == counts
    assert AuditEvent.objects.count() == events


def test_bootstrap_admin_creates_the_first_administrator(
    db: None, mailoutbox: list[object], django_capture_on_commit_callbacks: object
) -> None:
    from django.core.management.base import CommandError

    from bruecke.core import access
    from bruecke.core.access import Perm

    args = ["--network", "Netzwerk Uckermark", "--organisation", "Träger Prenzlau", "--town", "Prenzlau"]
    person = [
        "--username",
        "uckermark.admin",
        "--email",
        "admin@example.org",
        "--first-name",
        "Ute",
        "--last-name",
        "Kern",
    ]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        call_command("bootstrap_admin", *args, *person, stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(username="uckermark.admin")
    assert not user.has_usable_password() and user.get_full_name() == "Ute Kern"
    assert access.network_ids(user, Perm.MANAGE_NETWORK) == {
        Network.objects.get(name="Netzwerk Uckermark").pk
    }
    assert len(mailoutbox) == 1
    with pytest.raises(CommandError):
        call_command("bootstrap_admin", *args, *person, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_network_page_shows_the_next_seven_days_from_today(
    login: Callable[[str], Client], demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a Saturday the page shows Saturday to Friday, not the Monday to Sunday nearly over."""
    saturday = datetime.date(2026, 1, 10)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: saturday)
    team = Team.objects.create(network=demo.network, name="Wochenteam", region="Westmecklenburg")
    site = MobileSite.objects.create(
        network=demo.network,
        name="Siebentageort",
        kind=SiteKind.OTHER,
        town="Ort",
        latitude=Decimal("53.5"),
        longitude=Decimal("12.5"),
    )
    for weekday in range(7):
        ConsultationHour.objects.create(
            site=site,
            team=team,
            weekday=weekday,
            start_time="07:00",
            end_time="07:30",
            valid_from=datetime.date(2026, 1, 1),
        )
    body = login("cm_a").get(reverse("network:network_page")).content.decode()
    # Each consultation hour is one element (a table row today) marked with its day.
    rows = [
        (day, row)
        for _tag, day, row in re.findall(r'<(\w+)\b[^>]*\bdata-day="([\d-]+)"[^>]*>(.*?)</\1>', body, re.S)
        if "Siebentageort" in row and "07:00" in row
    ]
    expected = [saturday + datetime.timedelta(days=i) for i in range(7)]
    assert [day for day, _row in rows] == [day.isoformat() for day in expected]
    assert [re.search(r"\d{2}\.\d{2}\.\d{4}", row)[0] for _day, row in rows] == [  # type: ignore[index]
        day.strftime("%d.%m.%Y") for day in expected
    ]


def tr_de(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


def test_network_page_puts_the_map_beside_the_coming_consultation_hours(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    body = login("cm_a").get(reverse("network:network_page")).content.decode()
    workspace = body.split('class="network-workspace"')[1].split('class="places"')[0]
    # Map first (left on wide screens), the week beside it; the place lists below both.
    assert workspace.index('id="network-map"') < workspace.index('id="week-heading"')
    assert 'id="offices-heading"' not in workspace and 'id="sites-heading"' not in workspace
    assert workspace.count('class="kern-card week-region"') == 4  # one card per region
    offices = Office.objects.filter(organisation__network=demo.network).count()
    count = f'<span class="kern-badge kern-badge--info"><span class="kern-label">{offices}</span>'
    assert f'id="offices-heading">{tr_de("Offices")} {count}' in body


def test_administration_pages_show_states_as_badges(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("admin")
    site = MobileSite.objects.filter(network=demo.network).first()
    assert site is not None
    MobileSite.objects.filter(pk=site.pk).update(is_active=False)
    manage = client.get(reverse("network:manage")).content.decode()
    sites = manage.split('id="sites"')[1]
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", sites, re.S) if site.name in r)
    assert (
        f'kern-badge--warning"><span class="kern-label">{tr_de("active,inactive").split(",")[1]}</span>'
        in row
    )
    detail = client.get(reverse("network:site_detail", args=[site.pk])).content.decode()
    assert f'<span class="kern-label">{tr_de("active,inactive").split(",")[1]}</span>' in detail
    assert f'href="{reverse("network:manage")}"' in detail.split('class="breadcrumbs"')[1].split("</nav>")[0]
    staff = User.objects.get(username="sabine.fischer")
    User.objects.filter(pk=staff.pk).update(is_active=False)
    page = client.get(reverse("network:staff_detail", args=[staff.pk])).content.decode()
    badges = page.split('class="badge-row"')[1].split("</p>")[0]
    assert (
        f'kern-badge--danger"><span class="kern-label">{tr_de("active,deactivated").split(",")[1]}</span>'
        in badges
    )
    assert tr_de("Second factor") in badges
    listing = client.get(reverse("network:staff_list")).content.decode()
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", listing, re.S) if "sabine.fischer" in r)
    assert "kern-badge--danger" in row
