from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bruecke.accounts import services, throttle
from bruecke.core.forms import Form, TextLimitMixin
from bruecke.core.middleware import current_request_context


class LoginForm(TextLimitMixin, AuthenticationForm):
    """Sign-in with throttling; every failure and every block is audited. User name and
    password are bounded like every text field (AuthenticationForm bounds neither)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts. Please wait %(minutes)s minutes and try again, "
            "or ask your administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        context = current_request_context()
        taken = throttle.sign_in_begin(username, context.remote_addr if context else None)
        if taken is None:
            services.login_throttled(username=username)
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            services.login_failed(username=username)
            raise
        throttle.sign_in_succeeded(taken)
        return cleaned


class LanguageForm(Form):
    language = forms.ChoiceField(label=_("Language of the interface"), choices=settings.LANGUAGES)


class MfaCodeForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class MfaResetForm(Form):
    identity_checked = forms.BooleanField(
        label=_("I have checked the person's identity (in person or by a call back to a known number)."),
        required=True,
        error_messages={"required": _("Confirm that you have checked the person's identity.")},
    )
