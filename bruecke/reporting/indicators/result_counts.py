"""The ESF Plus result indicators (EECR01–EECR06, §11.6–§11.9, §11.12) as conditions on
the final exit records (`participations.final_exits`). The per-exit results are stored on
the exit record by `bruecke.esf.exit_services` (computed with `bruecke.esf.results`), so
they are counted here in SQL."""

from __future__ import annotations

import datetime

from django.db.models import Q

from bruecke.esf import results
from bruecke.esf.exit_models import INDICATOR_LABELS
from bruecke.esf.models import LabourMarketStatus
from bruecke.projects.models import Project, ResultBase

from .outputs import Counted

P = "participant__"
EMPLOYED_AT_ENTRY = Q(participant__esf_entry__lm_status_entry=LabourMarketStatus.EMPLOYED)


def employed_at_entry_left_out(project: Project) -> Q:
    """§11.9: the transition variant leaves people employed at entry out of EECR04/EECR05."""
    return ~EMPLOYED_AT_ENTRY if project.result_base == ResultBase.TRANSITION else Q()


def follow_up_due(cutoff: datetime.date) -> Q:
    """§11.8: leavers whose reference date (exit + 6 months) is on or before the period end."""
    return Q(exit_date__lte=cutoff)


ANSWERED = Q(follow_up_result__in=[results.ANSWER_YES, results.ANSWER_NO])


def esf_plus_results(project: Project, cutoff: datetime.date) -> list[Counted]:
    base = employed_at_entry_left_out(project)
    due = follow_up_due(cutoff)
    return [
        Counted(results.EECR01, INDICATOR_LABELS[results.EECR01], Q(result_labour_market=results.EECR01)),
        Counted(results.EECR02, INDICATOR_LABELS[results.EECR02], Q(result_education=True)),
        Counted(results.EECR03, INDICATOR_LABELS[results.EECR03], Q(result_qualification=True)),
        Counted(
            results.EECR04, INDICATOR_LABELS[results.EECR04], Q(result_labour_market=results.EECR04) & base
        ),
        Counted(
            results.EECR05,
            INDICATOR_LABELS[results.EECR05],
            due & Q(follow_up_result=results.ANSWER_YES) & base,
        ),
        Counted(
            results.EECR06,
            INDICATOR_LABELS[results.EECR06],
            due & Q(follow_up_improved=True) & EMPLOYED_AT_ENTRY,
        ),
    ]
