"""Bad input on the network pages: clear errors beside the field, nothing half-saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import ConsultationHour, Membership, MobileSite, Organisation, Role


def _site_data(demo: DemoNetwork, **overrides: Any) -> dict[str, Any]:
    data = {
        "network": demo.network.pk,
        "name": "Rathaus Parchim",
        "kind": "town_hall",
        "street": "Schuhmarkt 1",
        "postcode": "19370",
        "town": "Parchim",
        "latitude": "53.42630",
        "longitude": "11.84830",
        "notes": "",
        "is_active": "on",
    }
    return {**data, **overrides}


def _field_error(response: Any, field: str) -> str:
    form = response.context["form"]
    assert field in form.errors, form.errors
    html = response.content.decode()
    assert f'id="id_{field}-errors"' in html or f'id="id_m-{field}-errors"' in html
    return " ".join(form.errors[field])


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "95"), ("latitude", "-90.5"), ("longitude", "181"), ("longitude", "abc"), ("latitude", "")],
)
def test_coordinates_out_of_range(
    login: Callable[[str], Client], demo: DemoNetwork, field: str, value: str
) -> None:
    before = MobileSite.objects.count(), AuditEvent.objects.count()
    response = login("admin").post(reverse("network:site_create"), _site_data(demo, **{field: value}))
    assert response.status_code == 400
    assert _field_error(response, field)
    assert 'aria-invalid="true"' in response.content.decode()
    assert (MobileSite.objects.count(), AuditEvent.objects.count()) == before


def test_valid_site_is_created_and_audited(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("admin").post(reverse("network:site_create"), _site_data(demo))
    site = MobileSite.objects.get(name="Rathaus Parchim")
    assert response["Location"] == reverse("network:site_detail", args=[site.pk])
    assert AuditEvent.objects.filter(object_type="network.mobilesite", object_id=str(site.pk)).exists()


def test_html_and_rtl_text_are_stored_as_typed_and_shown_escaped(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    name = '<script>alert("x")</script> مركز الشباب'
    client = login("admin")
    client.post(
        reverse("network:site_create"), _site_data(demo, name=name, notes="<img src=x onerror=alert(1)>")
    )
    site = MobileSite.objects.get(town="Parchim")
    assert site.name == name
    page = client.get(reverse("network:site_detail", args=[site.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; مركز الشباب" in page
    assert "<img src=x" not in page


def test_text_is_normalised_and_control_characters_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("admin")
    refused = client.post(reverse("network:site_create"), _site_data(demo, name="Rathaus\x07Parchim"))
    assert _field_error(refused, "name")
    refused_nul = client.post(reverse("network:site_create"), _site_data(demo, name="Rathaus\x00"))
    assert _field_error(refused_nul, "name")
    client.post(reverse("network:site_create"), _site_data(demo, name="Cafe\u0301 Parchim"))  # NFD
    assert MobileSite.objects.filter(name="Café Parchim").exists()  # stored NFC


def test_overlong_text(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("admin").post(reverse("network:site_create"), _site_data(demo, name="x" * 201))
    assert _field_error(response, "name")
    assert not MobileSite.objects.filter(town="Parchim").exists()


def test_duplicate_organisation_names_ignore_case(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    data = {
        "network": demo.network.pk,
        "name": "bildungswerk küste e. V.",
        "town": "Rostock",
        "is_active": "on",
    }
    response = login("admin").post(reverse("network:organisation_create"), data)
    assert response.status_code == 400
    assert _field_error(response, "name")
    assert Organisation.objects.filter(name__iexact="bildungswerk küste e. v.").count() == 1


def test_duplicate_team_names_ignore_case(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    data = {"network": demo.network.pk, "name": "REGIONALTEAM ROSTOCK", "region": "x", "is_active": "on"}
    response = login("admin").post(reverse("network:team_create"), data)
    assert _field_error(response, "name")


def test_only_one_lead_partner_per_network(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    data = {"network": demo.network.pk, "name": "Neuer Träger", "town": "Wismar", "is_lead_partner": "on"}
    response = login("admin").post(reverse("network:organisation_create"), data)
    assert _field_error(response, "is_lead_partner")
    assert not Organisation.objects.filter(name="Neuer Träger").exists()


def test_organisation_of_another_network_cannot_be_chosen(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    data = {"network": demo.second_network.pk, "name": "Eingeschleust", "town": "Neuruppin"}
    response = login("admin").post(reverse("network:organisation_create"), data)
    assert _field_error(response, "network")
    assert not Organisation.objects.filter(name="Eingeschleust").exists()


def _hour_data(demo: DemoNetwork, **overrides: Any) -> dict[str, Any]:
    data = {
        "team": demo.teams["Schwerin"].pk,
        "weekday": 4,
        "start_time": "14:00",
        "end_time": "16:00",
        "recurrence": "weekly",
        "valid_from": "01.01.2026",
        "valid_until": "",
        "note": "",
    }
    return {**data, **overrides}


def _wismar(demo: DemoNetwork) -> MobileSite:
    return MobileSite.objects.get(name="Rathaus Wismar")


def test_end_before_start(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    url = reverse("network:hour_create", args=[_wismar(demo).pk])
    response = login("admin").post(url, _hour_data(demo, start_time="16:00", end_time="14:00"))
    assert _field_error(response, "end_time")
    reversed_dates = login("admin").post(
        url, _hour_data(demo, valid_from="01.06.2026", valid_until="01.05.2026")
    )
    assert _field_error(reversed_dates, "valid_until")


def test_overlapping_hours_of_one_team(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("admin")
    url = reverse("network:hour_create", args=[_wismar(demo).pk])
    assert client.post(url, _hour_data(demo)).status_code == 302
    other_site = MobileSite.objects.get(name="Gemeinschaftsunterkunft Ludwigslust")
    clash = client.post(
        reverse("network:hour_create", args=[other_site.pk]),
        _hour_data(demo, start_time="15:30", end_time="17:00"),
    )
    assert "Wismar" in _field_error(clash, "start_time")
    # Adjacent times, odd/even weeks, or another team do not clash.
    assert client.post(url, _hour_data(demo, start_time="16:00", end_time="17:00")).status_code == 302
    assert client.post(url, _hour_data(demo, team=demo.teams["Rostock"].pk)).status_code == 302
    assert ConsultationHour.objects.filter(site=_wismar(demo), weekday=4).count() == 3


def test_editing_an_hour_does_not_clash_with_itself(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    hour = ConsultationHour.objects.filter(site=_wismar(demo)).first()
    assert hour is not None
    data = _hour_data(
        demo,
        team=hour.team_id,
        weekday=hour.weekday,
        start_time=hour.start_time.strftime("%H:%M"),
        end_time="12:30",
        recurrence=hour.recurrence,
        version=hour.version,
    )
    response = login("admin").post(reverse("network:hour_edit", args=[hour.pk]), data)
    assert response.status_code == 302
    hour.refresh_from_db()
    assert hour.end_time.strftime("%H:%M") == "12:30"


def test_team_of_another_network_cannot_serve_a_site(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    from bruecke.network.models import Team

    foreign = Team.objects.get(network=demo.second_network)
    response = login("admin").post(
        reverse("network:hour_create", args=[_wismar(demo).pk]), _hour_data(demo, team=foreign.pk)
    )
    assert _field_error(response, "team")


def test_membership_for_a_deactivated_user(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    anna = demo.users["cm_a"]
    client = login("admin")
    client.post(reverse("network:staff_set_active", args=[anna.pk]), {"active": "0"})
    anna.refresh_from_db()
    assert not anna.is_active
    before = Membership.objects.count()
    response = client.post(
        reverse("network:membership_create", args=[anna.pk]),
        {"organisation": demo.partners["A"].pk, "team": demo.teams["Schwerin"].pk, "role": Role.CASE_MANAGER},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert Membership.objects.count() == before


def test_duplicate_active_role(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    anna = demo.users["cm_a"]
    response = login("admin").post(
        reverse("network:membership_create", args=[anna.pk]),
        {"organisation": demo.partners["A"].pk, "team": demo.teams["Rostock"].pk, "role": Role.CASE_MANAGER},
    )
    assert response.status_code == 400
    assert Membership.objects.filter(user=anna).count() == 1


def test_admin_cannot_deactivate_themself(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    admin = demo.users["admin"]
    login("admin").post(reverse("network:staff_set_active", args=[admin.pk]), {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active


def test_ending_a_role_removes_access_at_once(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    anna_client = login("cm_a")
    assert anna_client.get(reverse("network:network_page")).status_code == 200
    membership = Membership.objects.get(user=demo.users["cm_a"])
    login("admin").post(reverse("network:membership_end", args=[membership.pk]))
    assert anna_client.get(reverse("network:network_page")).status_code == 404


def _staff_data(demo: DemoNetwork, **overrides: Any) -> dict[str, Any]:
    data = {
        "username": "neu.kollegin",
        "first_name": "Aylin",
        "last_name": "Yılmaz",
        "email": "aylin@example.org",
        "language": "de",
        "m-organisation": demo.partners["A"].pk,
        "m-team": demo.teams["Rostock"].pk,
        "m-role": Role.PLACEMENT_OFFICER,
    }
    return {**data, **overrides}


def test_staff_create_sends_an_invitation(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login("admin").post(reverse("network:staff_create"), _staff_data(demo))
    user = User.objects.get(username="neu.kollegin")
    assert response["Location"] == reverse("network:staff_detail", args=[user.pk])
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.PLACEMENT_OFFICER
    (mail,) = [m for m in mailoutbox if m.to == ["aylin@example.org"]]
    # The grant is announced to partner A's administrator and data-protection officer.
    watchers = sorted(m.to[0] for m in mailoutbox if m is not mail)
    assert watchers == sorted([demo.users["admin"].email, demo.users["dpo"].email])
    sent = len(mailoutbox)
    link = next(line for line in mail.body.splitlines() if "/accounts/password-set/" in line)
    path = link.split("127.0.0.1:8000", 1)[1]
    client = Client()
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    new = "Sicheres-Passwort-2026!"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new)
    assert len(mailoutbox) == sent  # the first password is no change to warn about


def test_staff_create_with_an_invalid_role_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    before = User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()
    response = login("admin").post(reverse("network:staff_create"), _staff_data(demo, **{"m-role": "boss"}))
    assert response.status_code == 400
    assert response.context["membership_form"].errors["role"]
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_a_new_password_link_can_be_sent(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    anna = demo.users["cm_a"]
    client = login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:staff_invite", args=[anna.pk]))
    assert [m.to for m in mailoutbox] == [[anna.email]]
    assert AuditEvent.objects.filter(action="invitation", object_id=str(anna.pk)).exists()
    User.objects.filter(pk=anna.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:staff_invite", args=[anna.pk]))
    assert len(mailoutbox) == 1
