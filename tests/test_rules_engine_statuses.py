"""Table-driven cases for the statuses without a residence title: the Fiktionsbescheinigung
(§ 81 Abs. 3, 4 AufenthG, and for temporary protection) and the visa-free short stay.

Written from the statutes as summarised in /work/shared/design/work-permission-law.md
(§ 1a: § 24 and its Fiktionsbescheinigung; visa-free stay without a § 24 application);
each rule on both sides of its change dates (1 Mar 2020, 1 Jun 2022, 1 Mar 2024).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from bruecke.rules.engine import assess
from bruecke.rules.types import Activity as A
from bruecke.rules.types import AsylumOutcome, Facts, NotCovered, StatusPeriod
from tests.test_rules_engine import BAN, OUT, PERM, Case, _cited, facts
from tests.test_rules_engine import test_case as check_case  # not collected twice

D = datetime.date
FIKTION_SINCE = D(2019, 12, 1)
CONTINUES = "§ 81 Abs. 4 S. 1 AufenthG@2013-07-01"
DEEMED = "§ 81 Abs. 3 S. 1 AufenthG@2013-07-01"
TITLE_SINCE = D(2018, 1, 1)


def continuation(
    previous: str, start: datetime.date = TITLE_SINCE, since: datetime.date = FIKTION_SINCE, **kw: Any
) -> Facts:
    """A Fiktionsbescheinigung from `since` after `previous` (which ended the day before)."""
    period = StatusPeriod(previous, start, since - datetime.timedelta(days=1))
    return facts("fiktion_continuation", status_since=since, history=(period,), **kw)


UA = {"nationality": "UA", "status_since": D(2022, 3, 10), "stay_since": D(2022, 3, 5)}

STATUS_CASES = [
    # --- § 81 Abs. 4: the previous title continues with its rules
    Case(
        "Fiktion continues § 25(2) refugee before the FEG",
        continuation("ae_25_2_refugee"),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        OUT,
        "by_law",
        "none",
        False,
        cites=(CONTINUES, "§ 25 Abs. 1, 2 AufenthG@2013-12-01"),
    ),
    Case(
        "Fiktion continues § 25(2) refugee since the FEG",
        continuation("ae_25_2_refugee"),
        A.SELF_EMPLOYMENT,
        D(2020, 3, 1),
        OUT,
        "by_law",
        cites=(CONTINUES, "§ 4a Abs. 1 AufenthG@2020-03-01"),
    ),
    Case(
        "Fiktion continues § 25(3): permission before the FEG",
        continuation("ae_25_3"),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        PERM,
        "discretion",
        "abh",
        False,
        cites=(CONTINUES,),
        flags=("title_permission_old",),
    ),
    Case(
        "Fiktion continues § 25(3): by law since the FEG",
        continuation("ae_25_3"),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        OUT,
        "by_law",
        cites=(CONTINUES, "§ 4a Abs. 1 AufenthG@2020-03-01"),
    ),
    Case(
        "Fiktion continues § 16a: the training is its purpose",
        continuation("ae_16a", D(2020, 3, 1), D(2023, 12, 1)),
        A.DUAL_TRAINING,
        D(2024, 2, 29),
        OUT,
        cites=(CONTINUES,),
        flags=("purpose_of_title",),
    ),
    Case(
        "Fiktion continues § 16a: another job needs a permission",
        continuation("ae_16a", D(2020, 3, 1), D(2023, 12, 1)),
        A.EMPLOYMENT,
        D(2024, 3, 1),
        PERM,
        "discretion",
        "abh",
        True,
        cites=(CONTINUES, "§ 4a Abs. 3 AufenthG@2024-03-01"),
    ),
    Case(
        "Fiktion continues § 24 before 1 Jun 2022",
        continuation("ae_24", D(2021, 6, 1), D(2022, 3, 1)),
        A.EMPLOYMENT,
        D(2022, 5, 31),
        PERM,
        "discretion",
        "abh",
        False,
        cites=(CONTINUES, "§ 24 Abs. 6 AufenthG a.F.@2020-03-01"),
        flags=("old_24_wording",),
    ),
    Case(
        "Fiktion continues § 24 since 1 Jun 2022",
        continuation("ae_24", D(2021, 6, 1), D(2022, 3, 1)),
        A.EMPLOYMENT,
        D(2022, 6, 1),
        OUT,
        "by_law",
        "none",
        False,
        cites=(CONTINUES, "§ 24 Abs. 1 AufenthG@2022-06-01"),
    ),
    Case(
        "a second Fiktionsbescheinigung still continues the title",
        facts(
            "fiktion_continuation",
            status_since=D(2022, 6, 1),
            history=(
                StatusPeriod("ae_25_2_subsidiary", D(2019, 1, 1), D(2021, 12, 31)),
                StatusPeriod("fiktion_continuation", D(2022, 1, 1), D(2022, 5, 31)),
            ),
        ),
        A.EMPLOYMENT,
        D(2022, 6, 1),
        OUT,
        "by_law",
        cites=(CONTINUES, "§ 4a Abs. 1 AufenthG@2020-03-01"),
    ),
    # A Duldung is no title: no Fiktion continues it, the Duldung's rules apply.
    Case(
        "Fiktionsbescheinigung after a Duldung: the Duldung's rules",
        continuation(
            "duldung_60a",
            D(2019, 1, 1),
            stay_since=D(2018, 6, 1),
            asylum_applied_on=D(2018, 6, 1),
            asylum_outcome=AsylumOutcome.REJECTED,
        ),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        PERM,
        authority="abh",
        cites=(CONTINUES,),
        no_flags=("fiktion_previous_title",),
    ),
    Case(
        "Fiktion with no earlier title recorded asks which one",
        facts("fiktion_continuation", status_since=FIKTION_SINCE),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        PERM,
        authority="abh",
        cites=(CONTINUES,),
        flags=("fiktion_previous_title",),
    ),
    # --- § 81 Abs. 3 S. 1: stay deemed permitted, no title
    Case(
        "stay deemed permitted: permission before the FEG",
        facts("fiktion_stay", status_since=D(2019, 11, 1)),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        PERM,
        "discretion",
        "abh",
        True,
        cites=(DEEMED, "§ 4 Abs. 3 AufenthG a.F.@2013-07-01"),
        flags=("fiktion_stay_permission",),
        no_flags=("fiktion_future_title",),
    ),
    Case(
        "stay deemed permitted: permission under § 4a(4) since the FEG",
        facts("fiktion_stay", status_since=D(2019, 11, 1)),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        PERM,
        "discretion",
        "abh",
        True,
        cites=(DEEMED, "§ 4a Abs. 4 AufenthG@2020-03-01"),
        flags=("fiktion_stay_permission", "fiktion_future_title"),
    ),
    Case(
        "stay deemed permitted: § 4a(4) as amended in 2024",
        facts("fiktion_stay", status_since=D(2023, 11, 1)),
        A.EMPLOYMENT,
        D(2024, 3, 1),
        PERM,
        cites=("§ 4a Abs. 4 AufenthG@2024-03-01",),
    ),
    Case(
        "stay deemed permitted: the future work title's job counts as permitted",
        facts("fiktion_stay", status_since=D(2023, 11, 1), judgements={"fiktion_future_title": True}),
        A.EMPLOYMENT,
        D(2024, 3, 1),
        OUT,
        "by_law",
        "none",
        False,
        cites=("§ 81 Abs. 5a AufenthG@2020-03-01",),
    ),
    Case(
        "stay deemed permitted: no self-employment without a title",
        facts("fiktion_stay", status_since=D(2023, 11, 1), judgements={"fiktion_future_title": True}),
        A.SELF_EMPLOYMENT,
        D(2024, 2, 29),
        BAN,
        cites=("§ 4a Abs. 4 AufenthG@2020-03-01",),
    ),
    Case(
        "stay deemed permitted: school-based training is not employment",
        facts("fiktion_stay", status_since=D(2023, 11, 1)),
        A.SCHOOL_TRAINING,
        D(2024, 3, 1),
        OUT,
    ),
    # --- § 24 applied for: Fiktionsbescheinigung for temporary protection
    Case(
        "§ 24 applied for before the FEG: permission, BA-free",
        facts("fiktion_24", status_since=D(2019, 6, 1)),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        PERM,
        "discretion",
        "abh",
        False,
        cites=(DEEMED, "§ 4 Abs. 3 AufenthG a.F.@2013-07-01"),
        flags=("old_24_wording", "fiktion_24_document"),
    ),
    Case(
        "§ 24 applied for, Ukraine, 31 May 2022: permission",
        facts("fiktion_24", **UA),
        A.EMPLOYMENT,
        D(2022, 5, 31),
        PERM,
        "discretion",
        "abh",
        False,
        cites=(DEEMED, "§ 24 Abs. 1 AufenthG@2020-03-01", "§ 4a Abs. 4 AufenthG@2020-03-01"),
        flags=("fiktion_24_document",),
    ),
    Case(
        "§ 24 applied for, Ukraine, 1 Jun 2022: allowed by law",
        facts("fiktion_24", **UA),
        A.EMPLOYMENT,
        D(2022, 6, 1),
        OUT,
        "by_law",
        "none",
        False,
        cites=(DEEMED, "§ 24 Abs. 1 AufenthG@2022-06-01"),
        flags=("fiktion_24_document",),
        no_flags=("old_24_wording",),
    ),
    Case(
        "§ 24 applied for: no self-employment before 1 Jun 2022",
        facts("fiktion_24", **UA),
        A.SELF_EMPLOYMENT,
        D(2022, 5, 31),
        BAN,
    ),
    Case(
        "§ 24 applied for: self-employment since 1 Jun 2022",
        facts("fiktion_24", **UA),
        A.SELF_EMPLOYMENT,
        D(2022, 6, 1),
        OUT,
    ),
    Case(
        "§ 24 applied for: dual training since 1 Jun 2022",
        facts("fiktion_24", **UA),
        A.DUAL_TRAINING,
        D(2024, 3, 1),
        OUT,
    ),
    # --- visa-free short stay: no gainful activity
    Case(
        "visa-free stay before the FEG: no work",
        facts("visa_free", status_since=D(2020, 2, 1)),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        BAN,
        cites=("§ 17 Abs. 1 AufenthV@2013-07-01", "§ 4 Abs. 3 AufenthG a.F.@2013-07-01"),
        flags=("visa_free_30_beschv",),
    ),
    Case(
        "visa-free stay since the FEG: no work",
        facts("visa_free", status_since=D(2020, 2, 1)),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        BAN,
        cites=("§ 17 Abs. 1 AufenthV@2013-07-01", "§ 4a Abs. 4 AufenthG@2020-03-01", DEEMED),
    ),
    Case(
        "Ukrainian without a § 24 application, 31 May 2022: no work",
        facts("visa_free", **UA),
        A.EMPLOYMENT,
        D(2022, 5, 31),
        BAN,
    ),
    Case(
        "Ukrainian without a § 24 application, 1 Jun 2022: still no work",
        facts("visa_free", **UA),
        A.DUAL_TRAINING,
        D(2022, 6, 1),
        BAN,
        cites=("§ 17 Abs. 1 AufenthV@2013-07-01",),
    ),
    Case(
        "visa-free stay: § 4a(4) as amended in 2024",
        facts("visa_free", status_since=D(2024, 2, 1)),
        A.SELF_EMPLOYMENT,
        D(2024, 3, 1),
        BAN,
        cites=("§ 4a Abs. 4 AufenthG@2024-03-01",),
    ),
    Case(
        "visa-free stay: an activity § 30 BeschV does not count as employment",
        facts("visa_free", status_since=D(2024, 2, 1), judgements={"visa_free_30_beschv": True}),
        A.EMPLOYMENT,
        D(2024, 2, 29),
        OUT,
        "by_law",
        "none",
        False,
        cites=("§ 30 BeschV@2013-07-01",),
    ),
    Case(
        "visa-free stay: § 30 BeschV does not open self-employment",
        facts("visa_free", status_since=D(2024, 2, 1), judgements={"visa_free_30_beschv": True}),
        A.SELF_EMPLOYMENT,
        D(2024, 3, 1),
        BAN,
    ),
    Case(
        "visa-free stay: unpaid volunteering is not employment",
        facts("visa_free", status_since=D(2024, 2, 1)),
        A.VOLUNTEERING,
        D(2024, 3, 1),
        OUT,
        flags=("ban_not_employment",),
    ),
]


@pytest.mark.parametrize("case", STATUS_CASES, ids=[c.id for c in STATUS_CASES])
def test_status_case(case: Case) -> None:
    check_case(case)


def test_enough_cases_on_both_sides_of_the_change_dates() -> None:
    assert len(STATUS_CASES) >= 12
    days = {c.on for c in STATUS_CASES}
    for change in (D(2020, 3, 1), D(2022, 6, 1), D(2024, 3, 1)):
        assert {change, change - datetime.timedelta(days=1)} <= days
    statuses = {c.facts.status for c in STATUS_CASES}
    assert statuses == {"fiktion_continuation", "fiktion_stay", "fiktion_24", "visa_free"}


def test_every_answer_cites_every_conclusion() -> None:
    for case in STATUS_CASES:
        answer = assess(case.facts, case.activity, case.on)
        topics = {g.topic for g in answer.grounds if g.citations}
        assert "outcome" in topics, case.id
        if answer.outcome in ("needs_permission", "not_yet"):
            assert {"decision", "authority", "ba"} <= topics, case.id


def test_the_answer_names_the_title_it_continued() -> None:
    answer = assess(continuation("ae_25_2_subsidiary"), A.EMPLOYMENT, D(2023, 1, 1))
    notes = [g for g in answer.grounds if g.code == "fiktion_continued"]
    assert [g.detail for g in notes] == ["ae_25_2_subsidiary"]
    assert CONTINUES in _cited(answer)


def test_a_duldung_is_not_continued_as_a_title() -> None:
    """The answer follows the Duldung and says why; it never becomes a title's 'allowed'."""
    duldung = continuation("duldung_60b", D(2019, 9, 1))
    answer = assess(duldung, A.EMPLOYMENT, D(2023, 1, 1))
    assert answer.outcome == BAN  # § 60b Duldung: the ban continues
    assert [g.detail for g in answer.grounds if g.code == "fiktion_not_title"] == ["duldung_60b"]
    assert not [g for g in answer.grounds if g.code == "fiktion_continued"]


def test_the_newest_earlier_title_is_continued() -> None:
    history = (
        StatusPeriod("ae_24", D(2022, 4, 1), D(2023, 3, 31)),
        StatusPeriod("ae_18ab", D(2023, 4, 1), D(2024, 3, 31)),
    )
    fiktion = facts("fiktion_continuation", status_since=D(2024, 4, 1), history=history)
    answer = assess(fiktion, A.EMPLOYMENT, D(2024, 6, 1))
    assert [g.detail for g in answer.grounds if g.code == "fiktion_continued"] == ["ae_18ab"]
    assert answer.outcome == OUT  # employment is the purpose of the § 18a/§ 18b title


def test_visa_free_answer_names_the_next_step() -> None:
    answer = assess(facts("visa_free", **UA), A.EMPLOYMENT, D(2023, 1, 1))
    assert "visa_free_apply" in {g.code for g in answer.grounds if g.topic == "note"}
    allowed = assess(facts("fiktion_24", **UA), A.EMPLOYMENT, D(2023, 1, 1))
    assert "visa_free_apply" not in {g.code for g in allowed.grounds}


def test_continued_title_without_rule_on_that_day_is_not_covered() -> None:
    """§ 16a titles are encoded from 1 Mar 2020: a Fiktion continuing one is not answered
    earlier either (the previous title decides)."""
    with pytest.raises(NotCovered):
        assess(continuation("ae_16a", D(2019, 6, 1)), A.EMPLOYMENT, D(2020, 2, 29))


# --- the question page and the facts from the residence history


def _post(**overrides: Any) -> dict[str, Any]:
    data = {
        "activity": "employment",
        "on": "2023-10-01",
        "status_since": "2023-01-01",
        "nationality": "UA",
        "stay_since": "2022-03-05",
        "asylum_outcome": "none",
    }
    return data | overrides


@pytest.mark.parametrize("status", ["fiktion_continuation", "fiktion_stay", "fiktion_24", "visa_free"])
def test_the_question_page_answers_every_new_status(status: str, demo: Any, login: Any) -> None:
    from django.urls import reverse

    from bruecke.participants.models import Participant
    from bruecke.rules import texts

    person = Participant.objects.get(family_name="Schewtschenko")
    url = reverse("rules:question", args=[person.pk])
    body = login("cm_a").post(url, _post(status=status)).content.decode()
    assert "do not cover" not in body and "decken diesen Status" not in body
    assert "§ 81 Abs." in body or "§ 17 Abs. 1 AufenthV" in body
    if status == "fiktion_continuation":  # nothing earlier entered: the page asks for it
        assert str(texts.QUESTIONS["fiktion_previous_title"]) in body
        continued = _post(status=status, h0_status="ae_24", h0_start="2022-04-01", h0_end="2022-12-31")
        body = login("cm_a").post(url, continued).content.decode()
        assert str(texts.OUTCOMES["allowed"]) in body
        assert str(texts.GROUNDS["fiktion_continued"]) in body


def test_facts_follow_a_fiktion_after_a_duldung(demo: Any) -> None:
    """A Fiktionsbescheinigung entered after a Duldung: the asylum outcome is that of the
    Duldung (rejected), so the Duldung's bans are checked when the answer follows it."""
    from bruecke.participants import services
    from bruecke.participants.models import Participant, ResidenceStatus
    from bruecke.participants.selectors import participant_get
    from bruecke.rules.facts import assess_participant, facts_for

    person = Participant.objects.get(family_name="Hussein")
    duldung = person.residence_statuses.get()
    services.residence_status_add(
        actor=demo.users["cm_a"],
        status=ResidenceStatus(
            participant=person,
            status="fiktion_continuation",
            issued_on=duldung.issued_on + datetime.timedelta(days=30),
            asylum_applied_on=duldung.issued_on - datetime.timedelta(days=400),
        ),
    )
    person = participant_get(demo.users["cm_a"], person.pk)
    on = duldung.issued_on + datetime.timedelta(days=60)
    facts_ = facts_for(person, on)
    assert facts_ is not None and facts_.status == "fiktion_continuation"
    assert facts_.asylum_outcome == AsylumOutcome.REJECTED
    answer = assess_participant(person, A.EMPLOYMENT, on)
    assert answer is not None
    assert [g.detail for g in answer.grounds if g.code == "fiktion_not_title"] == ["duldung_60a"]


@pytest.mark.django_db
def test_spreadsheet_words_for_the_new_statuses(demo: Any) -> None:
    from tests.test_spreadsheets_participants import AMIR, PEOPLE, STATUS, _person, _run

    _run(demo, "participants", [PEOPLE, AMIR])
    rows = [
        STATUS,
        ["S-1", "P-1", "visumfrei", "01.03.2022", "30.05.2022", ""],
        ["S-2", "P-1", "Fiktionsbescheinigung § 24", "31.05.2022", "30.11.2022", ""],
        ["S-3", "P-1", "§ 24", "01.12.2022", "30.11.2024", ""],
        ["S-4", "P-1", "Fiktionsbescheinigung", "01.12.2024", "", ""],
    ]
    counts, results = _run(demo, "residence_statuses", rows)
    assert counts.created == 4, [r.errors for r in results]
    amir = _person("P-1")
    statuses = list(amir.residence_statuses.order_by("issued_on").values_list("status", flat=True))
    assert statuses == ["visa_free", "fiktion_24", "ae_24", "fiktion_continuation"]
    assert amir.current_status == "fiktion_continuation"


def test_the_overview_has_rows_for_the_new_statuses(demo: Any, login: Any) -> None:
    from django.urls import reverse

    from bruecke.participants.models import ResidenceStatusType

    body = login("coordinator").get(reverse("rules:overview"), {"on": "2023-10-01"}).content.decode()
    for status in (
        ResidenceStatusType.FIKTION_STAY,
        ResidenceStatusType.FIKTION_24,
        ResidenceStatusType.VISA_FREE,
    ):
        assert str(status.label) in body
    assert "§ 17 Abs. 1 AufenthV" in body
    assert "§ 81 Abs. 4 AufenthG" in body  # the continuation is explained below the table


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["fiktion_continuation", "fiktion_stay", "fiktion_24", "visa_free"])
def test_the_residence_form_offers_the_new_statuses(status: str) -> None:
    from bruecke.participants.forms import ResidenceStatusForm

    form = ResidenceStatusForm(data={"status": status, "issued_on": "2024-01-15", "work_note": ""})
    form.is_valid()
    assert "status" not in form.errors  # an unknown choice would be refused here


def test_the_demo_shows_a_fiktionsbescheinigung_before_the_title(demo: Any) -> None:
    """Olena Schewtschenko held a Fiktionsbescheinigung (§ 24 applied for) before her title."""
    from bruecke.participants.models import Participant
    from bruecke.rules.facts import assess_participant, facts_for

    person = Participant.objects.get(family_name="Schewtschenko")
    fiktion = person.residence_statuses.get(status="fiktion_24")
    assert person.current_status == "ae_24"
    facts_ = facts_for(person, fiktion.issued_on)
    assert facts_ is not None and facts_.status == "fiktion_24"
    answer = assess_participant(person, A.EMPLOYMENT, fiktion.issued_on)
    assert answer is not None and answer.outcome == OUT
