"""Reads of reports from the read replica (bruecke/core/routers.py, decision 0069).

The `replica` alias is added for this module only, as Django's TEST MIRROR of default: a
second connection to the same test database, as a streaming replica is a second server
with the same rows. Every other test runs with the single database. The tests that use
the replica are transactional: its connection sees committed rows only, as a real
replica does (and SQLite's shared in-memory test database locks a second connection out
of a test's open transaction).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.core.routers import REPLICA, ReadSource, choose_source, measure_lag, replica_reads
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.projects.models import EsfVariant, Project

REPORT = reverse("reporting:indicators")
BOTH = ["default", REPLICA]


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup: None) -> Iterator[None]:
    """`replica` as a test mirror of default (the test database's name, its own connection)."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS}}
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@contextmanager
def without_replica() -> Iterator[None]:
    """The installation without DATABASE_REPLICA_URL."""
    saved = connections.settings.pop(REPLICA)
    try:
        yield
    finally:
        connections.settings[REPLICA] = saved


@contextmanager
def queries_on_both() -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        yield on_default, on_replica


def _choice(demo: DemoNetwork, project: Project) -> str:
    return urlencode(
        {
            "project": str(project.pk),
            "start": "2024-01-01",
            "end": "2024-12-31",
            "scope": f"network-{demo.network.pk}",
        }
    )


@pytest.fixture
def project(demo: DemoNetwork) -> Project:
    project = Project.objects.create(
        network=demo.network,
        name="Testvorhaben Replikat",
        esf_variant=EsfVariant.ESF_PLUS,
        starts_on=datetime.date(2024, 1, 1),
    )
    Participant.objects.create(
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
        project=project,
        given_names="Amira",
        family_name="Replikat",
        latin_name="Amira Replikat",
        birth_year=1990,
        nationality="SY",
        entry_date=datetime.date(2024, 3, 1),
    )
    return project


def _figures(response: Any) -> dict[str, Any]:
    return {value.code: value.values for value in response.context["report"].indicators}


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_report_reads_its_figures_from_the_replica(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project
) -> None:
    client = login("team_lead")
    url = f"{REPORT}?{_choice(demo, project)}"
    with queries_on_both() as (on_default, on_replica):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response.context["read_source"] == ReadSource(REPLICA, 0.0)
    # The lag reading and the engine's counting queries went to the replica; the
    # session, the user and the choice of project stayed on the primary.
    replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "esf" in replica_sql.lower() and len(on_replica.captured_queries) >= 3
    assert any("django_session" in q["sql"] for q in on_default.captured_queries)
    assert "django_session" not in replica_sql
    assert "Stand der Daten: vor 0 s (Lesereplikat)" in response.content.decode()
    # The same queries on either database: the figures do not depend on where they came from.
    with without_replica():
        on_primary = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert on_primary.context["read_source"] == ReadSource(DEFAULT_DB_ALIAS)
    assert "Lesereplikat" not in on_primary.content.decode()
    assert _figures(on_primary) == _figures(response)
    # The participation made by this test (no entry record yet) is counted on the replica.
    assert response.context["report"].incomplete_count == on_primary.context["report"].incomplete_count == 1


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_dashboard_reads_from_the_replica(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    with queries_on_both() as (_on_default, on_replica):
        response = login("team_lead").get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert response.context["read_source"].from_replica
    assert on_replica.captured_queries
    assert "Stand der Daten: vor 0 s (Lesereplikat)" in response.content.decode()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_inside_the_scope_go_to_the_primary(demo: DemoNetwork) -> None:
    with queries_on_both() as (on_default, on_replica), replica_reads() as source:
        assert source.from_replica
        assert router.db_for_read(AuditEvent) == REPLICA
        assert router.db_for_write(AuditEvent) == DEFAULT_DB_ALIAS
        event = audit_record(actor=demo.users["team_lead"], action=AuditAction.EXPORT, object_type="test")
    assert event._state.db == DEFAULT_DB_ALIAS
    assert any(q["sql"].startswith("INSERT") for q in on_default.captured_queries)
    assert not any(q["sql"].startswith("INSERT") for q in on_replica.captured_queries)
    assert AuditEvent.objects.using(DEFAULT_DB_ALIAS).filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_outside_the_scope_every_read_goes_to_the_primary(demo: DemoNetwork) -> None:
    with replica_reads():
        user = type(demo.users["cm_a"]).objects.get(pk=demo.users["cm_a"].pk)
    assert user._state.db == REPLICA
    # A row read in the scope does not drag later reads of its relations to the replica.
    assert router.db_for_read(type(user), instance=user) == DEFAULT_DB_ALIAS
    assert Participant.objects.all().db == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_without_a_replica_the_scope_reads_from_the_primary() -> None:
    with without_replica(), CaptureQueriesContext(connection) as on_default, replica_reads() as source:
        assert source == ReadSource(DEFAULT_DB_ALIAS)
        assert Participant.objects.all().db == DEFAULT_DB_ALIAS
    assert on_default.captured_queries == []  # no lag reading without a replica


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_mirror_reports_no_lag() -> None:
    # A server that is not in recovery is the primary itself (on PostgreSQL the real
    # query runs; SQLite has no replication).
    assert measure_lag() == 0.0


def test_a_lag_above_the_maximum_reads_from_the_primary() -> None:
    assert choose_source(30.5, 30) == ReadSource(DEFAULT_DB_ALIAS)
    assert choose_source(None, 30) == ReadSource(DEFAULT_DB_ALIAS)  # replica not streaming
    assert choose_source(30.0, 30) == ReadSource(REPLICA, 30.0)
    assert choose_source(0.0, 0) == ReadSource(REPLICA, 0.0)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_scope_obeys_the_maximum_lag_setting(settings: Any) -> None:
    settings.DATABASE_REPLICA_MAX_LAG = 0
    with replica_reads() as source:
        assert source.from_replica  # the mirror's lag is 0, not above 0
    assert Participant.objects.all().db == DEFAULT_DB_ALIAS


@pytest.mark.parametrize(
    ("language", "text"),
    [("de", "Stand der Daten: vor 3 s (Lesereplikat)"), ("en", "Data as of 3 s ago (read replica)")],
)
def test_the_age_of_the_data_reads_in_german_and_english(language: str, text: str) -> None:
    with translation.override(language):
        shown = render_to_string("reporting/_data_age.html", {"read_source": ReadSource(REPLICA, 3.4)})
        hidden = render_to_string("reporting/_data_age.html", {"read_source": ReadSource(DEFAULT_DB_ALIAS)})
    assert text in shown
    assert hidden.strip() == ""
