"""The duplicate review: finding pairs (job, command, service), the ranked list, the pair
page with its evidence in words, merge and mark distinct through the pages, and undo."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.cases.services.cases import case_open
from bruecke.core.models import AuditEvent
from bruecke.dedupe.demo import DUPLICATES, seed_duplicates
from bruecke.dedupe.jobs import KIND
from bruecke.dedupe.models import DuplicatePair, Merge, PairStatus
from bruecke.dedupe.review.services import pair_mark_distinct, pairs_refresh
from bruecke.jobs.models import Job, JobState
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.models import Gender, Participant
from tests.audit_reads import read_ids
from tests.clients import verified_client
from tests.jobs_helpers import run_queued_jobs


def _pairs(demo: DemoNetwork) -> list[DuplicatePair]:
    return list(DuplicatePair.objects.filter(organisation=demo.partners["A"]).order_by("-weight"))


def _names(pair: DuplicatePair) -> set[str]:
    return {pair.first.full_name, pair.second.full_name}


def test_demo_duplicates_are_found_and_nothing_else(demo: DemoNetwork) -> None:
    seed_duplicates(demo)
    found = [_names(p) for p in _pairs(demo)]
    assert {"Mohammed Al-Hassan", "Mohamed Alhassan"} in found
    assert {"Olena Schewtschenko", "Olena Shevchenko"} in found
    assert len(found) == len(DUPLICATES)
    for pair in _pairs(demo):
        assert pair.first_id < pair.second_id and pair.status == PairStatus.OPEN
        assert pair.probability > 0.99
        # Evidence names comparison levels and weights, never the compared values.
        assert all(set(e) == {"comparison", "level", "weight"} for e in pair.evidence)
        assert pair.first.family_name not in str(pair.evidence)


def test_refresh_is_idempotent_and_never_proposes_a_distinct_pair_again(demo: DemoNetwork) -> None:
    seed_duplicates(demo)
    pair = _pairs(demo)[0]
    pair_mark_distinct(actor=demo.users["team_lead"], pair=pair)
    events = AuditEvent.objects.count()
    result = pairs_refresh(demo.partners["A"])
    assert result.new == 0 and result.dropped == 0
    assert AuditEvent.objects.count() == events  # nothing changed, nothing written
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISTINCT
    assert DuplicatePair.objects.filter(first=pair.first, second=pair.second).count() == 1


def test_an_open_pair_below_the_threshold_after_a_correction_is_dropped(demo: DemoNetwork) -> None:
    seed_duplicates(demo)
    olena = Participant.objects.get(organisation=demo.partners["A"], family_name="Shevchenko")
    services.participant_update(
        actor=demo.users["cm_a"],
        participant=olena,
        data={"given_names": "Oksana", "birth_year": 1961, "birth_month": 5, "country_of_birth": "KZ"},
    )
    result = pairs_refresh(demo.partners["A"], actor=demo.users["team_lead"])
    assert result.dropped == 1
    assert {"Olena Schewtschenko", "Oksana Shevchenko"} not in [_names(p) for p in _pairs(demo)]


def test_the_command_searches_one_organisation(demo: DemoNetwork) -> None:
    seed_duplicates(demo)
    DuplicatePair.objects.all().delete()
    out = io.StringIO()
    call_command("dedupe_find_pairs", "--organisation", str(demo.partners["A"].pk), stdout=out)
    assert f"{len(DUPLICATES)} probable duplicates to review" in out.getvalue()
    assert len(_pairs(demo)) == len(DUPLICATES)


def test_the_button_starts_a_job_that_finds_the_pairs(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    seed_duplicates(demo)
    DuplicatePair.objects.all().delete()
    client = verified_client(demo.users["team_lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dedupe:find_pairs"))
    assert response.status_code == 302
    assert run_queued_jobs() == 1
    job = Job.objects.get(kind=KIND)
    assert job.state == JobState.DONE and job.params == {"organisation_id": demo.partners["A"].pk}
    assert len(_pairs(demo)) == len(DUPLICATES)
    page = client.get(reverse("dedupe:review"))
    assert "Mohamed Alhassan" in page.content.decode()


def test_the_list_ranks_open_pairs_with_a_bounded_number_of_queries(
    demo: DemoNetwork, django_assert_max_num_queries: Any
) -> None:
    seed_duplicates(demo)
    client = verified_client(demo.users["dpo"])
    client.get(reverse("dedupe:review"))  # warm caches (session, translations)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("dedupe:review"))
    # More pairs: the count of queries stays the same.
    for index in range(30):
        person = Participant(
            organisation=demo.partners["A"],
            team=demo.teams["Rostock"],
            given_names="Karim",
            family_name=f"Zwilling{chr(65 + index % 26)}{index}",
            birth_year=1980,
            birth_month=1 + index % 12,
            birth_day=2 + index % 20,
            gender=Gender.MALE,
            nationality="SY",
            country_of_birth="SY",
        )
        services.participant_create(actor=demo.users["cm_a"], participant=person)
    first = list(Participant.objects.filter(family_name__startswith="Zwilling").order_by("pk"))
    for a, b in zip(first[::2], first[1::2], strict=False):
        DuplicatePair.objects.create(
            organisation=demo.partners["A"], first=a, second=b, weight=12.0, probability=0.9998, evidence=[]
        )
    with django_assert_max_num_queries(12):
        large = client.get(reverse("dedupe:review"))
    assert small.status_code == large.status_code == 200
    text = large.content.decode()
    ranked = _pairs(demo)
    assert ranked[0].weight > ranked[-1].weight
    assert text.index(ranked[0].second.full_name) < text.index(ranked[-1].second.full_name)


def _pair_of(demo: DemoNetwork, family: str) -> DuplicatePair:
    seed_duplicates(demo)
    person = Participant.objects.get(organisation=demo.partners["A"], family_name=family)
    return DuplicatePair.objects.get(organisation=demo.partners["A"], second=person)


def test_the_pair_page_shows_both_with_evidence_in_words_and_logs_two_reads(demo: DemoNetwork) -> None:
    pair = _pair_of(demo, "Alhassan")
    client = verified_client(demo.users["team_lead"])
    response = client.get(reverse("dedupe:pair", kwargs={"pk": pair.pk}))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Mohammed Al-Hassan" in text and "Mohamed Alhassan" in text
    assert "Geburtsdatum" in text and "für dieselbe Person" in text
    assert {str(pair.first_id), str(pair.second_id)} <= read_ids("participants.participant")


def _merge_post(client: Client, pair: DuplicatePair, keep: int, confirm: bool = True) -> Any:
    data: dict[str, Any] = {"keep": keep}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("dedupe:pair", kwargs={"pk": pair.pk}), data)


def test_merge_through_the_page_then_undo(demo: DemoNetwork) -> None:
    pair = _pair_of(demo, "Alhassan")
    client = verified_client(demo.users["team_lead"])
    response = _merge_post(client, pair, keep=pair.first_id)
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", kwargs={"pk": pair.first_id})
    detail = client.get(response["Location"]).content.decode()
    assert "Mohamed Alhassan" in detail  # now another spelling of the kept registration
    merge = Merge.objects.get(kept=pair.first)
    merges = client.get(reverse("dedupe:merges")).content.decode()
    assert "Mohamed Alhassan" in merges and reverse("dedupe:undo", kwargs={"pk": merge.pk}) in merges
    assert client.post(reverse("dedupe:undo", kwargs={"pk": merge.pk})).status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN
    assert Participant.objects.get(pk=pair.second_id).merged_into_id is None


def test_merge_needs_a_choice_and_the_confirmation_next_to_the_fields(demo: DemoNetwork) -> None:
    pair = _pair_of(demo, "Alhassan")
    client = verified_client(demo.users["team_lead"])
    response = _merge_post(client, pair, keep=pair.first_id, confirm=False)
    assert response.status_code == 400
    assert "Bestätigen Sie" in response.content.decode()
    response = client.post(
        reverse("dedupe:pair", kwargs={"pk": pair.pk}), {"keep": "999999", "confirm": "on"}
    )
    assert response.status_code == 400
    assert not Merge.objects.exists()


def test_a_refused_merge_shows_the_reason_and_changes_nothing(demo: DemoNetwork) -> None:
    pair = _pair_of(demo, "Alhassan")
    case_open(
        actor=demo.users["cm_a"],
        case=Case(participant=pair.second, team=demo.teams["Rostock"], case_manager=demo.users["cm_a"]),
    )
    client = verified_client(demo.users["team_lead"])
    page = client.get(reverse("dedupe:pair", kwargs={"pk": pair.pk})).content.decode()
    assert "offenen Fall" in page  # told before trying
    response = _merge_post(client, pair, keep=pair.first_id)
    assert response.status_code == 400
    assert "offenen Fall" in response.content.decode()
    assert not Merge.objects.exists()


def test_mark_distinct_through_the_page(demo: DemoNetwork) -> None:
    pair = _pair_of(demo, "Shevchenko")
    client = verified_client(demo.users["dpo"])
    assert client.post(reverse("dedupe:distinct", kwargs={"pk": pair.pk})).status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISTINCT and pair.decided_by == demo.users["dpo"]
    listed = client.get(reverse("dedupe:review")).content.decode()
    assert "Olena Shevchenko" not in listed
    # A decided pair cannot be merged afterwards.
    assert _merge_post(client, pair, keep=pair.first_id).status_code == 404


@pytest.mark.parametrize("key", ["cm_a", "po_a", "cm_b", "coordinator", "admin", "user_c"])
def test_no_one_else_reaches_a_pair(key: str, demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    pair = _pair_of(demo, "Alhassan")
    client = verified_client(persona(key))
    assert client.get(reverse("dedupe:pair", kwargs={"pk": pair.pk})).status_code == 404
    assert _merge_post(client, pair, keep=pair.first_id).status_code == 404
    assert not Merge.objects.exists()
