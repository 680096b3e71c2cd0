"""Appending to the case timeline. Called by the other services inside their transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, EventKind
from bruecke.core.audit import object_type_of


def record_event(
    *,
    actor: User | None,
    case: Case,
    kind: EventKind,
    occurred_on: datetime.date | None = None,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    """One timeline entry. `details` holds small non-sensitive values only (never notes)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        occurred_on=occurred_on or datetime.date.today(),
        actor=actor,
        object_type=object_type_of(obj) if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
    )
