"""Every list export applies its page's filter and scope: cases and contacts (caseload),
tasks, employers, opportunities, referrals and placements; notes only when ticked and
allowed, decrypted; who may start an export is who may open the list page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, Contact, Task
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import Referral
from bruecke.placement.models import OpportunityKind, Placement
from bruecke.spreadsheets.exporting.registry import all_lists
from tests import placement_factories as factories
from tests.access_expectations_base import PERSONAS
from tests.spreadsheets_export_helpers import TODAY, column, export_rows, participant

Capture = Callable[..., Any]


def _case(
    demo: DemoNetwork, name: str, manager: str = "cm_a", partner: str = "A", team: str = "Rostock"
) -> Case:
    return Case.objects.create(
        organisation=demo.partners[partner],
        participant=participant(demo, name, partner=partner, team=team),
        team=demo.teams[team],
        case_manager=demo.users[manager],
        opened_on=TODAY - datetime.timedelta(days=100),
    )


def _contact(demo: DemoNetwork, case: Case, days: int, note: str, **extra: Any) -> Contact:
    return Contact.objects.create(
        case=case,
        date=TODAY - datetime.timedelta(days=days),
        duration_minutes=30,
        recorded_by=case.case_manager,
        note=note,
        **extra,
    )


def test_cases_of_the_caseload_with_the_weeks_filter(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    _case(demo, "Eigenerfall")
    _case(demo, "Fremderfall", manager="cm_b", partner="B", team="Greifswald")
    rows = export_rows(login("cm_a"), django_capture_on_commit_callbacks, "cases", "weeks=4")
    names = column(rows, "Familienname")
    assert "Eigenerfall" in names and "Fremderfall" not in names
    stale = dict(zip(names, column(rows, "ohne Kontakt seit mehr als den gewählten Wochen"), strict=True))
    assert stale["Eigenerfall"] == "1"
    rows = export_rows(login("cm_a"), django_capture_on_commit_callbacks, "cases", "weeks=52")
    stale = dict(
        zip(
            column(rows, "Familienname"),
            column(rows, "ohne Kontakt seit mehr als den gewählten Wochen"),
            strict=True,
        )
    )
    assert stale["Eigenerfall"] == "0"


def test_contacts_of_the_chosen_weeks_notes_only_when_ticked_and_allowed(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    case = _case(demo, "Kontaktfall")
    _contact(demo, case, 5, "Neue Notiz =1+1")
    _contact(demo, case, 60, "Alte Notiz")
    _contact(demo, case, 6, "Nur für Anna", confidential=True)
    capture = django_capture_on_commit_callbacks
    plain = export_rows(login("cm_a"), capture, "contacts", "weeks=4")
    assert column(plain, "Familienname").count("Kontaktfall") == 2
    assert "Beratungsnotiz" not in plain[0] and "Neue Notiz" not in str(plain)
    with_notes = export_rows(login("cm_a"), capture, "contacts", "weeks=4", "xlsx", notes=True)
    notes = column(with_notes, "Beratungsnotiz")
    assert "Neue Notiz =1+1" in notes and "Nur für Anna" in notes and "Alte Notiz" not in notes
    # The team lead sees the case, not the confidential note of Anna's case.
    lead = column(
        export_rows(login("team_lead"), capture, "contacts", "weeks=4", notes=True), "Beratungsnotiz"
    )
    assert "Nur für Anna" not in lead and "vertraulich" in lead
    # A placement officer does not record case work: no notes, even when ticked.
    officer = export_rows(login("po_a"), capture, "contacts", "weeks=4", notes=True)
    assert "Beratungsnotiz" not in officer[0] and "Neue Notiz" not in str(officer)


def test_tasks_open_or_done(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    case = _case(demo, "Aufgabenfall")
    common = {
        "organisation": demo.partners["A"],
        "case": case,
        "assignee": demo.users["cm_a"],
        "due_on": TODAY,
    }
    Task.objects.create(title="Offene Aufgabe", **common)
    Task.objects.create(title="Erledigte Aufgabe", done_on=TODAY, **common)
    Task.objects.create(title="Fremde Aufgabe", **{**common, "assignee": demo.users["team_lead"]})
    capture = django_capture_on_commit_callbacks
    titles = column(export_rows(login("cm_a"), capture, "tasks"), "Aufgabe")
    assert "Offene Aufgabe" in titles and "Erledigte Aufgabe" not in titles and "Fremde Aufgabe" not in titles
    done = column(export_rows(login("cm_a"), capture, "tasks", "done=1"), "Aufgabe")
    assert "Erledigte Aufgabe" in done and "Offene Aufgabe" not in done


def test_tasks_of_a_case_outside_the_scope_fail_without_a_file(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    from tests.jobs_helpers import refreshed, run_queued_jobs
    from tests.spreadsheets_export_helpers import start

    foreign = _case(demo, "Fremdaufgaben", manager="cm_b", partner="B", team="Greifswald")
    job = start(login("cm_a"), django_capture_on_commit_callbacks, "tasks", f"case={foreign.pk}")
    run_queued_jobs()
    assert refreshed(job).state == "failed" and not refreshed(job).result_path


def test_employers_with_the_name_filter_and_own_notes(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    factories.employer(demo.partners["A"], name="Werft Warnemünde", notes="intern A")
    factories.employer(demo.partners["A"], name="Bäckerei Kühl")
    factories.employer(demo.partners["B"], name="Werft Greifswald", notes="intern B")
    capture = django_capture_on_commit_callbacks
    rows = export_rows(login("po_a"), capture, "employers", "q=Werft", notes=True)
    assert column(rows, "Name") == ["Werft Warnemünde"]
    assert column(rows, "Notizen") == ["intern A"]


def test_opportunities_with_the_kind_filter(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    factories.opportunity(
        demo.partners["A"],
        title="Praktikum Küche",
        kind=OpportunityKind.INTERNSHIP,
        internship_kind="orientation",
    )
    factories.opportunity(demo.partners["A"], title="Stelle Küche", kind=OpportunityKind.JOB)
    factories.opportunity(
        demo.partners["B"],
        title="Praktikum Greifswald",
        kind=OpportunityKind.INTERNSHIP,
        internship_kind="orientation",
    )
    rows = export_rows(
        login("po_a"),
        django_capture_on_commit_callbacks,
        "opportunities",
        f"kind={OpportunityKind.INTERNSHIP}",
    )
    titles = column(rows, "Titel")
    assert (
        "Praktikum Küche" in titles and "Stelle Küche" not in titles and "Praktikum Greifswald" not in titles
    )


def test_referrals_with_the_show_filter_and_the_summary_as_note(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    referral = Referral.objects.filter(
        case__participant__family_name="Al-Hassan", organisation=demo.partners["A"], status="referred"
    ).earliest("pk")
    referral.summary = "Zusammenfassung für den Träger"
    referral.save(update_fields=["summary"])
    capture = django_capture_on_commit_callbacks
    rows = export_rows(login("cm_a"), capture, "referrals", "show=open", notes=True)
    assert "Al-Hassan" in column(rows, "Familienname")
    assert "Zusammenfassung für den Träger" in column(rows, "Zusammenfassung für den Partner")
    final = export_rows(login("cm_a"), capture, "referrals", "show=final")
    assert referral.pk not in [int(n) for n in column(final, "Zuweisungsnummer")]
    assert "Al-Hassan" not in str(export_rows(login("cm_b"), capture, "referrals", "show=all"))


def test_placements_in_the_pipeline_scope(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    employer = factories.employer(demo.partners["A"], name="Hafenbetrieb")
    for name, manager in (("Meinplatz", "cm_a"), ("Teamplatz", "team_lead")):
        case = _case(demo, name, manager=manager)
        Placement.objects.create(
            organisation=case.organisation,
            case=case,
            participant=case.participant,
            team=case.team,
            employer=employer,
            kind="employment",
            start_date=TODAY,
            created_by=demo.users["po_a"],
        )
    capture = django_capture_on_commit_callbacks
    team = column(export_rows(login("cm_a"), capture, "placements", "scope=team"), "Familienname")
    assert "Meinplatz" in team and "Teamplatz" in team
    mine = column(export_rows(login("cm_a"), capture, "placements", "scope=mine"), "Familienname")
    assert "Meinplatz" in mine and "Teamplatz" not in mine
    assert "Meinplatz" not in str(export_rows(login("cm_b"), capture, "placements"))


@pytest.mark.parametrize("key", sorted(export.key for export in all_lists()))
def test_who_may_export_is_who_may_open_the_list(
    login: Callable[[str], Client], django_capture_on_commit_callbacks: Capture, key: str
) -> None:
    from bruecke.spreadsheets.exporting.registry import get_list

    export = get_list(key)
    assert export is not None
    for persona in PERSONAS[1:]:
        client = login(persona)
        page = client.get(reverse(export.page)).status_code
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(reverse("spreadsheets:export_start", args=[key]), {"format": "csv"})
        assert (page, started.status_code) in ((200, 302), (404, 404), (403, 404)), (persona, page, started)


@pytest.mark.parametrize("key", ["contacts", "tasks", "employers", "referrals", "placements", "cases"])
def test_export_queries_do_not_grow_with_the_rows(
    demo: DemoNetwork, count_queries: Callable[..., Any], key: str
) -> None:
    from bruecke.spreadsheets.exporting.registry import ExportContext, get_list, rows_of

    export = get_list(key)
    assert export is not None
    user = demo.users["cm_a"]
    employer = factories.employer(demo.partners["A"], name="Zählbetrieb")
    counts = []
    for batch in (1, 2, 25):  # the first run fills the user's cached memberships
        for index in range(batch):
            case = _case(demo, f"Zählfall{batch}-{index}")
            _contact(demo, case, 3, "Notiz")
            Task.objects.create(
                organisation=case.organisation, case=case, assignee=user, title="Zählen", due_on=TODAY
            )
            Placement.objects.create(
                organisation=case.organisation,
                case=case,
                participant=case.participant,
                team=case.team,
                employer=employer,
                kind="employment",
                start_date=TODAY,
                created_by=user,
            )
        context = ExportContext(user=user, today=TODAY, query={"weeks": "4", "scope": "team"})
        columns = export.columns_for(user, include_notes=True)
        with count_queries() as ctx:
            rows = list(
                rows_of(export.rows(user, context.query, TODAY).iterator(chunk_size=2000), columns, context)
            )
        assert rows or key == "referrals"
        counts.append(ctx.count)
    assert counts[1] == counts[2], counts
