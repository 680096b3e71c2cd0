"""Failed-sign-in throttling with atomic counters (decision 0021).

Each attempt first takes one unit of its user name's and its client address's allowance
with a single conditional `UPDATE … SET count = count + 1 WHERE count < limit`. The
database evaluates check and increment as one statement, so parallel requests cannot
all pass the check before any of them is counted (SQLite and PostgreSQL alike). A
successful sign-in gives its unit back, so the counters count failures (and attempts still
being checked). The audit log keeps one event per failure and per refusal, as before.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from bruecke.accounts.models import ThrottleCounter


def username_key(username: str) -> str:
    """A keyed digest of the attempted user name: countable, but not the name itself."""
    normalised = username.strip().casefold().encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode(), normalised, hashlib.sha256).hexdigest()[:32]


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def take(key: str, limit: int) -> bool:
    """Atomically takes one attempt from `key`'s allowance in the current window; False
    (and nothing counted) when the allowance is used up."""
    now = timezone.now()
    counters = ThrottleCounter.objects.filter(key=key)
    ThrottleCounter.objects.get_or_create(key=key, defaults={"window_start": now})
    # A window that has run out starts again; the condition makes a parallel reset harmless.
    counters.filter(window_start__lt=_window_start()).update(window_start=now, count=0)
    return counters.filter(count__lt=limit).update(count=F("count") + 1) == 1


def give_back(key: str) -> None:
    """Returns the unit of an attempt that succeeded."""
    ThrottleCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def sign_in_keys(username: str, remote_addr: str | None) -> list[tuple[str, int]]:
    """The counters a sign-in attempt uses, with their limits."""
    keys = [(f"name:{username_key(username)}", settings.LOGIN_FAILURE_LIMIT)]
    if remote_addr:
        keys.append((f"addr:{remote_addr}", settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS))
    return keys


def sign_in_begin(username: str, remote_addr: str | None) -> list[str] | None:
    """Takes one attempt from every counter of this sign-in; None (nothing taken) when one
    of them is used up. Returns the keys to give back if the password is right."""
    taken: list[str] = []
    for key, limit in sign_in_keys(username, remote_addr):
        if not take(key, limit):
            for earlier in taken:
                give_back(earlier)
            return None
        taken.append(key)
    return taken


def sign_in_succeeded(keys: list[str]) -> None:
    for key in keys:
        give_back(key)
