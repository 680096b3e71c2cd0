"""Training the duplicate model with Splink on generated registrations (real runs, small
data), the threshold calibration, and the service, job and command that store a
network's model."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from dedupe_data import Registration, generate

from bruecke.core.models import AuditAction, AuditEvent
from bruecke.dedupe import batch, training
from bruecke.dedupe.active import active_model
from bruecke.dedupe.models import ModelParameters, TermFrequency
from bruecke.dedupe.records import record_from_row
from bruecke.jobs.models import Job, JobState
from bruecke.jobs.services import job_start
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.jobs_helpers import refreshed, run_queued_jobs


@pytest.fixture(scope="module")
def generated() -> list[Registration]:
    return generate(3_000, seed=11)


@pytest.fixture(scope="module")
def trained(generated: list[Registration]) -> training.TrainingResult:
    return training.train([record_from_row(r.row) for r in generated])


def _weights(result: training.TrainingResult) -> dict[str, dict[str, float]]:
    return {
        c: {level: p.weight for level, p in levels.items()} for c, levels in result.parameters.levels.items()
    }


def test_training_learns_sensible_weights(trained: training.TrainingResult) -> None:
    w = _weights(trained)
    for name in ("given_name", "family_name"):
        assert w[name]["same"] > 3 > w[name]["close"] and w[name]["else"] < -2
    birth = w["birth_date"]
    assert birth["same"] > birth["same_month"] > 0 > birth["else"]
    assert birth["year_partial"] > birth["year"]
    assert w["sex"]["else"] < -2 < w["sex"]["same"]
    # Agreeing on origin is discounted where names agree (conditional_u): it follows from
    # the name, so it must not count again.
    assert 0 < w["nationality"]["same"] < 1.6
    assert 1e-5 < trained.parameters.prior < 1e-3
    assert trained.records == 3_000
    assert set(trained.term_frequencies) == {"given_key", "family_key"}


def test_threshold_meets_the_model_estimate_and_is_checked_on_the_truth(
    generated: list[Registration], trained: training.TrainingResult
) -> None:
    assert trained.estimated_precision >= training.TARGET_PRECISION
    records = [record_from_row(r.row) for r in generated]
    person = {r.row["pk"]: r.person_id for r in generated}
    params = trained.parameters
    pairs = batch.find_pairs(records, params, trained.term_frequencies, params.threshold_weight)
    true_pairs = sum(person[a] == person[b] for a, b, _w in pairs)
    # Measured on the truth the model never saw: the estimate is optimistic (names and
    # origin are not independent among different people), see docs/benchmarks.md.
    assert true_pairs / len(pairs) > 0.8


def test_calibration_takes_the_lowest_weight_keeping_the_mean_probability() -> None:
    weights = [20.0, -2.0, 20.0, 3.0, 20.0]
    threshold, precision = training.calibrate_threshold(weights, target=0.97)
    assert threshold == 3.0  # mean P of the four strongest: (3 * 1.0 + 0.89) / 4 = 0.972
    assert precision == pytest.approx((3 + 8 / 9) / 4, abs=1e-4)
    strict, strict_precision = training.calibrate_threshold(weights, target=0.99)
    assert strict == 20.0
    assert strict_precision == pytest.approx(1.0)
    assert training.calibrate_threshold([]) == (0.0, 1.0)


def _bulk_participants(demo: DemoNetwork, registrations: list[Registration]) -> list[Participant]:
    partners = [demo.partners["A"], demo.partners["B"]]
    return Participant.objects.bulk_create(
        Participant(
            organisation=partners[r.organisation % 2],
            **{k: v for k, v in r.row.items() if k not in ("pk", "organisation_id")},
            entry_date=datetime.date(2024, 1, 1),
        )
        for r in registrations
    )


def test_model_train_stores_the_model_and_deactivates_the_previous(
    demo: DemoNetwork, generated: list[Registration], persona: Callable[[str], Any]
) -> None:
    people = _bulk_participants(demo, generated[:400])
    merged = people[0]
    merged.merged_into = people[1]
    merged.save(update_fields=["merged_into"])
    lead = persona("team_lead")
    first = training.model_train(demo.network, lead)
    second = training.model_train(demo.network, lead)
    assert first is not None and second is not None
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    in_network = Participant.objects.filter(organisation__network=demo.network, merged_into__isnull=True)
    assert second.trained_on_records == in_network.count()
    assert second.trained_by == lead
    assert TermFrequency.objects.filter(parameters=second, column="family_key").count() > 50
    assert active_model(demo.network.pk).row_id == second.pk
    assert active_model(demo.network.pk).threshold_weight == second.threshold_weight
    events = AuditEvent.objects.filter(object_type="dedupe.modelparameters")
    assert events.filter(action=AuditAction.CREATE, object_id=str(second.pk)).exists()
    assert events.filter(action=AuditAction.UPDATE, object_id=str(first.pk)).exists()


def test_too_few_registrations_keep_the_built_in_model(demo: DemoNetwork) -> None:
    assert training.model_train(demo.second_network, None) is None
    assert not ModelParameters.objects.filter(network=demo.second_network).exists()


def test_train_job_runs_for_a_team_lead_and_refuses_a_case_manager(
    demo: DemoNetwork,
    generated: list[Registration],
    persona: Callable[[str], Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _bulk_participants(demo, generated[:300])
    params = {"network_id": demo.network.pk}
    with django_capture_on_commit_callbacks(execute=True):
        allowed = job_start(actor=persona("team_lead"), kind="dedupe.train", params=params, title="Modell")
        refused = job_start(actor=persona("cm_a"), kind="dedupe.train", params=params, title="Modell")
    run_queued_jobs()
    assert refreshed(allowed).state == JobState.DONE
    assert refreshed(refused).state == JobState.FAILED
    assert ModelParameters.objects.filter(network=demo.network, is_active=True).count() == 1
    assert Job.objects.filter(kind="dedupe.train").count() == 2


def test_command_trains_one_network(demo: DemoNetwork, generated: list[Registration], capsys: Any) -> None:
    _bulk_participants(demo, generated[:300])
    call_command("dedupe_train", "--network", str(demo.network.pk))
    assert "threshold weight" in capsys.readouterr().out
    assert ModelParameters.objects.filter(network=demo.network, is_active=True, trained_by=None).exists()
