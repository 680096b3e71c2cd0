"""Transfer pages: the sender's request and withdrawal, the receiver's list and decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.cases.forms.transfer import AcceptForm, RejectForm, TransferRequestForm
from bruecke.cases.models import Case
from bruecke.cases.selectors import cases as case_selectors
from bruecke.cases.selectors import transfer as selectors
from bruecke.cases.services import transfer as services
from bruecke.cases.views.common import acting_user
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import edit_page, paginate


def transfer_section(request: HttpRequest, case: Case, can_edit: bool) -> dict[str, Any]:
    """The case page's transfer section and the delete link (two queries)."""
    transfers = selectors.case_transfers(case)
    return {
        "transfers": transfers,
        "pending_transfer": next((t for t in transfers if t.is_pending), None),
        "can_delete": selectors.may_delete(request.user, case),
    }


@login_required
def transfer_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = TransferRequestForm(request.POST or None, case=case)
    return edit_page(
        request,
        form=form,
        save=lambda: services.transfer_request(
            actor=acting_user(request),
            case=case,
            to_organisation=form.cleaned_data["to_organisation"],
            to_team=form.cleaned_data["to_team"],
            reason=form.cleaned_data["reason"],
        ),
        success=lambda transfer: reverse("cases:detail", args=[case.pk]),
        title=_("Transfer case: %(name)s") % {"name": case.participant.full_name},
        template="cases/transfer_form.html",
        context={"cancel_url": reverse("cases:detail", args=[case.pk]), "case": case},
        shows=case,
    )


@login_required
@require_POST
def transfer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.outgoing_transfer_get(request.user, pk)
    value = request.POST.get("version", "")
    try:
        services.transfer_withdraw(
            actor=acting_user(request),
            transfer=transfer,
            expected_version=int(value) if value.isdigit() else None,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The transfer has been withdrawn."))
    return redirect("cases:detail", pk=transfer.case_id)


@login_required
def transfers_incoming(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.EDIT_PARTICIPANTS)
    page = paginate(request, selectors.incoming_transfers(request.user))
    audit_read_all(actor=acting_user(request), objs=page)
    return render(request, "cases/transfers_incoming.html", {"page": page})


@login_required
def transfer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.incoming_transfer_get(request.user, pk)
    user = acting_user(request)
    audit_read(actor=user, obj=transfer)
    rejecting = request.method == "POST" and "reject-version" in request.POST
    accepting = request.method == "POST" and not rejecting
    accept_form = AcceptForm(request.POST if accepting else None, transfer=transfer, user=user)
    reject_form = RejectForm(request.POST if rejecting else None, transfer=transfer)
    if accepting and accept_form.is_valid():
        try:
            services.transfer_accept(
                actor=user,
                transfer=transfer,
                expected_version=accept_form.loaded_version,
                case_manager=accept_form.cleaned_data["case_manager"],
            )
        except ValidationError as error:
            add_service_errors(accept_form, error)
        else:
            messages.success(request, _("The transfer has been accepted. The case is now with your team."))
            return redirect("cases:detail", pk=transfer.case_id)
    if rejecting and reject_form.is_valid():
        try:
            services.transfer_reject(
                actor=user,
                transfer=transfer,
                reason=reject_form.cleaned_data["rejection_reason"],
                expected_version=reject_form.loaded_version,
            )
        except ValidationError as error:
            add_service_errors(reject_form, error)
        else:
            messages.success(request, _("The transfer has been rejected."))
            return redirect("cases:transfers_incoming")
    context = {"transfer": transfer, "accept_form": accept_form, "reject_form": reject_form}
    return render(
        request, "cases/transfer_decide.html", context, status=400 if request.method == "POST" else 200
    )
