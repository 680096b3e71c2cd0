"""Error pages: in the user's language, with the way back, without technical details."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client, override_settings
from django.urls import reverse

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.clients import verified_client
from tests.test_access_matrix import assert_security_headers


def test_a_record_outside_the_scope_gets_the_404_page(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    mohammed = Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")
    response = login("cm_b").get(reverse("participants:detail", args=[mohammed.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Seite nicht gefunden" in page
    assert "oder Sie haben keinen Zugriff darauf" in page  # never says whether it exists
    assert "Al-Hassan" not in page
    assert f'href="{reverse("core:home")}"' in page


def test_an_unknown_address_gets_the_404_page_in_english_too(login: Callable[[str], Client]) -> None:
    client = login("cm_a")
    client.post(reverse("accounts:settings"), {"language": "en"})
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "Page not found" in page.content.decode()
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and "Seite nicht gefunden" in anonymous.content.decode()


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_a_server_error_shows_the_request_id_and_no_details(demo: DemoNetwork) -> None:
    client = verified_client(demo.users["cm_a"])
    client.raise_request_exception = False
    response = client.get("/__fail__/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Etwas ist schiefgelaufen" in page
    assert response["X-Request-ID"] and response["X-Request-ID"] in page
    for detail in ("RuntimeError", "SELECT", "Traceback", "secret"):
        assert detail not in page
    assert_security_headers(response, "500")


def test_an_expired_form_explains_what_to_do(demo: DemoNetwork) -> None:
    client = verified_client(demo.users["cm_a"])
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("participants:search"), {"q": "Mohammed"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Das Formular ist abgelaufen" in page
    assert "Nichts wurde gespeichert" in page
    assert "CSRF" not in page
    assert_security_headers(response, "csrf failure")


def test_error_pages_use_the_base_layout(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    page = login("cm_a").get("/no-such-page/").content.decode()
    for part in ('class="app-header"', 'class="app-nav"', 'class="app-footer"', "kern.min.css"):
        assert part in page, part
    assert 'class="kern-btn kern-btn--primary"' in page and f'href="{reverse("core:home")}"' in page


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_the_server_error_page_has_the_frame_without_data(demo: DemoNetwork) -> None:
    client = verified_client(demo.users["cm_a"])
    client.raise_request_exception = False
    page = client.get("/__fail__/").content.decode()
    for part in ('class="app-header"', 'class="app-footer"', "kern.min.css", 'dir="ltr"'):
        assert part in page, part
    assert "app-nav" not in page  # no navigation: it would need the database
