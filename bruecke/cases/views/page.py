"""The case page: the summary header, then one tab per part of case work."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from bruecke.cases.forms.contacts import ContactForm
from bruecke.cases.models import Case, CaseStatus, Severity
from bruecke.cases.selectors import barriers as barrier_selectors
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import documents as document_selectors
from bruecke.cases.selectors import exit as exit_selectors
from bruecke.cases.selectors import plan as plan_selectors
from bruecke.cases.selectors import profile as profile_selectors
from bruecke.cases.selectors import summary as summary_selectors
from bruecke.cases.selectors import tasks as task_selectors
from bruecke.cases.views.common import Section, Tab, acting_user
from bruecke.cases.views.transfer import transfer_section
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.views_helpers import paginate

RECENT_EVENTS = 10
DOCUMENTS_PER_PAGE = 20


def _contacts(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    page = paginate(request, selectors.case_contacts(case))
    selectors.attach_topic_labels(page)
    return {
        "page": page,
        "can_read_confidential": selectors.may_read_confidential(request.user, case),
    }


def _barriers(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    assessments, rows = barrier_selectors.barrier_trajectory(request.user, case)
    return {"assessments": assessments, "barriers": rows, "severities": Severity.choices}


def _profile(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    return {"profile": profile_selectors.case_profile(case)}


def _documents(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    # Its own page parameter: "page" belongs to the contacts list on the same page.
    documents = Paginator(document_selectors.case_documents(case), DOCUMENTS_PER_PAGE)
    return {"documents": documents.get_page(request.GET.get("documents"))}


def _plan(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    plan = plan_selectors.case_plan(case)
    versions = plan_selectors.plan_versions(case) if plan is not None else []
    return {"plan": plan, "plan_versions": versions, "today": datetime.date.today()}


def _tasks(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    tasks = task_selectors.case_open_tasks(request.user, case)
    return {
        "case_tasks": list(tasks[: task_selectors.CASE_SECTION_LIMIT]),
        "case_task_count": tasks.count(),
        "task_back": request.get_full_path(),
        "today": timezone.localdate(),
    }


def _timeline(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    events = list(selectors.case_timeline(case)[:RECENT_EVENTS])
    return {"recent_events": selectors.timeline_with_records(case, events)}


def _placement(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    # The placement app's reads (bruecke/placement/selectors/pipeline.py): four queries.
    from bruecke.placement.selectors import pipeline as placement_selectors

    placements = list(placement_selectors.case_placements(case)[: placement_selectors.CASE_TAB_LIMIT])
    return {
        "applications": list(
            placement_selectors.case_applications(case)[: placement_selectors.CASE_TAB_LIMIT]
        ),
        "placements": placements,
        "overdue_placements": placement_selectors.overdue_check_ins(placements, timezone.localdate()),
        "can_place": placement_selectors.may_work_on_case(request.user, case),
    }


def _offers(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    # The offers app's reads (bruecke/offers/selectors/referrals.py): two queries.
    from bruecke.offers.selectors import referrals as referral_selectors

    referrals = referral_selectors.case_referrals(case, timezone.localdate())
    return {
        "referrals": list(referrals[: referral_selectors.CASE_SECTION_LIMIT]),
        "can_refer": referral_selectors.may_refer(request.user, case),
    }


def _exit(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    closed = case.status == CaseStatus.CLOSED
    return {"exit_summary": exit_selectors.exit_summary(case) if closed else None}


# The tabs of the case page, in order: (name, label, section). Parts of case work add theirs here.
TABS: list[Tab] = [
    Tab("contacts", _("Contacts"), Section("cases/sections/contacts.html", _contacts)),
    Tab("plan", _("Integration plan"), Section("cases/sections/plan.html", _plan)),
    Tab("barriers", _("Barriers"), Section("cases/sections/barriers.html", _barriers)),
    Tab("profile", _("Profile"), Section("cases/sections/profile.html", _profile)),
    Tab("documents", _("Documents"), Section("cases/sections/documents.html", _documents)),
    Tab("tasks", _("Tasks"), Section("cases/sections/tasks.html", _tasks)),
    Tab("placement", _("Placement"), Section("cases/sections/placement.html", _placement)),
    Tab("offers", _("Measures"), Section("cases/sections/offers.html", _offers)),
    Tab("history", _("History"), Section("cases/sections/timeline.html", _timeline)),
    Tab("exit", _("Exit and ESF results"), Section("cases/sections/exit.html", _exit), closed_only=True),
]
DEFAULT_TAB = "contacts"


def case_tabs(case: Case) -> list[Tab]:
    closed = case.status == CaseStatus.CLOSED
    return [tab for tab in TABS if closed or not tab.closed_only]


def case_page(
    request: HttpRequest, case: Case, *, contact_form: ContactForm | None = None, status: int = 200
) -> HttpResponse:
    """The case page: the summary header, then one tab (`?section=`, contacts by default).

    An htmx request for a section gets only the tab strip and that section."""
    tabs = case_tabs(case)
    current = next((tab for tab in tabs if tab.name == request.GET.get("section")), tabs[0])
    can_edit = selectors.cases_visible_to(request.user, Perm.EDIT_PARTICIPANTS).filter(pk=case.pk).exists()
    # Contacts, tasks, profile and documents: also the case's placement officer (decision 0037).
    can_record = can_edit or (
        selectors.cases_visible_to(request.user, Perm.RECORD_CASE_WORK).filter(pk=case.pk).exists()
    )
    today = timezone.localdate()
    context: dict[str, Any] = {
        "case": case,
        "can_edit": can_edit,
        "can_record": can_record,
        "is_open": case.status != CaseStatus.CLOSED,
        "tabs": tabs,
        "current_tab": current,
        "section_template": current.section.template,
        "today": today,
    }
    context.update(current.section.context(request, case, can_edit))
    # Only the tab strip's own requests get the fragment; htmx restoring history wants the page.
    fragment = (
        request.headers.get("HX-Target") == "case-sections"
        and "HX-History-Restore-Request" not in request.headers
        and contact_form is None
    )
    if fragment:
        response = render(request, "cases/sections/panel.html", context, status=status)
    else:
        context.update(transfer_section(request, case, can_edit))
        context["summary"] = summary_selectors.summary_header(
            request.user, case.participant, case=case, today=today
        )
        context["form"] = contact_form or ContactForm(case=case)
        context["contact_form_open"] = contact_form is not None
        response = render(request, "cases/detail.html", context, status=status)
    patch_vary_headers(response, ["HX-Target", "HX-History-Restore-Request"])
    return response


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    audit_read(actor=acting_user(request), obj=case)
    return case_page(request, case)


@login_required
def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    audit_read(actor=acting_user(request), obj=case)
    page = paginate(request, selectors.case_timeline(case))
    events = selectors.timeline_with_records(case, list(page))
    return render(request, "cases/timeline.html", {"case": case, "page": page, "events": events})
