"""A Django test client signed in with password and second factor (tests and benchmarks)."""

from __future__ import annotations

import time

from django.test import Client

from bruecke.accounts.mfa import MFA_SESSION_KEY
from bruecke.accounts.models import User


def verified_client(user: User) -> Client:
    """Signed in with password and second factor (the MFA step itself is tested apart)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_SESSION_KEY] = time.time()
    session.save()
    return client
