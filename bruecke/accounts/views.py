from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bruecke.accounts import mfa_views, services
from bruecke.accounts.forms import LanguageForm, LoginForm
from bruecke.accounts.middleware import refresh_idle_period
from bruecke.accounts.models import User


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.login_succeeded(user=form.get_user())
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        services.logged_out(user=request.user)
    return auth_views.LogoutView.as_view()(request)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_set(actor=form.user, form=form)
        # Keeps this session valid; other sessions of the user end with the old hash.
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """First password for an invited staff member (link from the invitation e-mail)."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")
    form_class = SetPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_set(actor=form.user, form=form)
        messages.success(self.request, _("Your password is set. You can sign in now."))
        return redirect(self.success_url)


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        services.user_set_language(actor=user, user=user, language=form.cleaned_data["language"])
        messages.success(request, _("Your settings have been saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form} | mfa_views.settings_context(request))


@login_required
@require_POST
def session_extend_view(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" in the warning before the idle limit: the idle period starts again
    now (the session is saved), whenever it was last refreshed."""
    refresh_idle_period(request, force=True)
    return HttpResponse(status=204)


@login_required
@require_POST
def sessions_end_view(request: HttpRequest) -> HttpResponse:
    """Signs the user out everywhere else; this session stays."""
    user: User = request.user  # type: ignore[assignment]
    ended = services.other_sessions_end(user=user, current_key=request.session.session_key or "")
    messages.success(
        request,
        ngettext("%(n)s other session has been ended.", "%(n)s other sessions have been ended.", ended)
        % {"n": ended},
    )
    return redirect("accounts:settings")


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """Switches the interface language before sign-in (kept in a cookie)."""
    form = LanguageForm(request.POST)
    response = redirect("accounts:login")
    if form.is_valid():
        from django.conf import settings

        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response
