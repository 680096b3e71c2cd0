"""List exports read the primary database even when a read replica is configured
(decision 0073): the access rules that choose the rows are as current as the page's, and
the file needs no note about the data's age.

The `replica` alias is a TEST MIRROR of default for this module only, as in
tests/test_replica_router.py; the tests are transactional (a second connection sees
committed rows only)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bruecke.core.routers import REPLICA, replica_reads
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.spreadsheets_export_helpers import csv_rows, finish, participant, start

BOTH = [DEFAULT_DB_ALIAS, REPLICA]


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup: None) -> Iterator[None]:
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS}}
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def _committed(execute: bool) -> contextlib.AbstractContextManager[None]:
    return contextlib.nullcontext()  # transactional: on_commit callbacks run at once


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_list_export_reads_nothing_from_a_current_replica(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    participant(demo, "Primaerlesung")
    client = login("cm_a")
    with CaptureQueriesContext(connections[REPLICA]) as during_export:
        job = finish(start(client, _committed, "participants"))
    assert during_export.captured_queries == []
    assert "Primaerlesung" in {row[1] for row in csv_rows(job.result_file().read_bytes())}
    # The replica is current and answers a report's scope: the export chose not to ask it.
    with CaptureQueriesContext(connections[REPLICA]) as control, replica_reads() as source:
        assert source.from_replica
        assert Participant.objects.filter(family_name="Primaerlesung").exists()
    asked: list[dict[str, Any]] = control.captured_queries
    assert any("participants_participant" in q["sql"] for q in asked)
