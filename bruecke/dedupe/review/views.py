"""Duplicate review pages: the ranked list, a pair side by side with its evidence (merge or
mark distinct), and the recent merges with undo. Team leads and data-protection officers
of the organisation (Perm.REVIEW_DUPLICATES); outside that scope every page is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.audit import audit_read
from bruecke.core.forms import add_service_errors
from bruecke.core.views_helpers import paginate
from bruecke.dedupe.jobs import KIND as FIND_PAIRS
from bruecke.dedupe.merge import merge_refusal, participants_merge, undo_refusal
from bruecke.dedupe.models import PairStatus
from bruecke.dedupe.review import selectors
from bruecke.dedupe.review.forms import MergeForm
from bruecke.dedupe.review.services import pair_mark_distinct
from bruecke.jobs.selectors import jobs_visible_to
from bruecke.jobs.services import job_start
from bruecke.network.models import Organisation
from bruecke.participants.models import Participant

PAIRS_PER_PAGE = 25
MERGES_PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_reviewer(request: HttpRequest) -> list[Organisation]:
    organisations = access.duplicate_review_organisations(request.user)
    if not organisations:
        raise Http404
    return organisations


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    organisations = _require_reviewer(request)
    page = paginate(request, selectors.pairs_to_review(request.user), per_page=PAIRS_PER_PAGE)
    job = jobs_visible_to(request.user).filter(kind=FIND_PAIRS).order_by("-created_at").first()
    return render(
        request, "dedupe/review/list.html", {"page": page, "organisations": organisations, "job": job}
    )


@login_required
@require_POST
def find_pairs_start(request: HttpRequest) -> HttpResponse:
    """Starts the search for probable duplicates of one of the user's organisations."""
    organisations = {o.pk: o for o in _require_reviewer(request)}
    wanted = request.POST.get("organisation", "")
    if wanted.isdigit() and int(wanted) in organisations:
        organisation = organisations[int(wanted)]
    elif len(organisations) == 1:
        organisation = next(iter(organisations.values()))
    else:
        raise Http404
    job_start(
        actor=_user(request),
        kind=FIND_PAIRS,
        params={"organisation_id": organisation.pk},
        title=_("Search for duplicates, organisation no. %(id)s") % {"id": organisation.pk},
        organisation=organisation,
    )
    messages.success(
        request, _("The search for duplicates has been started. The list is updated when it ends.")
    )
    return redirect("dedupe:review")


def _side(participant: Participant, viewable: set[int]) -> dict[str, object]:
    """One registration of the pair; `linked` when the reviewer may open its page (a
    data-protection officer or a team lead of another team reviews without that)."""
    return {
        "participant": participant,
        "counts": selectors.record_counts(participant),
        "linked": participant.pk in viewable,
    }


@login_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        pair = selectors.pair_get(request.user, pk)
        for participant in (pair.first, pair.second):
            audit_read(actor=_user(request), obj=participant)
    decidable = pair.status == PairStatus.OPEN
    form = MergeForm(request.POST or None, pair=pair)
    if request.method == "POST":
        if not decidable:
            raise Http404
        if form.is_valid():
            kept, merged = form.kept_and_merged()
            try:
                merge = participants_merge(actor=_user(request), kept=kept, merged=merged, pair=pair)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The registrations have been merged. The merge can be undone until %(date)s.")
                    % {"date": merge.undo_until.strftime("%d.%m.%Y")},
                )
                if selectors.participants_may_view(request.user, kept):
                    return redirect("participants:detail", pk=kept.pk)
                return redirect("dedupe:merges")
    refusal = merge_refusal(pair.first, pair.second) if decidable else None
    viewable = selectors.participants_viewable(request.user, [pair.first, pair.second])
    context = {
        "pair": pair,
        "sides": [_side(side, viewable) for side in (pair.first, pair.second)],
        "evidence": selectors.evidence_of(pair),
        "form": form,
        "decidable": decidable,
        "refusal": refusal.messages[0] if refusal is not None and not form.errors else "",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "dedupe/review/pair.html", context, status=status)


@login_required
@require_POST
def pair_distinct(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.pair_get(request.user, pk)
    try:
        pair_mark_distinct(actor=_user(request), pair=pair)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Marked as different people. This pair will not be proposed again."))
    return redirect("dedupe:review")


@login_required
@require_GET
def merge_list(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    page = paginate(request, selectors.merges_visible_to(request.user), per_page=MERGES_PER_PAGE)
    for merge in page:
        merge.refusal = undo_refusal(merge)
    return render(request, "dedupe/review/merges.html", {"page": page})


@login_required
@require_POST
def merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    from bruecke.dedupe.merge import merge_undo

    merge = selectors.merge_get(request.user, pk)
    try:
        merge_undo(actor=_user(request), merge=merge)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The merge has been undone. Both registrations are back."))
    return redirect("dedupe:merges")
