"""Catalogue pages: measures and providers (list, page, forms) and start dates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.network.models import Organisation
from bruecke.offers.forms.catalogue import (
    DuplicateConfirmMixin,
    MeasureEditForm,
    MeasureFilterForm,
    MeasureForm,
    MeasureStartForm,
    ProviderEditForm,
    ProviderFilterForm,
    ProviderForm,
)
from bruecke.offers.models import Measure, Provider
from bruecke.offers.selectors import catalogue as selectors
from bruecke.offers.services import catalogue as services

M = TypeVar("M", bound=Model)
FORM_TEMPLATE = "offers/catalogue/form.html"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def owning_organisation(user: User) -> Organisation:
    """The organisation a new entry belongs to: the first where the user records offers."""
    ids = sorted(access.organisation_ids(user, Perm.MANAGE_OFFERS))
    if not ids:
        raise Http404
    return Organisation.objects.get(pk=ids[0])


def _watching_duplicates(form: DuplicateConfirmMixin, save: Callable[[], M]) -> Callable[[], M]:
    """Runs `save`; on a duplicate warning the form gets the existing entries and the
    confirmation checkbox before the error is shown."""

    def run() -> M:
        try:
            return save()
        except services.DuplicateEntry as error:
            form.show_duplicates(error.existing)
            raise

    return run


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_OFFERS)
    filters = MeasureFilterForm(request.GET or None)
    selected = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = paginate(request, selectors.measure_list(request.user, selected, timezone.localdate()))
    context = {
        "page": page,
        "filters": filters,
        "query": _query(request),
        "own": access.organisation_ids(request.user, Perm.MANAGE_OFFERS),
        "can_create": access.has_perm(request.user, Perm.MANAGE_OFFERS),
    }
    return render(request, "offers/catalogue/measure_list.html", context)


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get(request.user, pk)
    today = timezone.localdate()
    can_write = selectors.measures_visible_to(request.user, write=True).filter(pk=measure.pk).exists()
    context: dict[str, Any] = {
        "measure": measure,
        "can_write": can_write,
        "upcoming": list(measure.starts.filter(starts_on__gte=today)),
        "past": list(measure.starts.filter(starts_on__lt=today).order_by("-starts_on")[:5]),
    }
    return render(request, "offers/catalogue/measure_detail.html", context)


def _measure_url(pk: int) -> str:
    return reverse("offers:measure_detail", args=[pk])


@login_required
def measure_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_OFFERS)
    user = _user(request)
    organisation = owning_organisation(user)
    providers = selectors.providers_visible_to(user).filter(is_active=True).select_related("organisation")
    initial = {}
    if (provider_id := request.GET.get("provider", "")).isdigit():
        initial["provider"] = provider_id
    form = MeasureForm(request.POST or None, providers=providers, initial=initial)
    form.instance.organisation = organisation
    save = _watching_duplicates(
        form,
        lambda: services.measure_create(
            actor=user, measure=form.instance, confirmed_different=form.confirmed_different
        ),
    )
    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda measure: _measure_url(measure.pk),
        title=_("New measure"),
        template=FORM_TEMPLATE,
        context={"cancel_url": reverse("offers:measure_list")},
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    measure = selectors.measure_get(user, pk, write=True)
    providers = selectors.providers_visible_to(user).filter(Q(is_active=True) | Q(pk=measure.provider_id))
    form = MeasureEditForm(request.POST or None, instance=measure, providers=providers)
    save = _watching_duplicates(
        form,
        lambda: services.measure_update(
            actor=user,
            measure=measure,
            data=model_data(form),
            expected_version=form.loaded_version,
            confirmed_different=form.confirmed_different,
        ),
    )
    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda saved: _measure_url(saved.pk),
        title=_("Change measure %(title)s") % {"title": measure.title},
        template=FORM_TEMPLATE,
        context={"cancel_url": _measure_url(measure.pk)},
    )


@login_required
def measure_start_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    measure: Measure = selectors.measure_get(user, pk, write=True)
    form = MeasureStartForm(request.POST or None, measure=measure)
    return edit_page(
        request,
        form=form,
        save=lambda: services.start_create(actor=user, start=form.instance),
        success=lambda start: _measure_url(measure.pk) + "#starts-heading",
        title=_("New start date of %(title)s") % {"title": measure.title},
        context={"cancel_url": _measure_url(measure.pk)},
    )


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_OFFERS)
    filters = ProviderFilterForm(request.GET or None)
    selected = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = paginate(request, selectors.provider_list(request.user, selected))
    context = {
        "page": page,
        "filters": filters,
        "query": _query(request),
        "own": access.organisation_ids(request.user, Perm.MANAGE_OFFERS),
        "can_create": access.has_perm(request.user, Perm.MANAGE_OFFERS),
    }
    return render(request, "offers/catalogue/provider_list.html", context)


@login_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    provider: Provider = selectors.provider_get(user, pk)
    can_write = selectors.providers_visible_to(user, write=True).filter(pk=provider.pk).exists()
    measures = paginate(
        request,
        selectors.with_next_start(
            selectors.measures_visible_to(user).filter(provider=provider), timezone.localdate()
        ).order_by("-is_active", "title", "id"),
    )
    context = {
        "provider": provider,
        "can_write": can_write,
        "can_add_measure": access.has_perm(user, Perm.MANAGE_OFFERS) and provider.is_active,
        "measures": measures,
    }
    return render(request, "offers/catalogue/provider_detail.html", context)


def _provider_url(pk: int) -> str:
    return reverse("offers:provider_detail", args=[pk])


@login_required
def provider_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_OFFERS)
    user = _user(request)
    organisation = owning_organisation(user)
    form = ProviderForm(request.POST or None, network_id=organisation.network_id)
    form.instance.organisation = organisation
    save = _watching_duplicates(
        form,
        lambda: services.provider_create(
            actor=user, provider=form.instance, confirmed_different=form.confirmed_different
        ),
    )
    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda provider: _provider_url(provider.pk),
        title=_("New provider"),
        template=FORM_TEMPLATE,
        context={"cancel_url": reverse("offers:provider_list")},
    )


@login_required
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    provider = selectors.provider_get(user, pk, write=True)
    form = ProviderEditForm(
        request.POST or None, instance=provider, network_id=provider.organisation.network_id
    )
    save = _watching_duplicates(
        form,
        lambda: services.provider_update(
            actor=user,
            provider=provider,
            data=model_data(form),
            expected_version=form.loaded_version,
            confirmed_different=form.confirmed_different,
        ),
    )
    return edit_page(
        request,
        form=form,
        save=save,
        success=lambda saved: _provider_url(saved.pk),
        title=_("Change provider %(name)s") % {"name": provider.name},
        template=FORM_TEMPLATE,
        context={"cancel_url": _provider_url(provider.pk)},
    )
