"""The access report (Art. 15) lists what duplicate detection did with the person: merges
of their registrations (undone or not), suspected duplicates and the review's decision,
and notices of a registration at another partner, naming only the other organisation."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bruecke.dedupe import access_report
from bruecke.dedupe.crosspartner.services import match_decide
from bruecke.dedupe.demo import seed_duplicates
from bruecke.dedupe.merge import merge_undo, participants_merge
from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerMatch, DuplicatePair, Merge, PairStatus
from bruecke.dedupe.review.services import pair_mark_distinct
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.models import Gender, Participant
from bruecke.privacy.subject_access import build_report

REPORT = "privacy:access_report"
JSON_COPY = "privacy:access_report_json"


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _register(demo: DemoNetwork, given: str, family: str) -> Participant:
    participant = Participant(
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
        given_names=given,
        family_name=family,
        birth_year=1994,
        birth_month=3,
        birth_day=7,
        gender=Gender.MALE,
        nationality="SY",
        country_of_birth="SY",
    )
    return services.participant_create(actor=demo.users["cm_a"], participant=participant)


def _json(client: Client, participant: Participant) -> dict[str, Any]:
    response = client.get(reverse(JSON_COPY, args=[participant.pk]))
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))["duplicate_detection"]  # type: ignore[attr-defined]


def test_a_person_without_any_finding_gets_an_empty_section(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    olena = Participant.objects.get(organisation=demo.partners["A"], family_name="Schewtschenko")
    assert _json(login("cm_a"), olena) == {"merges": [], "suspected_duplicates": [], "other_partners": []}
    html = login("cm_a").get(reverse(REPORT, args=[olena.pk])).content.decode()
    section = html.split('id="duplicate-detection"', 1)[1].split("</section>", 1)[0]
    assert "Nichts erfasst." in section


def test_a_merge_is_listed_with_both_registrations_and_its_undo(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    mohammed = _mohammed(demo)
    second = _register(demo, "Mohamed", "Alhassan")
    merge = participants_merge(actor=demo.users["team_lead"], kept=mohammed, merged=second)
    lead = demo.users["team_lead"].get_full_name()
    client = login("cm_a")

    [entry] = _json(client, mohammed)["merges"]
    assert entry["merged_by"] == lead and entry["undone_at"] is None and entry["undone_by"] is None
    assert entry["merged_registration"].startswith(f"Nr. {second.pk},")
    assert "Mohamed Alhassan" in entry["merged_registration"]
    assert entry["kept_registration"].startswith(f"Nr. {mohammed.pk},")
    assert "Mohammed Al-Hassan" in entry["kept_registration"]
    html = client.get(reverse(REPORT, args=[mohammed.pk])).content.decode()
    section = html.split('id="duplicate-detection"', 1)[1].split("</section>", 1)[0]
    assert "Zusammengeführte Anmeldungen" in section and lead in section
    assert merge.created_at.strftime("%d.%m.%Y") in section

    merge_undo(actor=demo.users["dpo"], merge=merge)
    # Both registrations are separate again and both reports say what happened.
    for participant in (mohammed, second):
        [entry] = _json(client, participant)["merges"]
        assert entry["undone_at"] is not None
        assert entry["undone_by"] == demo.users["dpo"].get_full_name()


def test_merges_into_merges_are_all_listed(demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    first, second = _register(demo, "Mohamed", "Alhassan"), _register(demo, "Muhamed", "Al Hasan")
    participants_merge(actor=demo.users["team_lead"], kept=second, merged=first)
    participants_merge(actor=demo.users["team_lead"], kept=mohammed, merged=second)
    assert access_report.own_registrations(mohammed) == {mohammed.pk, first.pk, second.pk}
    report = build_report(participant=mohammed, user=demo.users["cm_a"])
    merged = [m.merged for m in report.duplicates.merges]
    assert len(merged) == 2
    assert sorted(text.split(",")[0] for text in merged) == sorted([f"Nr. {first.pk}", f"Nr. {second.pk}"])


def test_a_suspected_duplicate_names_only_the_persons_own_registration(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    seed_duplicates(demo)  # second registrations in other spellings, and the pairs found
    pair = DuplicatePair.objects.get(
        first__family_name__in=["Schewtschenko", "Shevchenko"],
        second__family_name__in=["Schewtschenko", "Shevchenko"],
    )
    pair_mark_distinct(actor=demo.users["team_lead"], pair=pair)
    olena, other = pair.first, pair.second
    client = login("team_lead")
    [entry] = _json(client, olena)["suspected_duplicates"]
    assert entry["status"] == "verschiedene Personen"
    assert entry["decided_by"] == demo.users["team_lead"].get_full_name()
    assert entry["registration"].startswith(f"Nr. {olena.pk},")
    # Nothing of the other registration: it is another person's as far as the report knows.
    text = json.dumps(entry, ensure_ascii=False)
    assert other.full_name not in text and f"Nr. {other.pk}," not in text


def test_a_merged_pair_is_listed_as_a_merge_only(demo: DemoNetwork) -> None:
    seed_duplicates(demo)
    pair = DuplicatePair.objects.get(first__given_names="Yonas", second__given_names="Yonas")
    kept, merged = (pair.first, pair.second) if pair.first.team_id else (pair.second, pair.first)
    participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged, pair=pair)
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.MERGED
    history = access_report.duplicate_history(kept)
    assert len(history.merges) == 1 and history.suspicions == []


def test_a_notice_at_another_partner_names_the_organisation_only(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    mohammed = _mohammed(demo)
    at_b = Participant.objects.get(organisation=demo.partners["B"], family_name="Alhasan")
    client = login("cm_a")
    [entry] = _json(client, mohammed)["other_partners"]
    assert set(entry) == {"registration", "organisation", "status", "noticed_at"}
    assert entry["organisation"] == demo.partners["B"].name
    assert entry["registration"].startswith(f"Nr. {mohammed.pk},")
    assert f"Nr. {at_b.pk}," not in json.dumps(entry)
    low, high = sorted([mohammed.pk, at_b.pk])
    match = CrossPartnerMatch.objects.get(first_id=low, second_id=high)
    match_decide(actor=demo.users["cm_a"], match=match, side=mohammed, status=CrossMatchStatus.DISMISSED)
    [entry] = _json(client, mohammed)["other_partners"]
    assert entry["status"] == "nicht dieselbe Person"
    html = client.get(reverse(REPORT, args=[mohammed.pk])).content.decode()
    section = html.split('id="duplicate-detection"', 1)[1].split("</section>", 1)[0]
    assert demo.partners["B"].name in section and "nicht dieselbe Person" in section


def test_the_section_adds_a_fixed_number_of_queries(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    mohammed = _mohammed(demo)
    client = login("cm_a")
    counts = []
    for spelling in ("Mohamed Alhassan", "Muhamed Alhasan"):
        given, family = spelling.split()
        twin = _register(demo, given, family)
        participants_merge(actor=demo.users["team_lead"], kept=mohammed, merged=twin)
        with count_queries() as ctx:
            assert client.get(reverse(REPORT, args=[mohammed.pk])).status_code == 200
        counts.append(ctx.count)
    assert Merge.objects.filter(kept=mohammed).count() == 2
    assert counts[0] == counts[1]


def _section_strings() -> list[str]:
    text = (Path(settings.BASE_DIR) / "templates" / "privacy" / "access_report_duplicates.html").read_text()
    strings = re.findall(r'{% translate "([^"]+)" %}', text)
    strings += re.findall(r'_\("([^"]+)"\)', Path(access_report.__file__).read_text())
    strings += [str(label) for _value, label in PairStatus.choices if _value != PairStatus.MERGED]
    strings += [str(label) for _value, label in CrossMatchStatus.choices]
    return sorted(set(strings))


@pytest.mark.parametrize("language", ["de", "ar", "fa", "uk"])
def test_every_label_of_the_section_is_translated(language: str) -> None:
    from django.utils.translation import trans_real

    with translation.override("en"):
        strings = _section_strings()
    assert len(strings) > 15
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    assert [s for s in strings if not catalog.get(s)] == []
