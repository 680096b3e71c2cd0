"""The reports that can be exported: a kind ("indicators", "activity", ...) and the function
that builds its tables for a user and plain parameters.

A builder re-checks access itself (it also runs in the background worker, for the user who
started the export) and raises Http404 outside the user's scope, like a view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bruecke.accounts.models import User
from bruecke.reporting.tables import Table

ReportBuilder = Callable[[User, dict[str, Any]], list[Table]]

_BUILDERS: dict[str, tuple[str, ReportBuilder]] = {}


def register_report(kind: str, title: str) -> Callable[[ReportBuilder], ReportBuilder]:
    """Registers a builder under `kind`; `title` is an English msgid (translated when shown)."""

    def decorate(builder: ReportBuilder) -> ReportBuilder:
        if kind in _BUILDERS and _BUILDERS[kind][1] is not builder:
            raise ValueError(f"report kind {kind!r} is registered twice")
        _BUILDERS[kind] = (title, builder)
        return builder

    return decorate


def report_kinds() -> dict[str, str]:
    return {kind: title for kind, (title, _builder) in _BUILDERS.items()}


def build_report(kind: str, user: User, params: dict[str, Any]) -> list[Table]:
    """The tables of report `kind`; KeyError for an unknown kind."""
    return _BUILDERS[kind][1](user, params)
