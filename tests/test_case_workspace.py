"""The case page and the participant page as workspaces: summary header, tabs loaded with
htmx (and without JavaScript through `?section=`), query counts (issue 12)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, Task
from bruecke.cases.selectors.summary import residence_expiry
from bruecke.cases.views.page import TABS
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import EligibilityVerdict, Participant
from tests.expectations_cases import _case

TODAY = datetime.date.today()
HTMX = {"HX-Request": "true", "HX-Target": "case-sections"}
OPEN_TABS = [tab.name for tab in TABS if not tab.closed_only]

# Queries of the full case page (summary header, contact form, transfers, the contacts tab)
# and of each tab's htmx fragment, whatever the case holds.
# The session is no longer saved on every request (decision 0067): 3 fewer than before.
CASE_PAGE_QUERIES = 16
SECTION_QUERIES = {
    "contacts": 10,
    "plan": 10,
    "barriers": 8,
    "profile": 10,
    "documents": 8,
    "tasks": 8,
    "placement": 9,  # pipeline entries, placements, missed check-ins, who may record
    "offers": 8,  # the referrals, who may refer
    "history": 8,
}
# +6 for "Sprache und Anerkennung": assessments, recognition procedures, German courses,
# the case to record on, the cases whose records may be edited (their read joins the page's event);
# +3 for "Schule": the case to record on, the school record, the transition record.
PARTICIPANT_PAGE_QUERIES = 31  # with the cross-partner notice and merged registrations' history


def _header(page: str) -> str:
    return page.split('class="summary-header kern-card"')[1].split("</section>")[0]


def _url(case: Any, section: str = "") -> str:
    url = reverse("cases:detail", args=[case.pk])
    return f"{url}?section={section}" if section else url


def test_the_case_page_opens_on_contacts_with_the_summary_and_the_contact_form(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    page = login("cm_a").get(_url(case)).content.decode()
    assert 'class="summary-header kern-card"' in page
    assert case.participant.full_name in page and str(case.case_manager) in page
    assert 'id="contacts-heading"' in page and 'id="plan-heading"' not in page
    assert f'href="{_url(case, "contacts")}"' in page
    tabs = page.split('class="case-tabs"')[1].split("</nav>")[0]
    assert tabs.count('aria-current="page"') == 1
    current = tabs.split('aria-current="page"')[0].rsplit("<a ", 1)[1]
    assert current.startswith(f'href="{_url(case, "contacts")}"')
    # Recording a contact is one step away: the form is on the page, behind one button.
    assert '<details class="quick-contact" id="record-contact">' in page
    assert f'action="{reverse("cases:contact_create", args=[case.pk])}"' in page


@pytest.mark.parametrize("section", OPEN_TABS)
def test_each_tab_works_without_javascript_and_as_an_htmx_fragment(
    login: Callable[[str], Client], demo: DemoNetwork, section: str
) -> None:
    case = _case(demo)
    client = login("cm_a")
    page = client.get(_url(case, section))
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert f'href="{_url(case, section)}" hx-get="{_url(case, section)}"' in page.content.decode()
    fragment = client.get(_url(case, section), headers=HTMX)
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body and 'class="summary-header' not in body
    assert body.startswith('<div id="case-sections"')
    assert 'hx-push-url="true" aria-current="page">' in body
    assert (
        body.split('aria-current="page"')[0].rsplit("<a ", 1)[1].startswith(f'href="{_url(case, section)}"')
    )
    assert "HX-Target" in fragment["Vary"]
    # The fragment is a read of the case like the page.
    assert AuditEvent.objects.filter(action="read", object_type="cases.case", object_id=str(case.pk)).exists()


def test_history_restore_and_unknown_sections_get_the_whole_page(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    client = login("cm_a")
    restore = client.get(_url(case, "plan"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", HTTP_HX_REQUEST="true")
    assert "<html" in restore.content.decode() and 'id="plan-heading"' in restore.content.decode()
    unknown = client.get(_url(case, "nonsense")).content.decode()
    assert 'id="contacts-heading"' in unknown
    # The exit tab exists only for closed cases.
    assert 'id="exit-heading"' not in client.get(_url(case, "exit")).content.decode()
    assert "section=exit" not in unknown


def test_a_contact_form_with_errors_stays_open_on_the_page(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    response = login("cm_a").post(reverse("cases:contact_create", args=[case.pk]), {"duration_minutes": "x"})
    assert response.status_code == 400
    assert '<details class="quick-contact" id="record-contact" open>' in response.content.decode()


def test_readers_get_no_contact_form(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    # The case's placement officer records contacts (decision 0037) ...
    assert "quick-contact" in login("po_a").get(_url(case)).content.decode()
    # ... a placement officer of the team who is not assigned to the case only reads it.
    Case.objects.filter(pk=case.pk).update(placement_officer=None)
    page = login("po_a").get(_url(case)).content.decode()
    assert 'class="summary-header kern-card"' in page and "quick-contact" not in page


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [(None, ""), (-1, "expired"), (0, "urgent"), (14, "urgent"), (15, "soon"), (42, "soon"), (43, "")],
)
def test_residence_expiry_levels(valid_until: int | None, expected: str) -> None:
    date = None if valid_until is None else TODAY + datetime.timedelta(days=valid_until)
    assert residence_expiry(date, TODAY) == expected


def test_the_summary_shows_badges_for_expiry_overdue_tasks_and_eligibility(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    client = login("cm_a")
    Participant.objects.filter(pk=case.participant_id).update(
        current_valid_until=TODAY + datetime.timedelta(days=10), eligibility=EligibilityVerdict.NOT_ELIGIBLE
    )
    Task.objects.create(
        organisation=case.participant.organisation,
        case=case,
        title="Nachweis anfordern",
        due_on=TODAY - datetime.timedelta(days=3),
        assignee=demo.users["cm_a"],
        created_by=demo.users["cm_a"],
    )
    overdue = Task.objects.filter(case=case, done_on__isnull=True, due_on__lt=TODAY).count()
    expires = (TODAY + datetime.timedelta(days=10)).strftime("%d.%m.%Y")
    danger = '<span class="kern-badge kern-badge--danger">'
    danger += '<span class="kern-icon kern-icon--danger" aria-hidden="true">'
    for url in (_url(case), reverse("participants:detail", args=[case.participant_id])):
        header = _header(client.get(url).content.decode())
        assert f'{danger}</span><span class="kern-label">Aufenthaltsdokument läuft am {expires} ab' in header
        assert f"{overdue} {'Aufgabe' if overdue == 1 else 'Aufgaben'} überfällig" in header
        assert "Nicht förderfähig" in header
        assert f'href="{reverse("rules:question", args=[case.participant_id])}"' in header


def test_the_work_permission_answer_is_a_badge_linking_to_the_full_answer(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    header = _header(login("cm_a").get(_url(case)).content.decode())
    link = f'<a class="summary-header__work" href="{reverse("rules:question", args=[case.participant_id])}">'
    assert link + '<span class="kern-badge kern-badge--' in header


def test_case_page_and_sections_run_a_constant_number_of_queries(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = _case(demo)
    client = login("cm_a")
    with count_queries() as ctx:
        assert client.get(_url(case)).status_code == 200
    counts = {"page": ctx.count}
    for section in OPEN_TABS:
        with count_queries() as ctx:
            assert client.get(_url(case, section), headers=HTMX).status_code == 200
        counts[section] = ctx.count
    participant = {}
    with count_queries() as ctx:
        assert client.get(reverse("participants:detail", args=[case.participant_id])).status_code == 200
    participant["page"] = ctx.count
    assert counts == {"page": CASE_PAGE_QUERIES, **SECTION_QUERIES}
    assert participant["page"] == PARTICIPANT_PAGE_QUERIES
