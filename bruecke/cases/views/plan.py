"""The integration plan: edit (agree a version), earlier versions, print and PDF (as a
background job when too large for a request), mark a step done."""

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

from bruecke.cases import jobs as plan_jobs
from bruecke.cases import plan_print
from bruecke.cases.forms.plan import PlanEditor
from bruecke.cases.models import Case, CaseStatus, PlanVersion
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import plan as plan_selectors
from bruecke.cases.services import plan as services
from bruecke.cases.services import plan_pdf as plan_pdf_services
from bruecke.cases.views.common import acting_user
from bruecke.core import pdf
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.pdf_forms import PdfJobForm
from bruecke.core.submission import save_once
from bruecke.jobs.models import Job
from bruecke.jobs.selectors import jobs_visible_to
from bruecke.jobs.services import params_digest

# The query parameter with which the PDF link sends the user to the print page when the
# plan is too large or too slow for a PDF during the request.
PDF_AS_JOB = "job"


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "?section=plan#plan-heading"


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


def _latest_job(request: HttpRequest, case: Case, version: PlanVersion, language: str) -> Job | None:
    """The user's newest PDF job of this version in this language (matched by the digest
    of its parameters, which compares alike on SQLite and PostgreSQL)."""
    digest = params_digest(plan_jobs.job_params(case=case, version=version, language=language))
    return jobs_visible_to(request.user).filter(kind=plan_jobs.KIND, params_digest=digest).first()


@login_required
def plan_print_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version as a page to print, in the language chosen on it. When the PDF
    link found the plan too large for a request (`pdf=job`), the page offers the PDF as a
    background job and shows that job's progress and download."""
    case = selectors.case_get(request.user, pk)
    version = plan_selectors.plan_version_get(case, None)
    language = _print_language(request, case)
    audit_read(actor=acting_user(request), obj=version)
    context = plan_print.document_context(case, version, language)
    offer_job = request.GET.get("pdf") == PDF_AS_JOB
    page = {
        **context,
        "for_pdf": False,
        "pdf_offer": "job" if offer_job else "direct",
        "job": _latest_job(request, case, version, language),
        "job_form": PdfJobForm(initial={"lang": language}) if offer_job else None,
    }
    return render(request, "cases/plan_print.html", page)


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    case = selectors.case_get(request.user, pk)
    version = plan_selectors.plan_version_get(case, None)
    language = _print_language(request, case)
    audit_read(actor=acting_user(request), obj=version)
    context = plan_print.document_context(case, version, language)
    html = render_to_string("cases/plan_print.html", {**context, "for_pdf": True})
    print_url = f"{reverse('cases:plan_print', args=[case.pk])}?lang={language}"
    # Over the request's budget: the print page does the same job, and offers the PDF as a
    # background job when a job may make it.
    if not pdf.fits_request(html):
        return redirect(f"{print_url}&pdf={PDF_AS_JOB}" if pdf.fits_job(html) else print_url)
    try:
        body = pdf.render_pdf(html, plan_print.STYLESHEETS)
    except pdf.PdfTooSlow:  # stopped after PDF_RENDER_TIMEOUT_SECONDS: a job has longer
        return redirect(f"{print_url}&pdf={PDF_AS_JOB}")
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
def plan_pdf_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Starts the current version's PDF as a background job and goes back to the print
    page, which shows it. Who may start it: who may download the PDF directly."""
    case = selectors.case_get(request.user, pk)
    version = plan_selectors.plan_version_get(case, None)
    form = PdfJobForm(request.POST)
    language = form.cleaned_data["lang"] if form.is_valid() else plan_print.default_language(case)
    url = f"{reverse('cases:plan_print', args=[case.pk])}?lang={language}&pdf={PDF_AS_JOB}#pdf-job"
    target = save_once(
        request,
        lambda: plan_pdf_services.plan_pdf_job_start(
            actor=acting_user(request), case=case, version=version, language=language
        ),
        lambda _job: url,
    )
    return redirect(target or url)


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
