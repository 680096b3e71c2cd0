"""The start page's section "Referrals without feedback" (templates/offers/dashboard/referrals.html)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.offers.models import Referral
from bruecke.offers.selectors.referrals import overdue_q, referrals_visible_to

SHOWN = 10


def dashboard_referrals(user: User, today: datetime.date) -> tuple[dict[str, Any], list[Referral]]:
    """The overdue referrals of the user's own cases (as case manager or placement officer),
    and for team leads the team's count. At most two queries; returns the context and the
    referrals shown (for the read audit)."""
    if not access.has_perm(user, Perm.VIEW_OFFERS):
        return {}, []
    overdue = referrals_visible_to(user).filter(overdue_q(today))
    mine = list(
        overdue.filter(Q(case__case_manager_id=user.pk) | Q(case__placement_officer_id=user.pk))
        .select_related("case__participant", "measure")
        .order_by("feedback_due_on", "pk")[: SHOWN + 1]
    )
    context: dict[str, Any] = {"mine": mine[:SHOWN], "more": len(mine) > SHOWN, "team_count": None}
    if access.has_perm(user, Perm.VIEW_TEAM_CASELOADS):
        context["team_count"] = overdue.count()
    return {"referrals_overdue": context}, mine[:SHOWN]
