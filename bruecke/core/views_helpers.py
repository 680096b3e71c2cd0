"""Small helpers shared by the views of all apps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm, ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from bruecke.core.audit import audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.models import OrganisationScopedModel
from bruecke.core.submission import already_saved, save_once

PAGE_SIZE = 50
# The largest id the databases store (signed 64-bit); a larger number in a query string
# would overflow the database driver instead of finding nothing.
MAX_ID = 2**63 - 1


def query_id(request: HttpRequest, name: str) -> int | None:
    """The record id in the query parameter `name`, or None if it is absent or no valid id."""
    text = request.GET.get(name, "")
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def local_next(request: HttpRequest, default: str) -> str:
    """The `next` address of the request (form field, else query string) if it stays on
    this site, else `default`: no open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else default


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def model_data(form: BaseForm) -> dict[str, Any]:
    """The cleaned values of the form's model fields, for an update service.

    The hidden `version` is the one the form was loaded with: services compare it, never save it."""
    model_fields = {f.name for f in form._meta.model._meta.fields}  # type: ignore[attr-defined]
    return {k: v for k, v in form.cleaned_data.items() if k in model_fields and k != "version"}


def replay_redirect(request: HttpRequest) -> HttpResponse | None:
    """For a repeated POST of a create form that was already saved: back to where the first
    save led, with a note; nothing is validated or saved again."""
    target = already_saved(request)
    if target is None:
        return None
    messages.info(request, _("This form had already been saved. Nothing was saved twice."))
    return redirect(target)


def records_shown(form: BaseForm, shows: Model | None) -> list[Model]:
    """The personal-data records a form page shows: `shows`, the edited record, and the
    choices of any select whose options are personal data (e.g. cases by name)."""
    records = [shows] if shows is not None else []
    instance = getattr(form, "instance", None)
    if isinstance(instance, OrganisationScopedModel) and instance.pk is not None:
        records.append(instance)
    for field in form.fields.values():
        choices = field.queryset if isinstance(field, ModelChoiceField) else None
        if choices is not None and issubclass(choices.model, OrganisationScopedModel):
            records += list(choices)
    return records


def edit_page(
    request: HttpRequest,
    *,
    form: BaseForm,
    save: Callable[[], Model],
    success: Callable[[Model], str],
    title: str,
    template: str = "form_page.html",
    context: dict[str, Any] | None = None,
    shows: Model | None = None,
) -> HttpResponse:
    """Validate, call the service, show its errors beside the fields, or redirect on success.

    The service runs in one transaction: on any error nothing is saved and the user's
    input is shown again. Opening the form (GET) is a read of the record it edits (when
    that record is personal data), of `shows`, the record the page is about (e.g. the case
    a new task is added to), and of personal-data choices: each gets a read event.
    """
    if request.method == "POST" and (replayed := replay_redirect(request)) is not None:
        return replayed
    if request.method == "POST" and form.is_valid():
        try:
            target = save_once(request, save, success)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(target)
    status = 400 if request.method == "POST" else 200
    if request.method == "GET":  # a form sent back with errors shows nothing new
        audit_read_all(actor=request.user, objs=records_shown(form, shows))  # type: ignore[arg-type]
    return render(request, template, {"form": form, "title": title, **(context or {})}, status=status)
