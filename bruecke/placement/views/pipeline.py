"""Pages of the pipeline, the work-permission application, placements and check-ins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.cases.selectors import cases as case_selectors
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import edit_page, query_id
from bruecke.placement.forms.pipeline import (
    ApplicationCreateForm,
    CheckInForm,
    MoveForm,
    PermitForm,
    PlacementEditForm,
    PlacementForm,
)
from bruecke.placement.models import Application, PermitRequest, Stage
from bruecke.placement.selectors import pipeline as selectors
from bruecke.placement.selectors.scope import opportunity_get
from bruecke.placement.services import pipeline as services
from bruecke.placement.services import placements as placement_services
from bruecke.rules.answerpage import compact_context


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "?section=placement#placement-heading"


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    """Propose a participant for an opportunity (`?case=` or `?opportunity=` fixes one side)."""
    user = _user(request)
    access.require(user, Perm.MANAGE_PLACEMENT)
    case: Case | None = None
    opportunity = None
    if (case_id := query_id(request, "case")) is not None:
        case = access.get_or_404(selectors.cases_for_pipeline(user), pk=case_id)
    if (opportunity_id := query_id(request, "opportunity")) is not None:
        opportunity = opportunity_get(user, opportunity_id)
    form = ApplicationCreateForm(request.POST or None, user=user, case=case, opportunity=opportunity)

    def save() -> Application:
        data = form.cleaned_data
        return services.application_create(
            actor=user,
            case=data["case"],
            opportunity=data["opportunity"],
            on=data["on"] or timezone.localdate(),
            note=data["note"],
        )

    cancel = _case_url(case.pk) if case else reverse("placement:pipeline")
    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda application: reverse("placement:application_detail", args=[application.pk]),
        title=_("Propose an opportunity"),
        template="placement/pipeline/application_create.html",
        context={"case": case, "opportunity": opportunity, "cancel_url": cancel},
        shows=case,
    )


def _permit_context(application: Application) -> dict[str, Any]:
    answer = services.permit_answer(application)
    permit = PermitRequest.objects.filter(application=application).first()
    # The same verdict and next step as the rules' answer page (one include, one wording).
    shown = compact_context(answer, application.case.participant.organisation) if answer else {}
    return shown | {
        "answer": answer,
        "permit_needed": services.permit_needed(answer),
        "permit": permit,
    }


def _detail(
    request: HttpRequest, application: Application, move_form: MoveForm | None = None
) -> HttpResponse:
    user = _user(request)
    can_write = selectors.may_work_on_case(user, application.case)
    if move_form is None and can_write and application.is_open:
        move_form = MoveForm(application=application)
    context = {
        "application": application,
        "case": application.case,
        "steps": list(selectors.application_steps(application)),
        "can_write": can_write,
        "move_form": move_form,
        "placement": getattr(application, "placement", None) if application.stage == Stage.STARTED else None,
        **_permit_context(application),
    }
    return render(
        request,
        "placement/pipeline/application_detail.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    audit_read(actor=_user(request), obj=application)
    return _detail(request, application)


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = selectors.application_get(user, pk, write=True)
    form = MoveForm(request.POST, application=application)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_move(
                actor=user,
                application=application,
                stage=data["stage"],
                on=data["on"],
                note=data["note"],
                close_reason=data["close_reason"],
                expected_version=form.loaded_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("placement:application_detail", pk=application.pk)
    return _detail(request, application, move_form=form)


@login_required
def permit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = selectors.application_get(user, pk, write=True)
    context = _permit_context(application)
    permit = context["permit"]
    answer = context["answer"]
    form = PermitForm(request.POST or None, permit=permit, ba_approval=bool(answer and answer.ba_approval))
    return edit_page(
        request,
        form=form,
        save=lambda: services.permit_save(
            actor=user, application=application, data=form.cleaned_data, expected_version=form.loaded_version
        ),
        success=lambda saved: (
            reverse("placement:application_detail", args=[application.pk]) + "#permit-heading"
        ),
        title=_("Work-permission application"),
        template="placement/pipeline/permit_form.html",
        context={
            "application": application,
            "case": application.case,
            "cancel_url": reverse("placement:application_detail", args=[application.pk]),
            **context,
        },
        shows=application,
    )


def pipeline_mine(user: User, query: Mapping[str, str]) -> bool:
    """`?scope=mine|team`; placement officers start with their own cases, team leads and
    case managers with the team (the page and the placements export)."""
    scope = query.get("scope")
    if scope in ("mine", "team"):
        return scope == "mine"
    return access.has_perm(user, Perm.WORK_ON_ASSIGNED_CASES)


def _mine(request: HttpRequest, user: User) -> bool:
    return pipeline_mine(user, request.GET)


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    """The team's pipeline: one section per open stage, each paginated."""
    user = _user(request)
    access.require(user, Perm.VIEW_PLACEMENT)
    mine = _mine(request, user)
    stage = request.GET.get("stage", "")
    stages = [s for s in selectors.BOARD_STAGES if not stage or s == stage]
    if not stages:
        stages = list(selectors.BOARD_STAGES)
        stage = ""
    entries = selectors.board(user, mine=mine)
    sections = []
    shown: list[Any] = []
    for s in stages:
        page = Paginator(entries.filter(stage=s), selectors.BOARD_PAGE_SIZE).get_page(request.GET.get(s))
        rows = list(page)
        shown += rows
        sections.append({"stage": s, "label": s.label, "page": page, "rows": rows})
    today = timezone.localdate()
    attention = list(selectors.placements_needing_attention(user, mine=mine, today=today)[:20])
    overdue = selectors.overdue_check_ins(attention, today)
    audit_read_all(actor=user, objs=[*shown, *attention])
    scope_query = f"scope={'mine' if mine else 'team'}"
    return render(
        request,
        "placement/pipeline/board.html",
        {
            "sections": sections,
            "stage": stage,
            "stage_choices": selectors.BOARD_STAGES,
            "mine": mine,
            "scope_query": scope_query,
            "attention": attention,
            "overdue": overdue,
            "can_manage": access.has_perm(user, Perm.MANAGE_PLACEMENT),
        },
    )


@login_required
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = case_selectors.case_get(user, pk)
    if not selectors.may_work_on_case(user, case):
        raise Http404
    application = None
    if (application_id := query_id(request, "application")) is not None:
        application = selectors.application_get(user, application_id, write=True)
        if application.case_id != case.pk:
            raise Http404
    form = PlacementForm(request.POST or None, user=user, application=application)
    return edit_page(
        request,
        form=form,
        save=lambda: placement_services.placement_create(
            actor=user, case=case, data=form.cleaned_data, application=application
        ),
        success=lambda placement: reverse("placement:placement_detail", args=[placement.pk]),
        title=_("Record a placement"),
        template="placement/pipeline/placement_form.html",
        context={"case": case, "application": application, "cancel_url": _case_url(case.pk)},
        shows=case,
    )


@login_required
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    placement = selectors.placement_get(user, pk)
    audit_read(actor=user, obj=placement)
    check_ins = list(placement.check_ins.all())
    return render(
        request,
        "placement/pipeline/placement_detail.html",
        {
            "placement": placement,
            "case": placement.case,
            "check_ins": check_ins,
            "today": timezone.localdate(),
            "can_write": selectors.may_work_on_case(user, placement.case),
        },
    )


@login_required
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    placement = selectors.placement_get(user, pk, write=True)
    form = PlacementEditForm(request.POST or None, placement=placement)
    detail = reverse("placement:placement_detail", args=[placement.pk])
    return edit_page(
        request,
        form=form,
        save=lambda: placement_services.placement_update(
            actor=user, placement=placement, data=form.cleaned_data, expected_version=form.loaded_version
        ),
        success=lambda saved: detail,
        title=_("Change or end the placement"),
        template="placement/pipeline/placement_edit.html",
        context={"placement": placement, "case": placement.case, "cancel_url": detail},
        shows=placement,
    )


@login_required
def check_in_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    check_in = selectors.check_in_get(user, pk, write=True)
    placement = check_in.placement
    form = CheckInForm(request.POST or None, check_in=check_in)
    detail = reverse("placement:placement_detail", args=[placement.pk])

    def save() -> Any:
        data = form.cleaned_data
        return placement_services.check_in_record(
            actor=user,
            check_in=check_in,
            done_on=data["done_on"],
            outcome=data["outcome"],
            note=data["note"],
            status_6_months=data.get("status_6_months", ""),
            end_reason=data["end_reason"],
            expected_version=form.loaded_version,
        )

    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda saved: detail + "#check-ins-heading",
        title=ngettext(
            "Check-in %(months)s month after the start",
            "Check-in %(months)s months after the start",
            check_in.months_after_start,
        )
        % {"months": check_in.months_after_start},
        template="placement/pipeline/check_in_form.html",
        context={"placement": placement, "case": placement.case, "check_in": check_in, "cancel_url": detail},
        shows=placement,
    )
