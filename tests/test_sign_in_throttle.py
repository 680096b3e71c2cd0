"""Sign-in throttling cannot be raced, and the admin has no sign-in of its own.

The counters are taken with one conditional UPDATE (check and increment in a single
statement), so parallel wrong passwords cannot all pass the check before any is counted.
`/admin/login/` sends everyone to the product's sign-in (throttled, audited, second factor).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bruecke.accounts import throttle
from bruecke.accounts.models import ThrottleCounter, User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DEMO_PASSWORD, DemoNetwork
from tests.clients import verified_client
from tests.test_mfa import _device, _now_code, _password_only

LOGIN = "/accounts/login/"


def test_the_check_is_part_of_the_increment(db: None) -> None:
    """The decision is the row count of one UPDATE whose WHERE holds the limit: there is no
    read of the counter that a parallel request could overtake."""
    key = f"test:{uuid.uuid4()}"
    assert [throttle.take(key, 3) for _ in range(5)] == [True, True, True, False, False]
    with CaptureQueriesContext(connection) as queries:
        assert not throttle.take(key, 3)
    deciding = queries.captured_queries[-1]["sql"]
    assert deciding.startswith("UPDATE") and '"count" < 3' in deciding and '"count" + 1' in deciding
    assert ThrottleCounter.objects.get(key=key).count == 3  # a refusal does not count


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time in; the race needs PostgreSQL's parallel writers",
)
def test_parallel_attempts_cannot_pass_the_limit(db: None) -> None:
    """20 threads, each on its own database connection, try at the same moment."""
    key, limit, attempts = f"test:{uuid.uuid4()}", 5, 20
    start = threading.Barrier(attempts)
    results: list[bool] = []

    def attempt() -> None:
        try:
            start.wait()
            results.append(throttle.take(key, limit))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert results.count(True) == limit and len(results) == attempts
    finally:  # the threads committed outside the test's transaction
        cleanup = threading.Thread(target=_delete_counter, args=(key,))
        cleanup.start()
        cleanup.join()


def _delete_counter(key: str) -> None:
    try:
        ThrottleCounter.objects.filter(key=key).delete()
    finally:
        connections.close_all()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_right_password_gives_its_attempt_back(demo: DemoNetwork) -> None:
    client = Client()
    for _attempt in range(2):
        assert client.post(LOGIN, {"username": "anna.berger", "password": "wrong"}).status_code == 200
    for _attempt in range(3):  # successes do not use up the allowance
        assert Client().post(LOGIN, {"username": "anna.berger", "password": DEMO_PASSWORD}).status_code == 302
    client.post(LOGIN, {"username": "anna.berger", "password": "wrong"})
    assert Client().post(LOGIN, {"username": "anna.berger", "password": DEMO_PASSWORD}).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_THROTTLED).count() == 1


@pytest.fixture
def operator(db: None) -> User:
    return User.objects.create_superuser("op.erator", "op@example.org", DEMO_PASSWORD)


def test_admin_sign_in_is_the_product_sign_in(operator: User) -> None:
    admin_login = reverse("admin:login")
    response = Client().get(admin_login, {"next": "/admin/network/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/admin/network/"
    # Its own password form is gone: a right password posted there signs nobody in.
    client = Client()
    posted = client.post(admin_login, {"username": "op.erator", "password": DEMO_PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    # `next` stays on this site (no open redirect).
    far = client.get(admin_login, {"next": "https://evil.example/"})
    assert far["Location"] == f"{reverse('accounts:login')}?next=/admin/"


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_a_blocked_operator_cannot_sign_in_anywhere(operator: User) -> None:
    client = Client()
    for _attempt in range(2):
        client.post(LOGIN, {"username": "op.erator", "password": "wrong"})
    client.post(reverse("admin:login"), {"username": "op.erator", "password": DEMO_PASSWORD})
    client.post(LOGIN, {"username": "op.erator", "password": DEMO_PASSWORD, "next": "/admin/"})
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_THROTTLED).count() == 1


def test_operator_reaches_the_admin_only_after_the_second_factor(operator: User) -> None:
    client = Client()
    signed_in = client.post(LOGIN + "?next=/admin/", {"username": "op.erator", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=operator).exists()
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:mfa"))
    verified = verified_client(operator)
    assert verified.get("/admin/").status_code == 200
    assert verified.get(reverse("admin:login"))["Location"] == reverse("admin:index")


def test_signed_in_staff_without_admin_rights_gets_no_loop(login: Callable[[str], Client]) -> None:
    assert login("cm_a").get(reverse("admin:login")).status_code == 403


def test_second_factor_codes_use_the_same_atomic_counter(demo: DemoNetwork, settings: Any) -> None:
    """Wrong codes take units of the person's allowance; a right code gives its unit back."""
    settings.LOGIN_FAILURE_LIMIT = 3
    user = demo.users["cm_b"]
    _row, secret = _device(user)
    client = _password_only(user)
    for _attempt in range(2):
        assert client.post(reverse("accounts:mfa"), {"code": "000000"}).status_code == 400
    assert client.post(reverse("accounts:mfa"), {"code": _now_code(secret)}).status_code == 302
    assert ThrottleCounter.objects.get(key=f"mfa:{user.pk}").count == 2
    again = _password_only(user)
    assert again.post(reverse("accounts:mfa"), {"code": "000000"}).status_code == 400
    assert "Zu viele" in again.post(reverse("accounts:mfa"), {"code": "000000"}).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_THROTTLED, actor=user).count() == 1
