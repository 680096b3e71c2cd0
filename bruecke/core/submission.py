"""One save per rendered create form: a repeated POST creates nothing new (decision 0022).

Create forms carry a hidden one-time token (`SubmitOnceMixin`), issued when the form is
rendered. The first POST with the token stores it together with the address the save led
to, in the same transaction as the new record. A repeated POST of the same token (double
click, reload of the answer, a retry after a lost connection) creates nothing and is sent
to that same address. Concurrent duplicates meet at the unique (user, token) index: the
second waits for the first to commit and then finds its token.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from bruecke.core.models import SubmissionToken

TOKEN_FIELD = "submission"  # noqa: S105 (a field name, not a secret)
TOKEN_MAX_LENGTH = 64
# A form left open longer than this is saved again; sessions end long before.
KEEP_TOKENS = datetime.timedelta(days=2)

T = TypeVar("T")


class SubmitOnceMixin:
    """Adds the hidden one-time token of this rendering of a create form.

    A prefixed form is part of a page whose main form carries the token: it gets none."""

    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self, "prefix", None):
            return
        # Optional: a POST without a token (a script, an old page) is saved without the guard.
        self.fields[TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=TOKEN_MAX_LENGTH
        )
        self.initial[TOKEN_FIELD] = new_token()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def posted_token(request: HttpRequest) -> str:
    token = request.POST.get(TOKEN_FIELD, "")
    return token if 0 < len(token) <= TOKEN_MAX_LENGTH else ""


def already_saved(request: HttpRequest) -> str | None:
    """The address the first POST of this token led to, if this POST repeats a saved form."""
    token = posted_token(request)
    if not token or not request.user.is_authenticated:
        return None
    found = SubmissionToken.objects.filter(user_id=request.user.pk, token=token)
    return found.values_list("redirect_to", flat=True).first()


def save_once(request: HttpRequest, save: Callable[[], T], success: Callable[[T], str]) -> str:
    """Runs `save` unless the posted token has already saved; returns where to go next.

    The token row is written first, in the transaction of the save: a concurrent POST of
    the same token blocks on it and, once the first commits, gets the first's address.
    Errors of `save` roll the token back with everything else, so the form can be sent again.
    """
    token = posted_token(request)
    if not token or not request.user.is_authenticated:
        return success(save())
    with transaction.atomic():
        try:
            with transaction.atomic():
                mark = SubmissionToken.objects.create(user_id=request.user.pk, token=token)
        except IntegrityError:
            return already_saved(request) or ""
        mark.redirect_to = success(save())
        mark.save(update_fields=["redirect_to"])
        # No scheduled job needed: each save clears the user's expired tokens.
        SubmissionToken.objects.filter(
            user_id=request.user.pk, created_at__lt=timezone.now() - KEEP_TOKENS
        ).delete()
    return mark.redirect_to


def purge_submission_tokens(now: datetime.datetime | None = None) -> int:
    """Deletes tokens older than KEEP_TOKENS; returns how many."""
    limit = (now or timezone.now()) - KEEP_TOKENS
    deleted, _by_model = SubmissionToken.objects.filter(created_at__lt=limit).delete()
    return deleted
