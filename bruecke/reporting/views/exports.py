"""Report exports: start one (from any report page), list the user's exports, and the
funder's participant file."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bruecke.core.views_helpers import paginate
from bruecke.jobs.selectors import jobs_visible_to
from bruecke.reporting import exports
from bruecke.reporting.forms import ReportChoiceForm, default_choice
from bruecke.reporting.jobs import EXPORT_KIND, FUNDER_FILE_KIND
from bruecke.reporting.scope import projects_for, require_reporting

EXPORTS_PER_PAGE = 25


def _refuse_forged(form: ReportChoiceForm) -> None:
    """A project or scope the user was never offered is a forged request: 404, as for any
    record outside the user's scope (a valid one with a bad period is a form error)."""
    scope = form.data.get("scope")
    if scope and scope not in form.scopes:
        raise Http404
    project = str(form.data.get("project") or "")
    if project and not projects_for(form.user).filter(pk=project if project.isdigit() else 0).exists():
        raise Http404


def _back(request: HttpRequest) -> str:
    """The report page the export was started from (only an address of this site)."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("reporting:index")


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    require_reporting(request.user)
    choice_form = ReportChoiceForm(request.user, request.POST)
    _refuse_forged(choice_form)
    start_form = exports.ExportStartForm(request.POST)
    if not (start_form.is_valid() and choice_form.is_valid()):
        problems = [
            f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
            for form in (start_form, choice_form)
            for name, errors in form.errors.items()
            for error in errors
        ]
        messages.error(
            request, _("The export could not be started: %(problems)s") % {"problems": " ".join(problems)}
        )
        return redirect(_back(request))
    exports.export_start(
        actor=request.user,  # type: ignore[arg-type]
        kind=start_form.cleaned_data["kind"],
        output_format=start_form.cleaned_data["format"],
        choice=exports.valid_choice(choice_form),
        language=get_language() or settings.LANGUAGE_CODE,
    )
    messages.success(request, _("The export has been started. It appears below as soon as it is ready."))
    return redirect("reporting:exports")


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """The user's report exports and funder files (titles without personal data)."""
    require_reporting(request.user)
    jobs = jobs_visible_to(request.user).filter(kind__in=[EXPORT_KIND, FUNDER_FILE_KIND])
    page = paginate(request, jobs, per_page=EXPORTS_PER_PAGE)
    return render(
        request,
        "reporting/exports/list.html",
        {"page": page, "result_days": settings.JOB_RESULT_DAYS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def funder_file(request: HttpRequest) -> HttpResponse:
    exports.require_funder_file(request.user)
    if request.method == "POST":
        form = exports.FunderFileForm(request.user, request.POST)
        _refuse_forged(form)
        if form.is_valid():
            exports.funder_file_start(
                actor=request.user,  # type: ignore[arg-type]
                output_format=form.cleaned_data["format"],
                choice=exports.valid_choice(form),
            )
            messages.success(
                request, _("The participant file is being made. It appears below as soon as it is ready.")
            )
            return redirect("reporting:exports")
    else:
        initial = default_choice(request.user, timezone.localdate()) or {}
        form = exports.FunderFileForm(request.user, initial={**initial, "format": exports.FUNDER_XML})
    return render(request, "reporting/exports/funder_file.html", {"form": form})
