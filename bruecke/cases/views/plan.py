"""The integration plan: edit (agree a version), earlier versions, print and PDF, mark a step done."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.cases import plan_print
from bruecke.cases.forms.plan import PlanEditor
from bruecke.cases.models import Case, CaseStatus
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import plan as plan_selectors
from bruecke.cases.services import plan as services
from bruecke.cases.views.common import acting_user
from bruecke.core import pdf
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#plan-heading"


def _step_of(request: HttpRequest) -> int | None:
    value = request.POST.get("add_step", "")
    return int(value) if value.isdigit() else None


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    if case.status == CaseStatus.CLOSED:
        raise Http404
    plan = plan_selectors.case_plan(case)
    audit_read(actor=acting_user(request), obj=case)
    status = 200
    if request.method != "POST":
        editor = PlanEditor(None, plan=plan)
    elif "add_goal" in request.POST or "add_step" in request.POST:
        posted = PlanEditor(request.POST, plan=plan)
        editor = posted.with_added_row(goal="add_goal" in request.POST, step_of=_step_of(request))
    else:
        editor = PlanEditor(request.POST, plan=plan)
        if editor.is_valid():
            try:
                version = services.plan_save(
                    actor=acting_user(request),
                    case=case,
                    agreed_on=editor.plan_form.cleaned_data["agreed_on"],
                    goals=editor.goal_inputs(),
                    expected_version=editor.plan_form.loaded_version,
                )
            except ValidationError as error:
                editor.add_service_errors(error)
            else:
                messages.success(
                    request, _("Version %(number)s of the plan has been saved.") % {"number": version.number}
                )
                return redirect(_case_url(case))
        status = 400
    context = {
        "case": case,
        "editor": editor,
        "form": editor.plan_form,
        "title": _("Integration plan: %(name)s") % {"name": case.participant.full_name},
        "cancel_url": _case_url(case),
    }
    return render(request, "cases/plan_form.html", context, status=status)


@login_required
def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    version = plan_selectors.plan_version_get(case, number)
    audit_read(actor=acting_user(request), obj=version)
    context = {
        "case": case,
        "version": version,
        "goals": plan_print.snapshot_goals(version),
        "versions": plan_selectors.plan_versions(case),
    }
    return render(request, "cases/plan_version.html", context)


def _print_language(request: HttpRequest, case: Case) -> str:
    language = request.GET.get("lang")
    if language is None:
        return plan_print.default_language(case)
    if language not in plan_print.PRINT_CODES:
        raise Http404
    return language


@login_required
def plan_print_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version as a page to print, in the language chosen on it."""
    case = selectors.case_get(request.user, pk)
    version = plan_selectors.plan_version_get(case, None)
    language = _print_language(request, case)
    audit_read(actor=acting_user(request), obj=version)
    context = plan_print.document_context(case, version, language)
    return render(request, "cases/plan_print.html", {**context, "for_pdf": False})


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    case = selectors.case_get(request.user, pk)
    version = plan_selectors.plan_version_get(case, None)
    language = _print_language(request, case)
    audit_read(actor=acting_user(request), obj=version)
    context = plan_print.document_context(case, version, language)
    html = render_to_string("cases/plan_print.html", {**context, "for_pdf": True})
    try:
        body = pdf.render_pdf(html, plan_print.STYLESHEETS)
    except pdf.PdfTooLarge:  # over the rendering budget: the print page does the same job
        return redirect(f"{reverse('cases:plan_print', args=[case.pk])}?lang={language}")
    response = FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=plan_print.pdf_filename(case, version),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def plan_step_done(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    step = plan_selectors.plan_step_get(case, step_pk)
    try:
        services.plan_step_complete(actor=acting_user(request), case=case, step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The step has been marked done."))
    return redirect(_case_url(case))
