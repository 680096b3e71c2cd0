"""The case page: facts, then one section per part of case work."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bruecke.cases.forms.contacts import ContactForm
from bruecke.cases.models import Case, CaseStatus, Severity
from bruecke.cases.selectors import barriers as barrier_selectors
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import documents as document_selectors
from bruecke.cases.selectors import exit as exit_selectors
from bruecke.cases.selectors import plan as plan_selectors
from bruecke.cases.selectors import profile as profile_selectors
from bruecke.cases.selectors import tasks as task_selectors
from bruecke.cases.views.common import Section, acting_user
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


def _exit(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    closed = case.status == CaseStatus.CLOSED
    return {"exit_summary": exit_selectors.exit_summary(case) if closed else None}


# In page order. Parts of case work add their section here.
SECTIONS: list[Section] = [
    Section("cases/sections/exit.html", _exit),
    Section("cases/sections/transfer.html", transfer_section),
    Section("cases/sections/tasks.html", _tasks),
    Section("cases/sections/plan.html", _plan),
    Section("cases/sections/barriers.html", _barriers),
    Section("cases/sections/profile.html", _profile),
    Section("cases/sections/documents.html", _documents),
    Section("cases/sections/timeline.html", _timeline),
    Section("cases/sections/contacts.html", _contacts),
]


def case_page(
    request: HttpRequest, case: Case, *, contact_form: ContactForm | None = None, status: int = 200
) -> HttpResponse:
    can_edit = selectors.cases_visible_to(request.user, Perm.EDIT_PARTICIPANTS).filter(pk=case.pk).exists()
    context: dict[str, Any] = {
        "case": case,
        "can_edit": can_edit,
        "is_open": case.status != CaseStatus.CLOSED,
        "form": contact_form or ContactForm(case=case),
        "sections": [section.template for section in SECTIONS],
    }
    for section in SECTIONS:
        context.update(section.context(request, case, can_edit))
    return render(request, "cases/detail.html", context, status=status)


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
