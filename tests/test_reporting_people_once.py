"""Funders count people once (§11.1, decision 0064): a merged registration counts nowhere,
and registrations of one person at several partners of one project (a confirmed
cross-partner match) are one participation: the earliest entry with every entry
characteristic, the latest exit, none while any of them is open."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bruecke.cases.models import Case, CaseStatus
from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerMatch
from bruecke.esf.exit_models import ExitRecord
from bruecke.esf.models import EntryRecord
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Consent, ConsentMethod, ConsentPurpose, Participant
from bruecke.projects.models import Project, ResultBase
from bruecke.reporting.activity import activity_figures
from bruecke.reporting.forecast import _participants as participants_target_count
from bruecke.reporting.funder.pseudonym import participant_pseudonym
from bruecke.reporting.funder.records import funder_participants, funder_people, funder_records
from bruecke.reporting.indicators import BREAKDOWN, IndicatorReport, compute_report, participants_behind
from bruecke.reporting.people import join_people, people_count
from bruecke.reporting.selectors import slice_for
from bruecke.reporting.selectors.dashboard_flow import flow
from tests.indicator_data import (
    D,
    leave,
    make_project,
    network_scope,
    open_case,
    partner_scope,
    person,
    request_for,
)
from tests.test_reporting_indicators_properties import PERIOD, SETTINGS, SPECS, Spec, _build, _period

pytestmark = pytest.mark.django_db
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


def _same_person(demo: DemoNetwork, one: Participant, other: Participant, status: str = "confirmed") -> None:
    first, second = sorted((one, other), key=lambda p: p.pk)
    CrossPartnerMatch.objects.create(
        network=demo.network, first=first, second=second, score=0.99, status=status
    )


def _merge(drop: Participant, keep: Participant) -> None:
    """The state a merge leaves (the merge service does the same, audited): every record
    of `drop` moved to `keep`, `drop` pointing at `keep`."""
    if not EntryRecord.objects.filter(participant=keep).exists():
        EntryRecord.objects.filter(participant=drop).update(participant=keep)
    Case.objects.filter(participant=drop).update(participant=keep)
    ExitRecord.objects.filter(participant=drop).update(participant=keep)
    Participant.objects.filter(pk=drop.pk).update(merged_into=keep)


def _report(demo: DemoNetwork, project: Project, partner: str | None = None) -> IndicatorReport:
    scope = partner_scope(demo, partner) if partner else None
    return compute_report(request_for(demo, project, *YEAR, scope))


def _total(report: IndicatorReport, code: str, column: str = "total") -> int:
    return report.by_code()[code].values.get(column)


def _entries(demo: DemoNetwork, project: Project) -> int:
    return flow(slice_for(network_scope(demo), project, *YEAR)).total("entries")


# --- merged registrations ------------------------------------------------------------------


def test_a_merged_registration_counts_nowhere(demo: DemoNetwork) -> None:
    project = make_project(demo)
    keep = person(demo, project, entry=D(2025, 3, 1), record=False)
    drop = person(demo, project, entry=D(2025, 3, 1), lm="employed")
    leave(demo, drop, D(2025, 6, 1), situations=[(1, "employed")])
    everywhere: tuple[Callable[[], int], ...] = (
        lambda: _total(_report(demo, project), "EECO01"),
        lambda: activity_figures(project, network_scope(demo), *YEAR).new,
        lambda: activity_figures(project, network_scope(demo), *YEAR).exited,
        lambda: participants_target_count(project, [demo.partners["A"].pk], *YEAR)[""],
        lambda: _entries(demo, project),
        lambda: funder_participants(demo.users["team_lead"], project, network_scope(demo), *YEAR).count(),
    )
    # keep has no entry record yet: only the file, the dashboards and the activity count it
    assert [count() for count in everywhere] == [1, 2, 1, 2, 2, 2]

    _merge(drop, keep)

    assert [count() for count in everywhere] == [1, 1, 1, 1, 1, 1]
    report = _report(demo, project)
    assert _total(report, "EECO05") == 1 and _total(report, "EECR04") == 1  # the moved records
    assert set(participants_behind(request_for(demo, project, *YEAR), "EECO01")) == {keep}
    assert set(participants_behind(request_for(demo, project, *YEAR), "EECR04")) == {keep}


# --- one participation across partners -----------------------------------------------------


def test_two_partners_one_person_count_once_with_the_earliest_entry(demo: DemoNetwork) -> None:
    project = make_project(demo)
    earlier = person(demo, project, partner="A", entry=D(2025, 2, 1), lm="unemployed", gender="female")
    later = person(
        demo, project, partner="B", team="Greifswald", entry=D(2025, 4, 1), lm="employed", gender="male"
    )
    before = _report(demo, project)
    assert (_total(before, "EECO01"), _total(before, "EECO02"), _total(before, "EECO05")) == (2, 1, 1)
    assert before.joined_across_partners == 0

    _same_person(demo, earlier, later)

    after = _report(demo, project)
    assert (_total(after, "EECO01"), _total(after, "EECO02"), _total(after, "EECO05")) == (1, 1, 0)
    assert (_total(after, "EECO01", "women"), _total(after, "EECO01", "men")) == (1, 0)
    assert after.joined_across_partners == 1
    line = next(check for check in after.checks if "einmal" in check.label or "once" in check.label)
    assert line.holds and "1" in line.detail and "2" in line.detail
    assert all(check.holds for check in after.checks)
    assert any(label == "Participation" or label == "Teilnahme" for label, _value in after.settings_used)
    # each partner's own scope still shows its own registration
    assert _total(_report(demo, project, "B"), "EECO05") == 1
    assert _total(_report(demo, project, "A"), "EECO02") == 1
    assert set(participants_behind(request_for(demo, project, *YEAR), "EECO01")) == {earlier}
    # the dashboard attributes the participation to the partner of the earliest entry
    by_partner = flow(slice_for(network_scope(demo), project, *YEAR)).entries
    assert {key[2] for key, n in by_partner.items() if n} == {demo.partners["A"].name}
    assert activity_figures(project, network_scope(demo), *YEAR).new == 1
    assert participants_target_count(project, [demo.partners["A"].pk, demo.partners["B"].pk], *YEAR)[""] == 1


def test_the_first_entry_decides_the_period(demo: DemoNetwork) -> None:
    project = make_project(demo)
    earlier = person(demo, project, partner="A", entry=D(2024, 11, 1))
    later = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 3, 1))
    assert _total(_report(demo, project), "EECO01") == 1
    _same_person(demo, earlier, later)
    assert _total(_report(demo, project), "EECO01") == 0  # entered in 2024, as one participation
    assert _report(demo, project).joined_across_partners == 0


def test_open_or_dismissed_matches_join_nothing_and_shared_ones_do(demo: DemoNetwork) -> None:
    project = make_project(demo)
    one = person(demo, project, partner="A")
    other = person(demo, project, partner="B", team="Greifswald")
    for status, expected in [
        (CrossMatchStatus.OPEN, 2),
        (CrossMatchStatus.DISMISSED, 2),
        (CrossMatchStatus.SHARED, 1),
        (CrossMatchStatus.CONFIRMED, 1),
    ]:
        CrossPartnerMatch.objects.all().delete()
        _same_person(demo, one, other, status)
        assert _total(_report(demo, project), "EECO01") == expected, status


def test_links_are_transitive_and_a_person_in_two_projects_is_two_participants(demo: DemoNetwork) -> None:
    project, other_project = make_project(demo), make_project(demo)
    a = person(demo, project, partner="A", entry=D(2025, 5, 1))
    b = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 3, 1))
    c = person(demo, other_project, partner="C", team="Schwerin", entry=D(2025, 1, 1))
    d = person(demo, project, partner="D", team="Schwerin", entry=D(2025, 4, 1))
    _same_person(demo, a, c)  # a = c = d through c, which is in the other project
    _same_person(demo, c, d)
    _same_person(demo, b, d)
    report = _report(demo, project)
    assert _total(report, "EECO01") == 1 and report.joined_across_partners == 1
    assert set(participants_behind(request_for(demo, project, *YEAR), "EECO01")) == {b}
    assert _total(_report(demo, other_project), "EECO01") == 1


def test_a_link_to_a_merged_registration_stands_for_the_kept_one(demo: DemoNetwork) -> None:
    project = make_project(demo)
    at_a = person(demo, project, partner="A", entry=D(2025, 2, 1))
    dropped = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 3, 1), record=False)
    kept = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 3, 1))
    _same_person(demo, at_a, dropped)
    _merge(dropped, kept)
    assert _total(_report(demo, project), "EECO01") == 1
    assert join_people(Participant.objects.filter(project=project), demo.network.pk).first_of == {
        at_a.pk: at_a.pk,
        kept.pk: at_a.pk,
    }


def test_the_exit_is_the_latest_and_none_while_one_registration_is_open(demo: DemoNetwork) -> None:
    project = make_project(demo)
    earlier = person(demo, project, partner="A", entry=D(2025, 1, 10))
    later = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 2, 1))
    leave(demo, earlier, D(2025, 4, 1), situations=[(1, "employed")])
    still_open = open_case(demo, later)
    _same_person(demo, earlier, later)

    report = _report(demo, project)
    assert (_total(report, "EECR04"), _total(report, "EECR01")) == (0, 0)  # open at B

    Case.objects.filter(pk=still_open.pk).update(status=CaseStatus.CLOSED, closed_on=D(2025, 7, 1))
    leave(demo, later, D(2025, 7, 1), situations=[(2, "job_searching")])
    report = _report(demo, project)
    assert (_total(report, "EECR04"), _total(report, "EECR01")) == (0, 1)  # B's exit is the latest
    assert set(participants_behind(request_for(demo, project, *YEAR), "EECR01")) == {earlier}
    assert all(check.holds for check in report.checks)


def test_results_read_the_entry_characteristics_of_the_earliest_entry(demo: DemoNetwork) -> None:
    """Employed at the earliest entry: left out of EECR04 under the transition variant,
    even though the registration holding the final exit was unemployed at its entry."""
    project = make_project(demo, result_base=ResultBase.TRANSITION)
    earlier = person(demo, project, partner="A", entry=D(2025, 1, 10), lm="employed")
    later = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 2, 1), lm="unemployed")
    leave(demo, later, D(2025, 6, 1), situations=[(1, "employed")])
    assert _total(_report(demo, project), "EECR04") == 1
    _same_person(demo, earlier, later)
    assert _total(_report(demo, project), "EECR04") == 0
    Project.objects.filter(pk=project.pk).update(result_base=ResultBase.GROSS)
    project.refresh_from_db()
    report = _report(demo, project)
    assert _total(report, "EECR04") == 1
    assert _total(report, "EECR04", "women") == 1


def test_an_incomplete_later_registration_lends_its_exit_to_the_complete_participation(
    demo: DemoNetwork,
) -> None:
    """Why joining may raise a result count (the property test checks outputs only): the
    participation is complete by its earliest entry and ends with the later exit."""
    project = make_project(demo)
    earlier = person(demo, project, partner="A", entry=D(2025, 1, 10))
    later = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 2, 1), isced=None)
    leave(demo, later, D(2025, 6, 1), situations=[(1, "employed")])
    assert _total(_report(demo, project), "EECR04") == 0  # incomplete: in no indicator
    _same_person(demo, earlier, later)
    assert _total(_report(demo, project), "EECR04") == 1


def test_query_count_does_not_grow_with_the_links(demo: DemoNetwork) -> None:
    counts = []
    for size in (2, 12):
        project = make_project(demo)
        for number in range(size):
            one = person(demo, project, partner="A", entry=D(2025, 2, 1))
            other = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 3, 1))
            leave(demo, other, D(2025, 6, 1), situations=[(1, "employed")])
            if number % 2:
                open_case(demo, one)
            _same_person(demo, one, other)
        with CaptureQueriesContext(connection) as queries:
            report = _report(demo, project)
        assert report.joined_across_partners == size
        assert _total(report, "EECO01") == size
        assert _total(report, "EECR04") == size // 2
        counts.append(len(queries))
    # partners, links, linked rows, outputs, encrypted answers, results, open cases,
    # exits of the linked rows, joined results
    assert counts[0] == counts[1] <= 9, counts


# --- the funder's participant file --------------------------------------------------------


def _share(demo: DemoNetwork, participant: Participant, partner: str) -> None:
    consent = Consent.objects.create(
        participant=participant,
        purpose=ConsentPurpose.SHARING,
        given_on=participant.entry_date,
        method=ConsentMethod.ON_SCREEN,
        sheet_version="1",
        sheet_language="de",
        recorded_by=demo.users["cm_b"],
    )
    consent.shared_with.set([demo.partners[partner]])


def test_the_funder_file_has_one_row_per_participation_under_one_pseudonym(demo: DemoNetwork) -> None:
    project = make_project(demo)
    later = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 4, 1), lm="employed")
    earlier = person(demo, project, partner="A", entry=D(2025, 2, 1), lm="unemployed")
    leave(demo, earlier, D(2025, 5, 1), situations=[(1, "employed")])
    leave(demo, later, D(2025, 9, 1), situations=[(1, "job_searching")])
    _share(demo, later, "A")  # the team lead of A may see B's registration
    _same_person(demo, earlier, later)
    lead = demo.users["team_lead"]

    def records(user: object) -> list:  # type: ignore[type-arg]
        people = funder_people(user, project, network_scope(demo))  # type: ignore[arg-type]
        rows = funder_participants(user, project, network_scope(demo), *YEAR, people)  # type: ignore[arg-type]
        return [r for chunk in funder_records(rows, project.pk, people=people) for r in chunk]

    person_name = participant_pseudonym(project_id=project.pk, participant_id=later.pk)  # the older id
    (row,) = records(lead)
    assert row.pseudonym == person_name
    assert (row.entry_date, row.lm_status) == (D(2025, 2, 1), "ALO")  # the earliest entry
    assert row.exit_date == D(2025, 9, 1) and row.results["EECR01"] and not row.results["EECR04"]
    # B's own file holds B's registration only, under the same pseudonym
    (own,) = records(demo.users["cm_b"])
    assert own.pseudonym == person_name and own.entry_date == D(2025, 4, 1)
    # without the join the file has two rows with two pseudonyms
    CrossPartnerMatch.objects.all().delete()
    assert {r.pseudonym for r in records(lead)} == {
        participant_pseudonym(project_id=project.pk, participant_id=earlier.pk),
        person_name,
    }


def test_the_funder_file_shows_no_exit_while_one_registration_is_open(demo: DemoNetwork) -> None:
    project = make_project(demo)
    earlier = person(demo, project, partner="A", entry=D(2025, 2, 1))
    later = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 4, 1))
    leave(demo, earlier, D(2025, 5, 1), situations=[(1, "employed")])
    open_case(demo, later)
    _share(demo, later, "A")
    _same_person(demo, earlier, later)
    lead = demo.users["team_lead"]
    people = funder_people(lead, project, network_scope(demo))
    rows = funder_participants(lead, project, network_scope(demo), *YEAR, people)
    (row,) = [r for chunk in funder_records(rows, project.pk, people=people) for r in chunk]
    assert row.exit_date is None and row.results == {}


# --- properties ------------------------------------------------------------------------------

LINKS = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=6)


def _outputs(report: IndicatorReport) -> dict[tuple[str, str], int]:
    return {
        (item.code, key): item.values.get(key)
        for item in report.indicators
        if item.group == "output"
        for key in BREAKDOWN
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(SPECS, max_size=8), choice=SETTINGS, period=PERIOD, links=LINKS)
def test_joining_never_increases_a_count_of_people(
    demo: DemoNetwork,
    specs: list[Spec],
    choice: tuple[str, str, str],
    period: tuple[D, int],
    links: list[tuple[int, int]],
) -> None:
    start, end = _period(period)
    with transaction.atomic():
        project = _build(demo, specs, *choice)
        people = list(Participant.objects.filter(project=project).order_by("pk"))  # type: ignore[misc]

        def reports() -> tuple[IndicatorReport, IndicatorReport, int, int]:
            request = request_for(demo, project, start, end)  # type: ignore[arg-type]
            figures = activity_figures(project, network_scope(demo), start, end)  # type: ignore[arg-type]
            return (
                compute_report(request),
                compute_report(request_for(demo, project, start, end, partner_scope(demo, "A"))),  # type: ignore[arg-type]
                figures.new + figures.active + figures.exited,
                people_count(
                    Participant.objects.filter(project=project),  # type: ignore[misc]
                    join_people(Participant.objects.filter(project=project), demo.network.pk),  # type: ignore[misc]
                ),
            )

        alone, alone_a, alone_activity, alone_people = reports()
        pairs = {
            (people[i].pk, people[j].pk)
            for i, j in links
            if i < j < len(people) and specs[i].partner != specs[j].partner
        }
        for first, second in pairs:
            CrossPartnerMatch.objects.create(
                network=demo.network, first_id=first, second_id=second, score=1.0, status="confirmed"
            )
        joined, joined_a, joined_activity, joined_people = reports()
        transaction.set_rollback(True)
    before, after = _outputs(alone), _outputs(joined)
    assert all(after[key] <= before[key] for key in before), [k for k in before if after[k] > before[k]]
    assert joined.incomplete_count <= alone.incomplete_count
    assert joined_activity <= alone_activity and joined_people <= alone_people
    assert alone_people == len(people)
    assert joined_people == len(_components(people, pairs))
    assert _outputs(joined_a) == _outputs(alone_a)  # a partner's own scope is untouched
    assert all(check.holds for check in joined.checks)
    for item in joined.indicators:
        v = item.values
        assert v.total == v.women + v.men + v.non_binary, item.code


def _components(people: list[Participant], pairs: set[tuple[int, int]]) -> list[set[int]]:
    """The people behind the registrations, as a plain breadth-first search (the reference)."""
    neighbours: dict[int, set[int]] = {p.pk: set() for p in people}
    for first, second in pairs:
        neighbours[first].add(second)
        neighbours[second].add(first)
    seen: set[int] = set()
    groups = []
    for start in neighbours:
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node not in group:
                group.add(node)
                todo.extend(neighbours[node] - group)
        seen |= group
        groups.append(group)
    return groups


def test_activity_targets_and_dashboard_queries_do_not_grow_with_the_links(demo: DemoNetwork) -> None:
    counts = []
    for size in (2, 12):
        project = make_project(demo)
        for _number in range(size):
            one = person(demo, project, partner="A", entry=D(2025, 2, 1))
            other = person(demo, project, partner="B", team="Greifswald", entry=D(2025, 3, 1))
            leave(demo, other, D(2025, 6, 1))
            _same_person(demo, one, other)
        orgs = [demo.partners["A"].pk, demo.partners["B"].pk]
        with CaptureQueriesContext(connection) as queries:
            figures = activity_figures(project, network_scope(demo), *YEAR)
            target = participants_target_count(project, orgs, *YEAR)[""]
            entries = _entries(demo, project)
        assert (figures.new, figures.exited, target, entries) == (size, size, size, size)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
