"""Small helpers shared by the views of all apps."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm, ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from bruecke.core.audit import audit_read_all
from bruecke.core.forms import add_service_errors
from bruecke.core.models import OrganisationScopedModel
from bruecke.core.submission import already_saved, save_once

PAGE_SIZE = 50
# Lists count their rows only up to this many: above it the page says "more than 10,000"
# and offers the next page, not the last (an exact count of a million rows costs more than
# the page itself; decision 0068).
COUNT_LIMIT = 10_000
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


class CappedPage(Page):  # type: ignore[type-arg]
    """A page of a list whose total is not known: it knows only whether another page follows."""

    def __init__(
        self, object_list: Sequence[Any], number: int, paginator: CappedPaginator, more: bool
    ) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self)


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that counts at most `limit` + 1 rows.

    Up to `limit` rows it behaves like Django's. Above, `capped` is true, `count` is `limit`
    (templates say "more than …"), `num_pages` is None and each page reads one row more
    than it shows to know whether a next page exists. A page past the end shows the last
    page as before; only then is the whole result counted.
    """

    def __init__(self, object_list: Any, per_page: int, limit: int, *, ids_first: bool = False) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit
        self.ids_first = ids_first

    def _rows(self, bottom: int, top: int) -> Sequence[Any]:
        """Rows bottom..top of the list. With `ids_first`, the page's ids are read first
        (the database can find and sort them in its indexes alone) and then only
        those rows: two queries, but no table row is read that the page does not show."""
        if not (self.ids_first and isinstance(self.object_list, QuerySet)):
            return self.object_list[bottom:top]  # type: ignore[return-value]
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = self.object_list.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            query = rows.query
            # The order does not change how many rows there are; without it the database
            # can stop after limit + 1 rows of any index instead of sorting them all.
            if not (query.distinct_fields or query.combinator):
                rows = rows.order_by()
            return int(rows[: self.limit + 1].count())
        return len(rows[: self.limit + 1])

    @property
    def capped(self) -> bool:
        return self._counted > self.limit

    @property
    def limit_display(self) -> str:
        """The limit as the page shows it: 10.000 (German), 10,000 (English)."""
        return number_format(self.limit, force_grouping=True)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @cached_property
    def num_pages(self) -> int:
        if self.capped:
            return None  # type: ignore[return-value]
        return super().num_pages

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger from None
        if value < 1:
            raise EmptyPage
        return value

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.capped:
            top = min(bottom + self.per_page, self.count)
            return Page(self._rows(bottom, top), number, self)
        rows = list(self._rows(bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            raise EmptyPage
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page[Any]:
        if not self.capped:
            return super().get_page(number)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            # As Django's paginator does: the last page. Only here is the total needed.
            rows = self.object_list
            total = rows.count() if isinstance(rows, QuerySet) else len(rows)
            return self.page(max(1, math.ceil(total / self.per_page)))


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE, *, ids_first: bool = False
) -> Page[Any]:
    """The requested page of `queryset`; its rows are counted up to COUNT_LIMIT only."""
    paginator = CappedPaginator(queryset, per_page, COUNT_LIMIT, ids_first=ids_first)
    return paginator.get_page(request.GET.get("page"))


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
