"""The ESF 2014–2020 set (Reg. 1304/2013 Annex I; §3, §8.5, §9) for projects that still
report in that variant. Same participations, periods and stored results as ESF Plus.

Left out, with a note in decision 0049: CO17 and CR05/CR09 ("other disadvantaged"): the
programme's national definition is not recorded, and inventing one would report a number
the funder did not define. The grand total counts incomplete records too (§8.5)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bruecke.esf import results as esf_results
from bruecke.esf.models import Answer
from bruecke.projects.models import Project

from .outputs import EMPLOYED, INACTIVE, UNEMPLOYED, Counted, Decrypted, rural_conditions
from .participations import age_q, ltu_q
from .result_counts import EMPLOYED_AT_ENTRY, employed_at_entry_left_out, follow_up_due
from .sensitive import SensitiveRow, answer_of

NOT_IN_EDUCATION = Q(esf_entry__in_education_training=False)


def _migrant(row: SensitiveRow) -> str:
    """CO15: migrants, people with a foreign background, minorities (one combined item)."""
    answers = (row.foreign_background, row.minority)
    if row.third_country_national or Answer.YES in answers:
        return "yes"
    if Answer.REFUSED in answers:
        return "refused"
    if row.third_country_national is None and not any(answers):
        return ""
    return "no"


def outputs(project: Project) -> list[Counted | Decrypted]:
    rural, rural_unknown = rural_conditions()
    older = age_q(project, 55, None)
    inactive_not_learning = INACTIVE & NOT_IN_EDUCATION
    return [
        Counted(
            "CO_TOTAL",
            _("participants (grand total, including incomplete records)"),
            Q(),
            with_incomplete=True,
        ),
        Counted("CO01", _("unemployed, including long-term unemployed"), UNEMPLOYED),
        Counted("CO02", _("long-term unemployed"), ltu_q(project)),
        Counted("CO03", _("inactive"), INACTIVE),
        Counted("CO04", _("inactive, not in education or training"), inactive_not_learning),
        Counted("CO05", _("employed, including self-employed"), EMPLOYED),
        Counted("CO06", _("below 25 years of age"), age_q(project, None, 24)),
        Counted("CO07", _("above 54 years of age"), older),
        Counted(
            "CO08",
            _("above 54 years of age, unemployed or inactive not in education or training"),
            older & (UNEMPLOYED | inactive_not_learning),
        ),
        Counted("ISCED0", _("ISCED 0 (outside CO09–CO11)"), Q(esf_entry__isced_level=0)),
        Counted("CO09", _("with primary or lower secondary education (ISCED 1–2)"), _isced(1, 2)),
        Counted("CO10", _("with upper secondary or post-secondary education (ISCED 3–4)"), _isced(3, 4)),
        Counted("CO11", _("with tertiary education (ISCED 5–8)"), _isced(5, 8)),
        Counted("CO12", _("living in jobless households"), Q(esf_entry__household_jobless=True)),
        Counted(
            "CO13",
            _("living in jobless households with dependent children"),
            Q(esf_entry__household_jobless=True, esf_entry__household_dependent_children=True),
        ),
        Counted(
            "CO14",
            _("living in a single adult household with dependent children"),
            Q(esf_entry__household_single_adult=True),
        ),
        Decrypted("CO15", _("migrants, participants with a foreign background, minorities"), _migrant),
        Decrypted("CO16", _("participants with disabilities"), answer_of("disability")),
        Counted(
            "CO18",
            _("homeless or affected by housing exclusion"),
            Q(esf_entry__homeless_or_housing_exclusion=Answer.YES),
            Q(esf_entry__homeless_or_housing_exclusion=Answer.REFUSED),
            Q(esf_entry__homeless_or_housing_exclusion=""),
        ),
        Counted("CO19", _("participants from rural areas"), rural, unknown=rural_unknown),
    ]


def _isced(low: int, high: int) -> Q:
    return Q(esf_entry__isced_level__gte=low, esf_entry__isced_level__lte=high)


def results(project: Project, cutoff: datetime.date) -> list[Counted]:
    base = employed_at_entry_left_out(project)
    due = follow_up_due(cutoff)
    inactive_at_entry = Q(participant__esf_entry__lm_status_entry="inactive")
    employed_later = due & Q(follow_up_result=esf_results.ANSWER_YES) & base
    return [
        Counted(
            "CR01",
            _("inactive participants engaged in job searching upon leaving"),
            inactive_at_entry & Q(result_labour_market=esf_results.EECR01),
        ),
        Counted("CR02", _("in education or training upon leaving"), Q(result_education=True)),
        Counted("CR03", _("gaining a qualification upon leaving"), Q(result_qualification=True)),
        Counted(
            "CR04",
            _("in employment, including self-employment, upon leaving"),
            Q(result_labour_market=esf_results.EECR04) & base,
        ),
        Counted(
            "CR06", _("in employment, including self-employment, six months after leaving"), employed_later
        ),
        Counted(
            "CR07",
            _("with an improved labour market situation six months after leaving"),
            due & Q(follow_up_improved=True) & EMPLOYED_AT_ENTRY,
        ),
        Counted(
            "CR08",
            _("above 54 years of age in employment, including self-employment, six months after leaving"),
            employed_later & age_q(project, 55, None, "participant__"),
        ),
    ]
