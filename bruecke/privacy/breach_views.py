"""The breach register of the organisation's data-protection officer: list, record, edit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.privacy import selectors, services
from bruecke.privacy.forms import BreachEditForm, BreachForm
from bruecke.privacy.models import Breach


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def breach_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_BREACHES)
    page = paginate(request, selectors.breaches_visible_to(request.user).select_related("organisation"))
    context = {"page": page, "now": timezone.now()}
    return render(request, "privacy/breach_list.html", context)


@login_required
def breach_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_BREACHES)
    form = BreachForm(request.POST or None, user=_user(request))
    return edit_page(
        request,
        form=form,
        save=lambda: services.breach_record(actor=_user(request), breach=form.instance),
        success=lambda breach: reverse("privacy:breach_edit", args=[breach.pk]),
        title=_("Record a personal-data breach"),
        template="privacy/breach_form.html",
        context={"cancel_url": reverse("privacy:breach_list")},
    )


@login_required
def breach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    breach = selectors.breach_get(request.user, pk)
    if request.method != "POST":
        audit_read(actor=_user(request), obj=breach)
    form = BreachEditForm(request.POST or None, instance=breach)
    return edit_page(
        request,
        form=form,
        save=lambda: _update(request, breach, form),
        success=lambda saved: reverse("privacy:breach_edit", args=[saved.pk]),
        title=_("Personal-data breach: %(title)s") % {"title": breach.title},
        template="privacy/breach_form.html",
        context={"breach": breach, "now": timezone.now(), "cancel_url": reverse("privacy:breach_list")},
    )


def _update(request: HttpRequest, breach: Breach, form: BreachEditForm) -> Breach:
    return services.breach_update(
        actor=_user(request), breach=breach, data=model_data(form), expected_version=form.loaded_version
    )
