"""What the views of case work share: the acting user and the case page's sections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from bruecke.accounts.models import User
from bruecke.cases.models import Case

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def acting_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@dataclass(frozen=True)
class Section:
    """One part of the case page: its template and the context it needs.

    Every part of case work adds its tab to `cases.views.page.TABS`; the context
    function must run a constant number of queries, whatever the case holds.
    """

    template: str
    context: Callable[[HttpRequest, Case, bool], dict[str, Any]]  # (request, case, can_edit)


@dataclass(frozen=True)
class Tab:
    """One tab of the case page: `?section=<name>` shows it; htmx loads only its section."""

    name: str
    label: StrOrPromise
    section: Section
    closed_only: bool = False  # shown only for closed cases (the exit questionnaire)
