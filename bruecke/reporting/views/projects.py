"""Projects and their targets: list, detail with progress and forecast, and the pages of
the network coordinator (Perm.MANAGE_PROJECTS) that change them."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.projects.models import Project
from bruecke.reporting import services
from bruecke.reporting.forecast import AT_RISK, REACHED, partner_ids, target_progress
from bruecke.reporting.forms_projects import ProgressForm, ProjectEditForm, TargetEditForm, TargetForm
from bruecke.reporting.models import ProjectTarget, TargetKind
from bruecke.reporting.scope import project_for, projects_for, require_reporting

PROJECTS_PER_PAGE = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _managed_projects(user: User) -> QuerySet[Project]:
    return Project.objects.filter(network_id__in=access.network_ids(user, Perm.MANAGE_PROJECTS))


def _managed_target(user: User, pk: int) -> ProjectTarget:
    queryset = ProjectTarget.objects.select_related("project").filter(
        project__network_id__in=access.network_ids(user, Perm.MANAGE_PROJECTS)
    )
    return access.get_or_404(queryset, pk=pk)


def _detail_url(pk: int, anchor: str = "") -> str:
    return reverse("reporting:project_detail", args=[pk]) + (f"#{anchor}" if anchor else "")


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    require_reporting(request.user)
    page = paginate(
        request,
        projects_for(request.user).annotate(partner_count=Count("partners", distinct=True)),
        PROJECTS_PER_PAGE,
    )
    today = datetime.date.today()
    summaries = []
    for project in page:
        rows = target_progress(project, list(project.targets.all()), today)
        summaries.append(
            {
                "project": project,
                "targets": len(rows),
                "reached": sum(1 for r in rows if r.forecast.status == REACHED),
                "at_risk": sum(1 for r in rows if r.forecast.status == AT_RISK),
            }
        )
    return render(request, "reporting/projects/list.html", {"page": page, "summaries": summaries})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reporting(request.user)
    project = project_for(request.user, pk)
    today = datetime.date.today()
    rows = target_progress(project, list(project.targets.all()), today)
    partners = list(project.partners.order_by("name"))
    context = {
        "project": project,
        "rows": rows,
        "partners": partners,
        "all_partners": not partners,
        "partner_count": len(partner_ids(project)),
        "can_manage": _managed_projects(_user(request)).filter(pk=project.pk).exists(),
        "custom": TargetKind.CUSTOM,
        "today": today,
    }
    return render(request, "reporting/projects/detail.html", context)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    project = access.get_or_404(_managed_projects(user), pk=pk)
    form = ProjectEditForm(request.POST or None, instance=project)
    return edit_page(
        request,
        form=form,
        save=lambda: services.project_update(
            actor=user,
            project=project,
            data=model_data(form),
            partners=form.cleaned_data["partners"],
            expected_version=form.loaded_version,
        ),
        success=lambda saved: _detail_url(saved.pk),
        title=_("Change project %(name)s") % {"name": project.name},
        context={"cancel_url": _detail_url(project.pk)},
    )


@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    project = access.get_or_404(_managed_projects(user), pk=pk)
    form = TargetForm(request.POST or None)
    form.instance.project = project
    return edit_page(
        request,
        form=form,
        save=lambda: services.target_create(actor=user, target=form.instance),
        success=lambda target: _detail_url(project.pk, "targets-heading"),
        title=_("New target for %(name)s") % {"name": project.name},
        context={"cancel_url": _detail_url(project.pk)},
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    target = _managed_target(user, pk)
    form = TargetEditForm(request.POST or None, instance=target)
    return edit_page(
        request,
        form=form,
        save=lambda: services.target_update(
            actor=user, target=target, data=model_data(form), expected_version=form.loaded_version
        ),
        success=lambda saved: _detail_url(target.project_id, "targets-heading"),
        title=_("Change target %(label)s") % {"label": target.label},
        context={"cancel_url": _detail_url(target.project_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes the target and its progress."""
    user = _user(request)
    target = _managed_target(user, pk)
    if request.method == "POST":
        project_id = target.project_id
        services.target_delete(actor=user, target=target)
        messages.success(request, _("The target has been deleted."))
        return redirect(_detail_url(project_id, "targets-heading"))
    return render(
        request,
        "reporting/projects/target_delete.html",
        {"target": target, "progress_rows": target.progress.count()},
    )


@login_required
def target_progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a custom target, entered by hand (other kinds are counted)."""
    user = _user(request)
    target = _managed_target(user, pk)
    if target.kind != TargetKind.CUSTOM:
        messages.info(request, _("The progress of this target is counted from the records."))
        return redirect(_detail_url(target.project_id, "targets-heading"))
    form = ProgressForm(request.POST or None)
    form.instance.target = target
    return edit_page(
        request,
        form=form,
        save=lambda: services.progress_add(actor=user, progress=form.instance),
        success=lambda row: _detail_url(target.project_id, "targets-heading"),
        title=_("Enter progress of %(label)s") % {"label": target.label},
        template="reporting/projects/progress_form.html",
        context={
            "cancel_url": _detail_url(target.project_id),
            "target": target,
            "entries": target.progress.all()[:20],
        },
    )
