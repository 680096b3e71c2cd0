"""Test harness: the demo network with its personas is built once per session.

Non-transactional tests run inside a transaction that is rolled back, so the seeded
network is shared and every test starts from the same state.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
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
from bruecke.network.models import Network, Organisation, Team
from bruecke.participants.demo import seed_fixed
from bruecke.privacy.demo import seed_breach
from tests.clients import verified_client

# Speed is measured in bench/, not in tests: no per-example deadline (a loaded CI machine
# must not turn a correct property into a flaky failure).
hypothesis_settings.register_profile("bruecke", deadline=None)
hypothesis_settings.load_profile("bruecke")

PERSONA_KEYS = ["cm_a", "po_a", "cm_b", "team_lead", "coordinator", "dpo", "admin", "user_c"]


def _seed_demo() -> None:
    demo = seed_network()
    seed_fixed(demo)
    seed_breach(demo)  # the same demo data as `make run`
    _demo_keys[:] = [_DemoKeys.of(demo)]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        _seed_demo()
    yield


# Set when a transactional test (live server, browser) emptied the database at its end.
_flushed: list[bool] = []


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _demo_after_flush(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    """Seeds the demo data again for a test that runs after a transactional test.

    pytest-django runs transactional tests last in each process, but with xdist's work
    stealing an idle worker that has run its browser tests may take ordinary tests from
    the other worker; they would find the database emptied by the flush at the end of the
    browser test. This runs before the test's transaction opens (autouse fixtures come
    first), so the seeding is committed and happens once."""
    uses_db = "db" in request.fixturenames or request.node.get_closest_marker("django_db") is not None
    if _flushed and uses_db and not _is_transactional(request):
        with django_db_blocker.unblock():
            _seed_demo()
            if not connection.in_atomic_block:  # else rolled back with the test: seed again
                _flushed.clear()
    yield
    if _is_transactional(request):
        _flushed[:] = [True]


@dataclass(frozen=True)
class _DemoKeys:
    """Primary keys of the seeded demo network: what a test's `demo` is loaded from."""

    networks: dict[str, int]
    partners: dict[str, int]
    teams: dict[str, int]
    users: dict[str, int]

    @classmethod
    def of(cls, demo: DemoNetwork) -> _DemoKeys:
        return cls(
            networks={"network": demo.network.pk, "second_network": demo.second_network.pk},
            partners={key: o.pk for key, o in demo.partners.items()},
            teams={key: t.pk for key, t in demo.teams.items()},
            users={key: u.pk for key, u in demo.users.items()},
        )


# Per test process (each xdist worker has its own database and its own keys).
_demo_keys: list[_DemoKeys] = []


def _rows(model: type[Any], keys: dict[str, int]) -> dict[str, Any] | None:
    """Fresh instances for `keys`, or None when a row is gone (a transactional test flushed
    the database, or a test deleted it)."""
    found = model._default_manager.in_bulk(keys.values())
    if len(found) != len(set(keys.values())):
        return None
    return {key: found[pk] for key, pk in keys.items()}


def _load_demo() -> DemoNetwork | None:
    if not _demo_keys:
        return None
    keys = _demo_keys[0]
    networks = _rows(Network, keys.networks)
    partners = _rows(Organisation, keys.partners)
    teams = _rows(Team, keys.teams)
    users = _rows(User, keys.users)
    if networks is None or partners is None or teams is None or users is None:
        return None
    return DemoNetwork(networks["network"], partners, teams, users, networks["second_network"])


@pytest.fixture
def demo(db: None) -> DemoNetwork:
    """The seeded demo network, as fresh instances loaded by primary key (4 queries).

    Calling `seed_network()` here instead (80 queries: it looks up every row it would
    create) cost ~80 ms in each of ~3,000 tests. The keys are remembered from the last
    seeding in this process; when one of the rows is missing (a transactional test flushed
    the database) the network is seeded again, exactly as before."""
    loaded = _load_demo()
    if loaded is not None:
        return loaded
    seeded = seed_network()
    _demo_keys[:] = [_DemoKeys.of(seeded)]
    return seeded


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


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Names the random test order (decision 0034) at the end, where a failure is read:
    `-q` hides pytest-randomly's own header line."""
    if config.pluginmanager.hasplugin("randomly"):
        seed = config.getoption("randomly_seed")
        terminalreporter.write_line(f"Random test order: repeat it with -p randomly --randomly-seed={seed}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Removes this process's throw-away MEDIA_ROOT: `settings_test` makes one per process
    (so every xdist worker has its own), and each run would otherwise leave them in /tmp."""
    from django.conf import settings

    media = Path(settings.MEDIA_ROOT)
    if media.name.startswith("bruecke-test-media-") and media.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(media, ignore_errors=True)
