"""The second step of signing in: set up the authenticator app, enter its code or a
recovery code, renew the recovery codes. Codes are shown once, never stored readable."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.accounts import mfa, totp
from bruecke.accounts.forms import LanguageForm, MfaCodeForm
from bruecke.accounts.models import RecoveryCode, User
from bruecke.core.views_helpers import local_next


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _next(request: HttpRequest) -> str:
    return local_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))


def _with_next(name: str, request: HttpRequest) -> HttpResponse:
    response = redirect(name)
    target = request.GET.get("next")
    if target:
        response["Location"] += "?" + request.GET.urlencode()
    return response


@login_required
def mfa_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if mfa.is_verified(request):
        return redirect(_next(request))
    if mfa.confirmed_device(user) is None:
        return _with_next("accounts:mfa_setup", request)
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.verify(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return redirect(_next(request))
    status = 400 if form.errors else 200
    return render(request, "accounts/mfa.html", {"form": form, "next": _next(request)}, status=status)


def _qr_svg(uri: str) -> str:
    # segno writes only path data from the URI's bits, so the markup holds no user text.
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=2, light="#fff")
    label = escape(_("QR code for your authenticator app"))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


@login_required
def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if mfa.confirmed_device(user) is not None:
        return redirect("accounts:mfa" if not mfa.is_verified(request) else "accounts:settings")
    device = mfa.enrolment_device(user)
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.enrolment_confirm(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return _codes_page(request, codes)
    uri = totp.provisioning_uri(device.secret, account=user.username, issuer=settings.MFA_ISSUER)
    context = {
        "form": form,
        "qr": _qr_svg(uri),
        "secret": " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)),
        "next": _next(request),
    }
    return render(request, "accounts/mfa_setup.html", context, status=400 if form.errors else 200)


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Rendered directly (not after a redirect), so the codes never sit in a session."""
    return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": _next(request)})


@login_required
@require_POST
def mfa_codes_view(request: HttpRequest) -> HttpResponse:
    """New recovery codes, with a current code from the app (from the settings page)."""
    user = _user(request)
    form = MfaCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = mfa.codes_renew(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return _codes_page(request, codes)
    context = settings_context(request, mfa_form=form)
    context["form"] = LanguageForm(initial={"language": user.language})
    return render(request, "accounts/settings.html", context, status=400)


def settings_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    """The MFA part of the settings page."""
    user = _user(request)
    device = mfa.confirmed_device(user)
    unused = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    context: dict[str, object] = {"mfa_device": device, "recovery_unused": unused, "mfa_form": MfaCodeForm()}
    return context | extra
