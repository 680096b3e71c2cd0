"""Second factor: TOTP (RFC 6238) and recovery codes, enforced on every page.

Security checklist A1–A5, B1: no route with a password-only session; codes usable once;
throttled; lost-factor reset only by an administrator after an identity check, with the
person's sessions ended and an e-mail to them; new session key on completion.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts import mfa, totp
from bruecke.accounts.middleware import MFA_OPEN_VIEWS
from bruecke.accounts.models import MfaDevice, RecoveryCode, User
from bruecke.accounts.sessions import end_sessions
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from tests.access_expectations import EXPECTATIONS
from tests.clients import verified_client

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
Capture = Callable[..., Any]


@pytest.mark.parametrize(
    ("seconds", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_vectors(seconds: int, code: str) -> None:
    assert totp.code_at(RFC_SECRET, seconds // 30, digits=8) == code


def test_window_and_replay() -> None:
    now = 1_700_000_000.0
    step = totp.current_step(now)
    for offset in (-1, 0, 1):
        assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, step + offset), after=0, now=now)
    for offset in (-2, 2):
        assert (
            totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, step + offset), after=0, now=now) is None
        )
    current = totp.code_at(RFC_SECRET, step)
    assert totp.matching_step(RFC_SECRET, current, after=step, now=now) is None  # used already
    for bad in ("", "12345", "1234567", "12a456", "<script>", "١٢٣٤٥٦"):
        assert totp.matching_step(RFC_SECRET, bad, after=0, now=now) is None


def test_provisioning_uri() -> None:
    uri = totp.provisioning_uri(RFC_SECRET, account="anna.berger", issuer="Brücke")
    assert uri.startswith("otpauth://totp/Br%C3%BCcke%3Aanna.berger?")
    assert f"secret={RFC_SECRET}" in uri and "period=30" in uri


def _password_only(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _device(user: User) -> tuple[MfaDevice, str]:
    secret = totp.new_secret()
    MfaDevice.objects.filter(user=user).delete()
    device = MfaDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    return device, secret


def _now_code(secret: str) -> str:
    return totp.code_at(secret, totp.current_step())


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_no_page_with_a_password_only_session(url_name: str, demo: DemoNetwork) -> None:
    expect = EXPECTATIONS[url_name]
    client = _password_only(demo.users["admin"])
    url = reverse(url_name, kwargs=expect.kwargs(demo))
    response = getattr(client, expect.method)(url)
    if url_name in MFA_OPEN_VIEWS:
        return
    assert response.status_code == 302, url_name
    assert response["Location"].startswith(reverse("accounts:mfa") + "?next="), url_name


def test_admin_site_needs_the_second_factor_too(demo: DemoNetwork) -> None:
    response = _password_only(demo.users["admin"]).get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:mfa"))


def test_enrolment(demo: DemoNetwork, django_capture_on_commit_callbacks: Capture) -> None:
    anna = demo.users["cm_a"]
    client = _password_only(anna)
    response = client.get(reverse("core:dashboard"))
    assert response["Location"] == reverse("accounts:mfa") + "?next=/dashboard/"
    response = client.get(response["Location"])
    assert response["Location"] == reverse("accounts:mfa_setup") + "?next=%2Fdashboard%2F"
    page = client.get(response["Location"])
    device = MfaDevice.objects.get(user=anna)
    body = page.content.decode()
    assert page.status_code == 200 and device.confirmed_at is None
    assert device.secret[:4] in body and '<svg role="img"' in body
    with connection.cursor() as cursor:  # the secret is encrypted at rest
        cursor.execute("SELECT secret FROM accounts_mfadevice WHERE id = %s", [device.pk])
        assert device.secret not in cursor.fetchone()[0]

    wrong = client.post(reverse("accounts:mfa_setup"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 400 and 'id="id_code-errors"' in wrong.content.decode()
    assert AuditEvent.objects.filter(action="mfa_failed", actor=anna).count() == 1

    session_before = client.cookies["sessionid"].value
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("accounts:mfa_setup"), {"code": _now_code(device.secret), "next": "/"})
    codes = re.findall(r"<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert client.cookies["sessionid"].value != session_before  # new key after the second factor
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="mfa_enrolled", actor=anna).exists()
    assert mail.outbox[-1].to == [anna.email]
    stored = list(RecoveryCode.objects.filter(user=anna).values_list("code_hash", flat=True))
    assert not any(code.replace("-", "") in h for code in codes for h in stored)  # hashes only


def test_sign_in_with_the_app_code_once(demo: DemoNetwork) -> None:
    po = demo.users["po_a"]
    _device_row, secret = _device(po)
    code = _now_code(secret)
    first = _password_only(po)
    response = first.post(reverse("accounts:mfa"), {"code": code, "next": "/participants/"})
    assert response.status_code == 302 and response["Location"] == "/participants/"
    assert AuditEvent.objects.filter(action="mfa_verified", actor=po).exists()
    replay = _password_only(po).post(reverse("accounts:mfa"), {"code": code})
    assert replay.status_code == 400  # the same code is refused the second time


def test_recovery_code_works_once(demo: DemoNetwork) -> None:
    lead = demo.users["team_lead"]
    _device(lead)
    code = mfa.new_codes(lead)[0]
    assert _password_only(lead).post(reverse("accounts:mfa"), {"code": code.lower()}).status_code == 302
    assert AuditEvent.objects.filter(action="mfa_recovery_used", actor=lead).exists()
    assert _password_only(lead).post(reverse("accounts:mfa"), {"code": code}).status_code == 400


def test_wrong_codes_are_throttled(demo: DemoNetwork, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    cm_b = demo.users["cm_b"]
    _row, secret = _device(cm_b)
    client = _password_only(cm_b)
    for _ in range(3):
        assert client.post(reverse("accounts:mfa"), {"code": "000000"}).status_code == 400
    blocked = client.post(reverse("accounts:mfa"), {"code": _now_code(secret)})
    assert blocked.status_code == 400 and "Zu viele" in blocked.content.decode()
    assert AuditEvent.objects.filter(action="mfa_throttled", actor=cm_b).exists()


@pytest.mark.parametrize(
    "bad", ["", "<script>alert(1)</script>", "9" * 33, "١٢٣٤٥٦", "12 34 56 78"], ids=repr
)
def test_bad_codes_are_refused_next_to_the_field(bad: str, demo: DemoNetwork) -> None:
    user = demo.users["coordinator"]
    _device(user)
    response = _password_only(user).post(reverse("accounts:mfa"), {"code": bad})
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_code-errors"' in body
    assert "<script>alert" not in body


def test_digits_of_other_scripts_count(demo: DemoNetwork) -> None:
    user = demo.users["user_c"]
    _row, secret = _device(user)
    arabic = _now_code(secret).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert _password_only(user).post(reverse("accounts:mfa"), {"code": arabic}).status_code == 302


def test_next_must_stay_on_this_site(demo: DemoNetwork) -> None:
    user = demo.users["dpo"]
    _row, secret = _device(user)
    response = _password_only(user).post(
        reverse("accounts:mfa"), {"code": _now_code(secret), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:dashboard")


def test_new_recovery_codes_need_the_app(demo: DemoNetwork) -> None:
    user = demo.users["cm_a"]
    _row, secret = _device(user)
    old = mfa.new_codes(user)
    client = verified_client(user)
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert "10" in settings_page and reverse("accounts:mfa_codes") in settings_page
    refused = client.post(reverse("accounts:mfa_codes"), {"code": old[0]})  # not with a recovery code
    assert refused.status_code == 400
    renewed = client.post(reverse("accounts:mfa_codes"), {"code": _now_code(secret)})
    assert renewed.status_code == 200
    assert _password_only(user).post(reverse("accounts:mfa"), {"code": old[1]}).status_code == 400


def test_reset_by_an_administrator(demo: DemoNetwork, django_capture_on_commit_callbacks: Capture) -> None:
    anna, admin = demo.users["cm_a"], demo.users["admin"]
    _device(anna)
    mfa.new_codes(anna)
    anna_client = verified_client(anna)
    assert anna_client.get(reverse("core:dashboard")).status_code == 200
    url = reverse("network:staff_mfa_reset", args=[anna.pk])
    admin_client = verified_client(admin)
    detail = admin_client.get(reverse("network:staff_detail", args=[anna.pk])).content.decode()
    assert url in detail
    unconfirmed = admin_client.post(url, {})
    assert (
        unconfirmed.status_code == 400 and 'id="id_identity_checked-errors"' in unconfirmed.content.decode()
    )
    assert MfaDevice.objects.filter(user=anna).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {"identity_checked": "on"}).status_code == 302
    assert not MfaDevice.objects.filter(user=anna).exists()
    assert not RecoveryCode.objects.filter(user=anna).exists()
    assert AuditEvent.objects.filter(action="mfa_reset", actor=admin, object_id=str(anna.pk)).exists()
    assert mail.outbox[-1].to == [anna.email]
    # Anna's sessions have ended: the next request goes to the sign-in page.
    assert anna_client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:login"))
    assert admin_client.get(reverse("core:dashboard")).status_code == 200  # the admin's own stays


def test_reset_of_oneself_is_refused(demo: DemoNetwork) -> None:
    admin = demo.users["admin"]
    _device(admin)
    client = verified_client(admin)
    client.post(reverse("network:staff_mfa_reset", args=[admin.pk]), {"identity_checked": "on"})
    assert MfaDevice.objects.filter(user=admin).exists()


def test_end_sessions_touches_only_that_person(demo: DemoNetwork) -> None:
    verified_client(demo.users["cm_a"])
    verified_client(demo.users["po_a"])
    before = Session.objects.count()
    assert end_sessions(demo.users["cm_a"].pk) == 1
    assert Session.objects.count() == before - 1


def test_demo_logins_come_with_a_second_factor(demo: DemoNetwork) -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    key = re.search(r"demo key ((?:[A-Z2-7]{4} ?)+)", text)
    assert key is not None
    anna = demo.users["cm_a"]
    line = text.splitlines()[
        text.splitlines().index(next(x for x in text.splitlines() if "anna.berger" in x)) + 1
    ]
    first_code = line.split("one-time codes: ")[1].split(", ")[0]
    assert _password_only(anna).post(reverse("accounts:mfa"), {"code": first_code}).status_code == 302
    secret = key.group(1).replace(" ", "")
    assert _password_only(anna).post(reverse("accounts:mfa"), {"code": _now_code(secret)}).status_code == 302
    call_command("seed_demo", stdout=io.StringIO())  # re-seeding keeps the key
    assert MfaDevice.objects.get(user=anna).secret == secret


def test_operator_command_resets_the_only_administrator(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    admin = demo.users["admin"]
    _device(admin)
    with pytest.raises(CommandError, match=r"(?i)identit"):
        call_command("reset_second_factor", admin.username, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No staff member"):
        call_command("reset_second_factor", "nobody", "--identity-checked", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reset_second_factor", admin.username, "--identity-checked", stdout=io.StringIO())
    assert not MfaDevice.objects.filter(user=admin).exists()
    assert AuditEvent.objects.filter(action="mfa_reset", actor=None, object_id=str(admin.pk)).exists()


def test_sign_out_on_all_other_devices(demo: DemoNetwork) -> None:
    anna = demo.users["cm_a"]
    here, phone, laptop = verified_client(anna), verified_client(anna), verified_client(anna)
    colleague = verified_client(demo.users["po_a"])
    response = here.post(reverse("accounts:sessions_end"))
    assert response.status_code == 302
    assert "2 andere Sitzungen wurden beendet" in here.get(reverse("accounts:settings")).content.decode()
    for other in (phone, laptop):
        assert other.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:login"))
    assert here.get(reverse("core:dashboard")).status_code == 200
    assert colleague.get(reverse("core:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="sessions_ended", actor=anna).exists()
    assert here.get(reverse("accounts:sessions_end")).status_code == 405  # POST only


def test_codes_page_continues_to_a_real_address(demo: DemoNetwork) -> None:
    """Without `next`, the link after the recovery codes leads to the dashboard."""
    user = demo.users["cm_b"]
    client = _password_only(user)
    client.get(reverse("accounts:mfa_setup"))
    secret = MfaDevice.objects.get(user=user).secret
    page = client.post(reverse("accounts:mfa_setup"), {"code": _now_code(secret)}).content.decode()
    assert f'<a href="{reverse("core:dashboard")}">' in page
