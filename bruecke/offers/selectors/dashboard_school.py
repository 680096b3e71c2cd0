"""The start page's school section for case managers and team leads: the first rows of
both school worklists (two queries) and the records shown, for the read audit."""

from __future__ import annotations

import datetime
from typing import Any

from bruecke.offers.selectors.school import leaving_until, leaving_without_follow_on, school_age_not_enrolled

ON_DASHBOARD = 5


def dashboard_school(user: Any, today: datetime.date, context: dict[str, Any]) -> list[Any]:
    """Fills `school_dashboard` in the context; returns the records shown."""
    not_enrolled = list(school_age_not_enrolled(user, today)[: ON_DASHBOARD + 1])
    leaving = list(leaving_without_follow_on(user, today)[: ON_DASHBOARD + 1])
    context["school_dashboard"] = {
        "not_enrolled": not_enrolled[:ON_DASHBOARD],
        "not_enrolled_more": len(not_enrolled) > ON_DASHBOARD,
        "leaving": leaving[:ON_DASHBOARD],
        "leaving_more": len(leaving) > ON_DASHBOARD,
        "leaving_until": leaving_until(today),
    }
    return [*not_enrolled[:ON_DASHBOARD], *leaving[:ON_DASHBOARD]]
