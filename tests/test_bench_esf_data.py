"""The bulk ESF generator (bench/esf_data.py): COPY on PostgreSQL, consistent rows."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from bruecke.cases.models import Case
from bruecke.esf.exit_services import stored_results
from bruecke.esf.models import EntryRecord, ExitRecord
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import NameKey, Participant

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the generator loads with PostgreSQL's COPY; run with DATABASE_URL=postgres://…",
    ),
]


def _generator() -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    return importlib.import_module("esf_data")


def test_generator_loads_consistent_rows(demo: DemoNetwork) -> None:
    esf_data = _generator()
    written = esf_data.generate(demo, 200, seed=7)
    people = Participant.objects.filter(district=esf_data.MARKER)
    assert people.count() == written["participants_participant"] == 200
    assert EntryRecord.objects.filter(participant__in=people).count() == 200
    assert NameKey.objects.filter(participant__in=people).count() == written["participants_namekey"] > 200
    exits = ExitRecord.objects.filter(participant__in=people).select_related("participant")
    assert 80 < exits.count() < 160  # about 60 % exited
    assert Case.objects.filter(participant__in=people, status="closed").count() == exits.count()
    assert set(people.values_list("team__network_id", flat=True)) == {demo.network.pk}
    for record in exits.prefetch_related("situations", "follow_ups"):
        expected = stored_results(
            entry_date=record.participant.entry_date,
            exit_date=record.exit_date,
            qualification_on=record.qualification_on if record.qualification_gained else None,
            situations=[s.as_result_input() for s in record.situations.all()],
            answers=[f.as_result_input() for f in record.follow_ups.all()],
        )
        assert {name: getattr(record, name) for name in expected} == expected, record.pk
        record.full_clean(exclude=["case", "participant", "organisation"])
    # Encrypted answers are real ciphertexts: they decrypt through the model field.
    answers = {(r.disability, r.minority) for r in EntryRecord.objects.filter(participant__in=people)}
    assert {a for pair in answers for a in pair} <= {"", "yes", "no", "refused"}
    assert any("yes" in pair for pair in answers)


def test_generator_runs_twice_and_replaces_its_rows(demo: DemoNetwork) -> None:
    esf_data = _generator()
    esf_data.generate(demo, 50, seed=1)
    esf_data.generate(demo, 30, seed=2)
    assert Participant.objects.filter(district=esf_data.MARKER).count() == 30
    # The sequences continue after the copied ids: a normal insert still works.
    fresh = Participant.objects.filter(district=esf_data.MARKER).first()
    assert fresh is not None
    fresh.pk = None
    fresh.district = ""
    fresh.save()
