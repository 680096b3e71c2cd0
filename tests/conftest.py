"""Test harness: the demo network with its personas is built once per session.

Non-transactional tests run inside a transaction that is rolled back, so the seeded
network is shared and every test starts from the same state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("BRUECKE_ENV", "test")
# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# next to one unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork, seed_network
from bruecke.participants.demo import seed_fixed
from bruecke.privacy.demo import seed_breach
from tests.clients import verified_client

# Speed is measured in bench/, not in tests: no per-example deadline (a loaded CI machine
# must not turn a correct property into a flaky failure).
hypothesis_settings.register_profile("bruecke", deadline=None)
hypothesis_settings.load_profile("bruecke")

PERSONA_KEYS = ["cm_a", "po_a", "cm_b", "team_lead", "coordinator", "dpo", "admin", "user_c"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        demo = seed_network()
        seed_fixed(demo)
        seed_breach(demo)  # the same demo data as `make run`
    yield


@pytest.fixture
def demo(db: None) -> DemoNetwork:
    """The seeded demo network (seeding is idempotent, so this only reads)."""
    return seed_network()


@pytest.fixture
def persona(demo: DemoNetwork) -> Callable[[str], User]:
    def get(key: str) -> User:
        if key in demo.users:
            return demo.users[key]
        return User.objects.get(username=key)

    return get


@pytest.fixture
def login(persona: Callable[[str], User]) -> Callable[[str], Client]:
    """A client signed in as the named persona."""

    def make(key: str) -> Client:
        return verified_client(persona(key))

    return make


class QueryCounter(CaptureQueriesContext):
    @property
    def count(self) -> int:
        return len(self.captured_queries)


@pytest.fixture
def count_queries() -> Callable[[], QueryCounter]:
    from django.db import connection

    def make(conn: BaseDatabaseWrapper = connection) -> QueryCounter:
        return QueryCounter(conn)

    return make
