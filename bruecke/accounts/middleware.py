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
REFRESHED_AT = "bruecke_refreshed_at"  # when the idle period last restarted (session saved)
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


class SessionRefreshMiddleware:
    """Restarts the idle period of a signed-in session at most once a minute: the session
    (and its expiry, SESSION_COOKIE_AGE from the save) is written only when the last
    refresh is older than SESSION_REFRESH_SECONDS, so reading pages does not write the
    session row on every request and the idle timeout holds to within that interval."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            refresh_idle_period(request)
        return self.get_response(request)


def refresh_idle_period(request: HttpRequest, *, force: bool = False) -> None:
    """Marks the session for saving (new expiry) when its last refresh is due or `force`."""
    now = time.time()
    last = request.session.get(REFRESHED_AT)
    if force or last is None or now - float(last) >= settings.SESSION_REFRESH_SECONDS:
        request.session[REFRESHED_AT] = now


def idle_seconds_left(request: HttpRequest) -> float:
    """Seconds until the idle limit ends the session, counted from its last refresh."""
    last = request.session.get(REFRESHED_AT)
    since = time.time() - float(last) if last is not None else 0.0
    return settings.SESSION_COOKIE_AGE - max(since, 0.0)


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
