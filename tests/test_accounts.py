from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.test import Client, override_settings
from django.urls import reverse

from bruecke.accounts.middleware import AUTH_AT
from bruecke.accounts.models import User
from bruecke.accounts.throttle import username_key
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DEMO_PASSWORD, DemoNetwork

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str) -> int:
    return client.post(LOGIN, {"username": username, "password": password}).status_code


def test_login_page_is_german_by_default() -> None:
    response = Client().get(LOGIN)
    assert response["Content-Language"] == "de"
    assert '<html lang="de" dir="ltr"' in response.content.decode()


def test_successful_login_is_audited(demo: DemoNetwork) -> None:
    client = Client()
    assert _login(client, "anna.berger", DEMO_PASSWORD) == 302
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).first()
    assert event is not None and event.actor == demo.users["cm_a"]
    # The password alone opens nothing: the second factor comes next.
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:mfa"))


def test_failed_login_is_audited_without_the_user_name(demo: DemoNetwork) -> None:
    assert _login(Client(), "anna.berger", "wrong") == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.object_id == username_key("anna.berger")
    assert "anna" not in str(AuditEvent.objects.filter(pk=event.pk).values().get())


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_throttle_even_the_right_password(demo: DemoNetwork) -> None:
    client = Client()
    for _attempt in range(3):
        _login(client, "Anna.Berger ", "wrong")  # case and spaces do not escape the count
    response = client.post(LOGIN, {"username": "anna.berger", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_THROTTLED).count() == 1
    # Another account from another address is not affected.
    assert _login(Client(REMOTE_ADDR="10.0.0.9"), "jonas.krause", DEMO_PASSWORD) == 302


@override_settings(LOGIN_FAILURE_LIMIT=100, LOGIN_FAILURE_LIMIT_PER_ADDRESS=4)
def test_many_names_from_one_address_are_throttled(demo: DemoNetwork) -> None:
    client = Client(REMOTE_ADDR="192.0.2.7")
    for index in range(4):
        _login(client, f"guess{index}", "wrong")
    assert _login(client, "anna.berger", DEMO_PASSWORD) == 200
    assert _login(Client(REMOTE_ADDR="192.0.2.8"), "anna.berger", DEMO_PASSWORD) == 302


def test_logout_is_post_only_and_audited(login: Callable[[str], Client]) -> None:
    client = login("cm_a")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).exists()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_password_change_is_audited_and_validated(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": DEMO_PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200
    assert 'aria-invalid="true"' in weak.content.decode()
    strong = "Brücke-neues-Passwort-77"
    ok = client.post(url, {"old_password": DEMO_PASSWORD, "new_password1": strong, "new_password2": strong})
    assert ok.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGE)
    assert event.changed_fields == ["password"]
    demo.users["cm_a"].refresh_from_db()
    assert demo.users["cm_a"].check_password(strong)
    assert client.get(reverse("core:dashboard")).status_code == 200  # session kept


def test_a_password_change_is_e_mailed_and_ends_the_other_sessions(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    anna = demo.users["cm_a"]
    here, elsewhere = login("cm_a"), login("cm_a")
    strong = "Brücke-neues-Passwort-78"
    with django_capture_on_commit_callbacks(execute=True):
        here.post(
            reverse("accounts:password_change"),
            {"old_password": DEMO_PASSWORD, "new_password1": strong, "new_password2": strong},
        )
    (mail,) = mailoutbox
    assert mail.to == [anna.email]
    assert mail.subject == "Brücke: Ihr Passwort wurde geändert"
    assert strong not in mail.body
    assert here.get(reverse("core:dashboard")).status_code == 200
    assert elsewhere.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:login"))


def test_language_is_per_user(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    assert client.post(reverse("accounts:settings"), {"language": "en"}).status_code == 302
    page = client.get(reverse("core:dashboard"))
    assert page["Content-Language"] == "en"
    assert "My roles" in page.content.decode()
    assert login("po_a").get(reverse("core:dashboard"))["Content-Language"] == "de"
    assert AuditEvent.objects.filter(
        object_id=str(demo.users["cm_a"].pk), changed_fields=["language"]
    ).exists()


def test_language_can_be_switched_before_login() -> None:
    client = Client()
    client.post(reverse("accounts:language"), {"language": "en"})
    assert client.get(LOGIN)["Content-Language"] == "en"
    client.post(reverse("accounts:language"), {"language": "xx"})  # ignored
    assert client.get(LOGIN)["Content-Language"] == "en"


def test_deactivation_ends_the_session_at_once(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    User.objects.filter(pk=demo.users["cm_a"].pk).update(is_active=False)
    assert client.get(reverse("core:dashboard")).status_code == 302


@override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.AllowAllUsersModelBackend"])
def test_an_inactive_accounts_session_is_refused_whatever_the_backend(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    User.objects.filter(pk=demo.users["cm_a"].pk).update(is_active=False)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_deactivation_deletes_the_sessions_so_reactivation_does_not_revive_them(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    from django.contrib.sessions.models import Session

    anna = demo.users["cm_a"]
    kept = login("cm_a")  # e.g. a cookie left on a shared PC
    other_device = login("cm_a")
    assert kept.get(reverse("core:dashboard")).status_code == 200
    admin = login("admin")
    admin.post(reverse("network:staff_set_active", args=[anna.pk]), {"active": "0"})
    assert not any(s.get_decoded().get("_auth_user_id") == str(anna.pk) for s in Session.objects.all())
    assert AuditEvent.objects.filter(
        action=AuditAction.SESSIONS_ENDED, object_type="accounts.user", object_id=str(anna.pk)
    ).exists()
    admin.post(reverse("network:staff_set_active", args=[anna.pk]), {"active": "1"})
    assert User.objects.get(pk=anna.pk).is_active
    for client in (kept, other_device):
        response = client.get(reverse("core:dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@override_settings(SESSION_ABSOLUTE_HOURS=1)
def test_sessions_end_after_the_absolute_lifetime(login: Callable[[str], Client]) -> None:
    client = login("cm_a")
    session = client.session
    session[AUTH_AT] = time.time() - 3601
    session.save()
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_pages_are_not_cached_and_carry_security_headers(login: Callable[[str], Client]) -> None:
    response = login("cm_a").get(reverse("core:dashboard"))
    assert response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) == 16


@override_settings(
    CLIENT_IP_HEADER="X-Forwarded-For", LOGIN_FAILURE_LIMIT=100, LOGIN_FAILURE_LIMIT_PER_ADDRESS=2
)
def test_behind_a_proxy_the_forwarded_address_is_counted(demo: DemoNetwork) -> None:
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for index in range(2):
        proxy.post(
            LOGIN, {"username": f"x{index}", "password": "no"}, headers={"X-Forwarded-For": "198.51.100.4"}
        )
    assert AuditEvent.objects.filter(remote_addr="198.51.100.4").count() == 2
    blocked = proxy.post(
        LOGIN,
        {"username": "anna.berger", "password": DEMO_PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.4"},
    )
    assert blocked.status_code == 200
    other = proxy.post(
        LOGIN,
        {"username": "anna.berger", "password": DEMO_PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.5"},
    )
    assert other.status_code == 302


def test_pages_carry_the_session_warning_with_the_time_left(login: Callable[[str], Client]) -> None:
    client = login("cm_a")
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'role="alertdialog"' in page
    assert 'data-seconds="1800"' in page  # the idle limit: 30 minutes
    assert "Angemeldet bleiben" in page
    assert 'src="/static/js/session-timeout.js"' in page
    assert 'role="alertdialog"' not in Client().get(reverse("accounts:login")).content.decode()


def test_near_the_absolute_limit_the_warning_cannot_extend(login: Callable[[str], Client]) -> None:
    client = login("cm_a")
    session = client.session
    session[AUTH_AT] = time.time() - 12 * 3600 + 600  # ten minutes before the absolute end
    session.save()
    page = client.get(reverse("core:dashboard")).content.decode()
    seconds = int(page.split('data-seconds="')[1].split('"')[0])
    assert 590 <= seconds <= 600
    assert "Angemeldet bleiben" not in page
    assert "längste erlaubte Zeit" in page


def test_stay_signed_in_answers_without_content(login: Callable[[str], Client]) -> None:
    client = login("cm_a")
    url = reverse("accounts:session_extend")
    assert client.post(url).status_code == 204
    assert client.get(url).status_code == 405
    assert Client().post(url)["Location"].startswith(reverse("accounts:login"))
