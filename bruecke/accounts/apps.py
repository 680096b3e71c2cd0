from __future__ import annotations

import time
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _stamp_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # Session bookkeeping only (no business logic): when the absolute lifetime starts.
    from bruecke.accounts.middleware import AUTH_AT, REFRESHED_AT

    now = time.time()
    request.session[AUTH_AT] = now
    request.session[REFRESHED_AT] = now  # the sign-in saves the session: the idle period starts


class AccountsConfig(AppConfig):
    name = "bruecke.accounts"
    label = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_stamp_session, dispatch_uid="bruecke_stamp_session")
