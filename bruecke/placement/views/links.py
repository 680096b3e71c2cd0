"""Employer links: sending and revoking them (staff), the public form an employer contact
fills in without an account, and the drafts that arrive that way (decision 0039)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.forms import add_service_errors
from bruecke.core.middleware import client_address
from bruecke.core.views_helpers import edit_page, local_next, model_data, paginate
from bruecke.placement.forms.links import DraftPublishForm, LinkCreateForm, SubmissionForm
from bruecke.placement.models import Employer, Opportunity
from bruecke.placement.selectors import links as selectors
from bruecke.placement.selectors.scope import employer_get
from bruecke.placement.services import links as services


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def employer_url(employer: Employer) -> str:
    """The employer's page (built by the employers part); the link page until it exists."""
    try:
        return reverse("placement:employer_detail", kwargs={"pk": employer.pk})
    except NoReverseMatch:
        return reverse("placement:link_create", kwargs={"pk": employer.pk})


@login_required
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form to send a link (optionally for one contact person) with the employer's
    links. POST: creates the link and shows its address once; only its hash is stored."""
    employer = employer_get(request.user, pk, write=True)
    form = LinkCreateForm(_posted(request), employer=employer)
    context: dict[str, Any] = {
        "employer": employer,
        "form": form,
        "employer_url": employer_url(employer),
        "link_days": services.link_days(),
    }
    if request.method == "POST" and form.is_valid():
        try:
            new = services.link_create(
                actor=request.user,  # type: ignore[arg-type]
                employer=employer,
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            url = request.build_absolute_uri(reverse("placement:link_submit", kwargs={"token": new.token}))
            return render(request, "placement/links/created.html", {**context, "link": new.link, "url": url})
    status = 400 if request.method == "POST" else 200
    return render(request, "placement/links/create.html", context, status=status)


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.link_get(request.user, pk)
    if services.link_revoke(actor=request.user, link=link):  # type: ignore[arg-type]
        messages.success(request, _("The link no longer works."))
    else:
        messages.info(request, _("The link had already been used or had expired."))
    return redirect(local_next(request, reverse("placement:link_create", kwargs={"pk": link.employer_id})))


def _neutral(request: HttpRequest, status: int = 404) -> HttpResponse:
    """One page for every link that does not work (expired, used, revoked, tampered): it
    does not say which."""
    return render(request, "placement/links/invalid.html", {"throttled": status == 429}, status=status)


@never_cache
def link_submit(request: HttpRequest, token: str) -> HttpResponse:
    """The public form (no account): an employer contact describes an opportunity, which
    arrives as a draft for the placement officer. Nothing about participants is shown."""
    address = client_address(request)
    if not services.rate_limit(address=address):
        return _neutral(request, 429)
    try:
        link = services.link_for_token(token)
    except services.LinkInvalid:
        return _neutral(request)
    form = SubmissionForm(_posted(request), contact=link.contact)
    context = {"form": form, "employer_name": link.employer.name, "expires_at": link.expires_at}
    if request.method == "POST":
        if not services.rate_limit(address=None, link=link):
            return _neutral(request, 429)
        if form.is_valid():
            try:
                services.submit_opportunity(token=token, data=form.cleaned_data)
            except services.LinkInvalid:
                return _neutral(request)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return render(
                    request, "placement/links/submitted.html", {"employer_name": link.employer.name}
                )
        return render(request, "placement/links/submit.html", context, status=400)
    return render(request, "placement/links/submit.html", context)


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    """Opportunities employers submitted through a link, waiting to be published."""
    access.require(request.user, Perm.MANAGE_PLACEMENT)
    page = paginate(request, selectors.drafts_visible_to(request.user))
    return render(request, "placement/links/drafts.html", {"page": page})


@login_required
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft: Opportunity = access.get_or_404(selectors.drafts_visible_to(request.user), pk=pk)
    form = DraftPublishForm(_posted(request), instance=draft)

    def save() -> Opportunity:
        return services.draft_publish(
            actor=request.user,  # type: ignore[arg-type]
            opportunity=draft,
            data=model_data(form),
            expected_version=form.loaded_version,
        )

    def success(opportunity: Model) -> str:
        try:
            return reverse("placement:opportunity_detail", kwargs={"pk": opportunity.pk})
        except NoReverseMatch:
            return reverse("placement:draft_list")

    return edit_page(
        request,
        form=form,
        save=save,
        success=success,
        title=_("Publish the opportunity"),
        template="placement/links/publish.html",
        context={"draft": draft, "cancel_url": reverse("placement:draft_list")},
    )
