"""The question page on a participant, the overview page and the one-function API."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.models import Participant, ResidenceStatus, WorkNote
from bruecke.participants.selectors import participant_get
from bruecke.rules import priority, texts
from bruecke.rules.facts import assess_participant, facts_for
from bruecke.rules.forms import BOOLEAN_FACTS
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import Activity, AsylumOutcome, PriorityCheck

Login = Callable[[str], Client]


def _person(demo: DemoNetwork, family_name: str) -> Participant:
    return Participant.objects.get(family_name=family_name)


def _post(**overrides: Any) -> dict[str, Any]:
    data = {
        "activity": "employment",
        "on": "2024-05-01",
        "status": "duldung_60a",
        "status_since": "2022-01-01",
        "nationality": "SY",
        "stay_since": "2021-06-01",
        "asylum_applied_on": "2021-06-01",
        "asylum_outcome": "rejected",
    }
    # The yes / no facts are answered "no" unless a test says otherwise (unknown facts
    # would show both answers; tests/test_rules_answer_page.py covers that).
    data |= {name: "no" for name, _label in BOOLEAN_FACTS}
    return data | overrides


def test_participant_page_links_to_the_question(demo: DemoNetwork, login: Login) -> None:
    person = _person(demo, "Al-Hassan")
    response = login("cm_a").get(reverse("participants:detail", args=[person.pk]))
    assert reverse("rules:question", args=[person.pk]) in response.content.decode()


def test_question_page_answers_from_the_record(demo: DemoNetwork, login: Login) -> None:
    person = _person(demo, "Al-Hassan")
    before = AuditEvent.objects.filter(action="read", object_id=str(person.pk)).count()
    response = login("cm_a").get(reverse("rules:question", args=[person.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert str(texts.OUTCOMES["allowed"]) in body  # § 25(2) refugee: allowed by law
    assert "§ 4a Abs. 1 AufenthG" in body
    assert rule_data().data_as_of.strftime("%d.%m.%Y") in body
    assert AuditEvent.objects.filter(action="read", object_id=str(person.pk)).count() == before + 1


def test_corrected_facts_change_the_answer(demo: DemoNetwork, login: Login) -> None:
    person = _person(demo, "Al-Hassan")
    url = reverse("rules:question", args=[person.pk])
    client = login("cm_a")
    soll = client.post(url, _post()).content.decode()
    assert str(texts.DECISIONS["regular"]) in soll
    assert str(texts.QUESTIONS["imminent_measures"]) in soll
    judged = client.post(url, _post(j_own_fault="yes")).content.decode()
    assert str(texts.OUTCOMES["banned"]) in judged
    waiting = client.post(url, _post(status_since="2024-04-01", stay_since="2024-04-01")).content.decode()
    assert str(texts.OUTCOMES["not_yet"]) in waiting
    assert "01.07.2024" in waiting
    # § 16g did not exist before 1 Mar 2024: the page says the rule data do not cover it.
    uncovered = client.post(url, _post(status="ae_16g", on="2024-01-15"))
    assert uncovered.status_code == 200
    assert (
        "do not cover" in uncovered.content.decode() or "decken diesen Status" in uncovered.content.decode()
    )
    # The record itself is not changed by a correction.
    assert person.residence_statuses.get().status == "ae_25_2_refugee"


def test_history_rows_are_facts_too(demo: DemoNetwork, login: Login) -> None:
    """A Moroccan geduldet on 6 May 2025 keeps access under the EU list (§ 104(18) Nr. 2)."""
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    data = _post(on="2026-08-01", nationality="MA", status_since="2026-01-01", asylum_applied_on="2024-01-01")
    client = login("cm_a")
    assert str(texts.OUTCOMES["banned"]) in client.post(url, data).content.decode()
    data |= {"h0_status": "duldung_60a", "h0_start": "2025-01-01", "h0_end": "2025-12-31"}
    body = client.post(url, data).content.decode()
    assert str(texts.OUTCOMES["banned"]) not in body
    # The grandfathering rule is cited as an examined exception, with its cut-off day.
    assert str(texts.GROUNDS["exception_applied"]) in body
    assert texts.exception_detail("grandfathered_tolerated_on@2025-05-06") in body
    assert texts.exception_detail("grandfathered_work_permission_on@2026-06-11") in body
    assert "§ 104 Abs. 18 Nr. 2 AufenthG" in body


def test_bad_inputs_are_refused(demo: DemoNetwork, login: Login) -> None:
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    client = login("cm_a")
    for bad in (
        {"on": "2013-06-30"},
        {"on": "not a date"},
        {"status": "<script>"},
        {"activity": "smuggling"},
        {"status_since": "3000-01-01"},
        {"nationality": "ZZ\x00"},
        {"h0_status": "gestattung"},
        {"h0_status": "gestattung", "h0_start": "2022-01-01", "h0_end": "2021-01-01"},
        {"weekly_hours": "-1"},
        {"employed_since": "twelve"},
        {"german_level": "Z9"},
        {"workplace_district": "atlantis"},
    ):
        response = client.post(url, _post(**bad))
        assert response.status_code == 400, bad
        assert "<script>" not in response.content.decode()


def test_other_partner_gets_404(demo: DemoNetwork, login: Login) -> None:
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    assert login("cm_b").get(url).status_code == 404
    assert login("cm_b").post(url, _post()).status_code == 404


def test_overview_for_a_chosen_date(login: Login, demo: DemoNetwork) -> None:
    client = login("coordinator")
    body = client.get(reverse("rules:overview"), {"on": "2024-05-01"}).content.decode()
    assert "§ 60a Abs. 5b AufenthG" in body
    assert str(texts.DECISIONS["regular"]) in body
    older = client.get(reverse("rules:overview"), {"on": "2023-10-01"}).content.decode()
    assert "§ 60a Abs. 5b AufenthG" not in older
    assert client.get(reverse("rules:overview"), {"on": "2013-06-30"}).status_code == 400
    assert client.get(reverse("rules:overview"), {"on": "garbage"}).status_code == 400


def test_priority_check_follows_the_workplace_district(demo: DemoNetwork, login: Login) -> None:
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    client = login("cm_a")
    base = _post(on="2016-09-01", status_since="2016-01-01", stay_since="2016-01-01")
    unknown = client.post(url, base).content.decode()
    assert str(texts.PRIORITY_STATES["open"]) in unknown
    munich = client.post(url, base | {"workplace_district": "by_muenchen"}).content.decode()
    assert str(texts.PRIORITY_STATES["required"]) in munich
    assert "Anlage zu § 32 BeschV" in munich
    listed = client.post(url, base | {"workplace_district": "other"}).content.decode()
    assert 'data-testid="priority">' + str(texts.PRIORITY_STATES["none"]) in listed
    today = client.post(url, _post()).content.decode()
    assert str(texts.GROUNDS["priority_abolished"]) in today


def test_navigation_links_to_the_overview(login: Login, demo: DemoNetwork) -> None:
    for persona in ("cm_a", "coordinator", "dpo"):
        body = login(persona).get(reverse("core:dashboard")).content.decode()
        assert f'href="{reverse("rules:overview")}"' in body, persona


def test_overview_shows_titles_before_2020(login: Login, demo: DemoNetwork) -> None:
    body = login("coordinator").get(reverse("rules:overview"), {"on": "2018-06-01"}).content.decode()
    assert "§ 4 Abs. 2 AufenthG a.F." in body
    assert "§ 31 BeschV" in body  # § 25(3)-(5): the authority's permission without BA approval
    assert "§ 9 Abs. 1 S. 2 AufenthG a.F." in body  # settlement permit
    regime = rule_data().regime_for("duldung_60a", False, datetime.date(2018, 6, 1))
    assert regime is not None and regime.priority_check is not None
    assert texts.priority_rule_text(regime.priority_check) in body  # the 2016-2019 rule in words
    assert texts.priority_rule_text(None) == ""


def test_one_function_for_other_parts(demo: DemoNetwork) -> None:
    person = participant_get(demo.users["cm_a"], _person(demo, "Hussein").pk)
    today = timezone.localdate()
    facts = facts_for(person, today)
    assert facts is not None
    assert facts.status == "duldung_60a"
    assert facts.asylum_outcome == AsylumOutcome.NONE
    answer = assess_participant(person, Activity.DUAL_TRAINING, today)
    assert answer is not None
    assert answer.ba_approval is False
    assert answer.data_as_of == rule_data().data_as_of


def test_every_code_has_a_text() -> None:
    data = rule_data()
    assert set(data.flags) <= set(texts.QUESTIONS)
    assert {w.code for r in data.regimes for w in r.waits} | {"four_years"} <= set(texts.WAITS)
    assert {b.code for r in data.regimes for b in r.bans} <= set(texts.GROUNDS)
    assert set(texts.ACTIVITIES) == set(Activity)
    assert set(PriorityCheck) - {PriorityCheck.NOT_APPLICABLE} == set(texts.PRIORITY_STATES)
    assert "priority_free" in texts.WAITS
    rules = {r.priority_check for r in data.regimes if r.priority_check}
    codes = {priority.EXCEPTION_RESULT.code}
    for rule in rules:
        for district in ("", "other", "by_muenchen"):
            for over in (False, True):
                codes.add(priority.check(rule, data.districts, district, over).code)
    assert codes <= set(texts.GROUNDS), codes - set(texts.GROUNDS)


def test_prechecks_on_the_question_page(demo: DemoNetwork, login: Login) -> None:
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    data = _post(arrival_date="01.06.2021", german_level="A2", employed_since="01.03.2023", weekly_hours="25")
    body = login("cm_a").post(url, data).content.decode()
    assert str(texts.PRECHECKS["60d"]) in body
    assert str(texts.PRECHECKS["25b"]) in body
    assert str(texts.PRECHECK_STATES["judgement"]) in body


def test_facts_follow_the_residence_history(demo: DemoNetwork) -> None:
    """Gestattung first, then a Duldung: the Duldung is current, the Gestattung history,
    the application date comes from the earlier document, the outcome is 'rejected'."""
    person = _person(demo, "Hussein")
    current = person.residence_statuses.get()
    services.residence_status_add(
        actor=demo.users["cm_a"],
        status=ResidenceStatus(
            participant=person,
            status="gestattung",
            issued_on=current.issued_on - datetime.timedelta(days=400),
            valid_until=current.issued_on - datetime.timedelta(days=1),
            asylum_applied_on=current.issued_on - datetime.timedelta(days=400),
            work_note=WorkNote.PERMITTED,
        ),
    )
    person = participant_get(demo.users["cm_a"], person.pk)
    facts = facts_for(person, timezone.localdate())
    assert facts is not None
    assert facts.status == "duldung_60a"
    assert [p.status for p in facts.history] == ["gestattung"]
    assert facts.asylum_applied_on == current.issued_on - datetime.timedelta(days=400)
    assert facts.asylum_outcome == AsylumOutcome.REJECTED
    assert facts.stay_since == person.arrival_date or facts.stay_since == facts.asylum_applied_on
    # Asked for a day before the Duldung, the Gestattung is the status of that day.
    earlier = facts_for(person, current.issued_on - datetime.timedelta(days=10))
    assert earlier is not None and earlier.status == "gestattung"


def test_question_page_queries_do_not_grow_with_history(
    demo: DemoNetwork, login: Login, count_queries: Callable[..., Any]
) -> None:
    person = _person(demo, "Hussein")
    client = login("cm_a")
    counts = []
    for extra in (0, 20):
        ResidenceStatus.objects.bulk_create(
            ResidenceStatus(participant=person, status="gestattung", issued_on=datetime.date(2015, 1, 1 + i))
            for i in range(extra)
        )
        with count_queries() as ctx:
            assert client.get(reverse("rules:question", args=[person.pk])).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_work_permission_on_the_cut_off_day_is_a_fact(demo: DemoNetwork, login: Login) -> None:
    """§ 104(18) Nr. 2: an Egyptian holding a work permission on 11 Jun 2026 keeps access."""
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    data = _post(on="2026-08-01", nationality="EG", status_since="2026-06-20", asylum_applied_on="2024-01-01")
    client = login("cm_a")
    assert str(texts.OUTCOMES["banned"]) in client.post(url, data).content.decode()
    assert (
        str(texts.OUTCOMES["banned"]) not in client.post(url, data | {"wp_20260611": "on"}).content.decode()
    )


def _work_summary(body: str) -> str | None:
    """The participant page's work-permission summary: the element whose classes include
    "work-summary" (KERN adds its own classes beside it), up to its closing tag."""
    found = re.search(r'<(\w+)[^>]*\bclass="[^"]*\bwork-summary\b[^"]*"', body)
    if found is None:
        return None
    return body[found.start() :].split(f"</{found.group(1)}>")[0]


def test_participant_page_shows_the_answer_at_a_glance(demo: DemoNetwork, login: Login) -> None:
    person = _person(demo, "Al-Hassan")  # § 25(2) refugee protection
    body = login("cm_a").get(reverse("participants:detail", args=[person.pk])).content.decode()
    summary = _work_summary(body)
    assert summary is not None
    assert summary.count(str(texts.OUTCOMES["allowed"])) >= 2  # employment and dual training
    assert rule_data().data_as_of.strftime("%d.%m.%Y") in body  # with the date of the rule data


def test_no_summary_without_a_residence_document(demo: DemoNetwork, login: Login) -> None:
    person = _person(demo, "Al-Hassan")
    ResidenceStatus.objects.filter(participant=person).delete()
    body = login("cm_a").get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert _work_summary(body) is None
    assert "work-summary" not in body


def test_summary_for_an_asylum_seeker(demo: DemoNetwork, login: Login) -> None:
    person = _person(demo, "Rahimi")  # Aufenthaltsgestattung
    body = login("cm_a").get(reverse("participants:detail", args=[person.pk])).content.decode()
    expected = {str(texts.OUTCOMES["needs_permission"]), str(texts.OUTCOMES["not_yet"])}
    summary = _work_summary(body)
    assert summary is not None
    assert any(label in summary for label in expected)
    assert str(texts.OUTCOMES["allowed"]) not in summary


def _order(body: str, *markers: str) -> list[int]:
    return [body.index(marker) for marker in markers]


def test_the_answer_shows_the_verdict_first_and_folds_the_rest(demo: DemoNetwork, login: Login) -> None:
    """The first screen answers the question: verdict, next step, reasons; the details,
    the pre-checks and the facts follow, folded, and everything is still on the page."""
    person = _person(demo, "Al-Hassan")
    body = login("cm_a").get(reverse("rules:question", args=[person.pk])).content.decode()
    positions = _order(
        body,
        'data-testid="verdict-headline"',
        'data-testid="next-step"',
        'id="answer-reasons"',
        'id="answer-details"',
        'id="prechecks-heading"',
        'id="question-facts"',
    )
    assert positions == sorted(positions)
    verdict = body[body.index('class="rules-verdict') : body.index('id="answer-reasons"')]
    assert "rules-verdict--success" in verdict and "Ja, ohne Erlaubnis (gesetzlich erlaubt)" in verdict
    assert "§ 4a Abs. 1 AufenthG" not in verdict  # the reasons are below the verdict …
    assert "§ 4a Abs. 1 AufenthG" in body  # … and on the page, not folded
    assert '<details class="kern-accordion" id="answer-details">' in body  # folded
    assert '<details class="kern-accordion" id="answer-prechecks">' in body
    assert '<details class="kern-accordion" id="question-facts">' in body  # folded: there is an answer


def test_the_verdict_colour_follows_the_outcome(demo: DemoNetwork, login: Login) -> None:
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    client = login("cm_a")
    cases = {
        "needs_permission": (_post(), "Ja, mit Erlaubnis der Ausländerbehörde – Regelanspruch (Soll)"),
        "not_yet": (
            _post(status_since="2024-04-01", stay_since="2024-04-01"),
            "Noch nicht – frühestens ab 01.07.2024",
        ),
        "banned": (_post(j_own_fault="yes"), "Nein – Beschäftigungsverbot"),
    }
    kinds = {"needs_permission": "info", "not_yet": "warning", "banned": "danger"}
    for outcome, (data, headline) in cases.items():
        body = client.post(url, data).content.decode()
        verdict = body[body.index('class="rules-verdict') : body.index('id="answer-reasons"')]
        assert f"rules-verdict--{kinds[outcome]}" in verdict, outcome
        assert headline in verdict, outcome
    # Open judgement questions: a caveat under the verdict and listed, unfolded, after the reasons.
    soll = client.post(url, _post()).content.decode()
    assert 'data-testid="verdict-caveat"' in soll.split('id="answer-reasons"')[0]
    assert (
        soll.index('id="answer-reasons"') < soll.index('id="answer-open"') < soll.index('id="answer-details"')
    )


def test_the_facts_stay_unfolded_when_the_question_was_refused(demo: DemoNetwork, login: Login) -> None:
    url = reverse("rules:question", args=[_person(demo, "Al-Hassan").pk])
    response = login("cm_a").post(url, _post(on="not a date"))
    assert response.status_code == 400
    assert '<details class="kern-accordion" id="question-facts" open>' in response.content.decode()
