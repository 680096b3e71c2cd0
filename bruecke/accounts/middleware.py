"""Per-user interface language, the absolute session lifetime and the second factor."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils import translation

from bruecke.accounts import mfa

AUTH_AT = "bruecke_auth_at"
_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _language_for(request: HttpRequest) -> str:
    user = request.user
    if user.is_authenticated and user.language in _LANGUAGES:
        return str(user.language)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in _LANGUAGES else settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """German by default; a signed-in user gets their own choice, others the cookie's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionLifetimeMiddleware:
    """Ends a session a fixed number of hours after sign-in, however active it is, and at
    once when the account is deactivated (whichever authentication backend is set)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            left = absolute_seconds_left(request)
            if left is None or left < 0 or not request.user.is_active:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


def absolute_seconds_left(request: HttpRequest) -> float | None:
    """Seconds until the absolute session lifetime ends (None: no sign-in time recorded)."""
    started = request.session.get(AUTH_AT)
    if started is None:
        return None
    return settings.SESSION_ABSOLUTE_HOURS * 3600 - (time.time() - float(started))


class MfaRequiredMiddleware:
    """No page with a password-only session: until the second factor is given, every
    request of a signed-in user goes to the MFA step (set-up or code), except the step's
    own pages, sign-out and the language switch."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not mfa.is_verified(request):
            match = request.resolver_match or _resolve(request.path_info)
            if match is None or match.view_name not in MFA_OPEN_VIEWS:
                return redirect_to_login(request.get_full_path(), reverse("accounts:mfa"), "next")
        return self.get_response(request)


MFA_OPEN_VIEWS = frozenset(
    {
        "accounts:mfa",
        "accounts:mfa_setup",
        "accounts:logout",
        "accounts:language",
        "accounts:login",
        # The employer's form through a link needs no account (decision 0039).
        "placement:link_submit",
    }
)


def _resolve(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None
