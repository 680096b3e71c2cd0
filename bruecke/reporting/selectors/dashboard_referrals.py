"""Referrals sent in the period by type of measure and outcome (the offers area's figure)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bruecke.offers.models import MeasureKind, ReferralStatus
from bruecke.offers.selectors.referral_figures import OPEN, referrals_by_kind_and_outcome
from bruecke.reporting.charts import ChartData, Series
from bruecke.reporting.selectors import Slice

OUTCOMES = [OPEN, ReferralStatus.COMPLETED, ReferralStatus.DROPPED_OUT, ReferralStatus.REJECTED]


def referrals_by_type_and_outcome(part: Slice) -> ChartData:
    """One query."""
    counts = referrals_by_kind_and_outcome(part.organisation_ids, part.team_id, part.start, part.end)
    kinds = [kind for kind in MeasureKind if any(k == kind for k, _outcome in counts)]
    labels = {OPEN: _("open"), **{status.value: str(status.label) for status in ReferralStatus}}
    return ChartData(
        title=_("Referrals by type and outcome"),
        category_heading=_("Type of measure"),
        categories=[str(kind.label) for kind in kinds],
        series=[
            Series(labels[str(o)], [counts.get((kind.value, str(o)), 0) for kind in kinds]) for o in OUTCOMES
        ],
        notes=[_("Referrals sent in the period; 'open' = no final outcome yet.")],
    )
