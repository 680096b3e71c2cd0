"""compute_report and the lists behind a number (see the package docstring).

Queries, whatever the number of participants: the project's partners, the confirmed
cross-partner links of the network (and, when there are any, the linked registrations of
the report), one aggregate over the participations that entered in the period (every
output indicator × gender, the data-quality counts), one streamed pass over their
encrypted answers, one aggregate over the final exits of the period (every result
indicator × gender, the follow-up rate); for joined participations (decision 0064) the
exits and open cases of the linked registrations and one more aggregate.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from bruecke.esf.models import LabourMarketStatus
from bruecke.participants.models import Participant
from bruecke.projects.models import EsfVariant, Project
from bruecke.reporting.people import JoinedPeople, among, counted_once, join_people

from . import (
    BREAKDOWN,
    IMMEDIATE,
    LONGER_TERM,
    NON_BINARY,
    OUTPUT,
    TOTAL,
    Breakdown,
    CheckResult,
    FollowUpRate,
    IndicatorReport,
    IndicatorValue,
    QualityFlag,
    ReportRequest,
    esf2014,
    sensitive,
)
from .beside import run_beside
from .checks import EXCLUSIVE, run_checks
from .grouped import grouped_counts
from .joined import joined_counts, joined_leavers, on_first_registration
from .outputs import Counted, Decrypted, esf_plus_outputs
from .participations import (
    GENDER_OF,
    age_q,
    complete_q,
    entered_in_period,
    final_exits,
    follow_up_cutoff,
    gender_q,
    incomplete_q,
    left_in_period,
    participations,
    partner_ids,
)
from .result_counts import ANSWERED, employed_at_entry_left_out, esf_plus_results, follow_up_due

LONGER_TERM_CODES = frozenset({"EECR05", "EECR06", "CR06", "CR07", "CR08"})


def _definitions(project: Project, request: ReportRequest) -> tuple[list[Counted | Decrypted], list[Counted]]:
    cutoff = follow_up_cutoff(request.end)
    if project.esf_variant == EsfVariant.ESF_2014:
        return esf2014.outputs(project), esf2014.results(project, cutoff)
    return esf_plus_outputs(project), esf_plus_results(project, cutoff)


def _value(item: Counted, group: str, row: dict[str, int]) -> IndicatorValue:
    return IndicatorValue(
        code=item.code,
        label=str(item.label),
        group=group,
        values=Breakdown(*(int(row[f"{item.code}__{key}"]) for key in BREAKDOWN)),
        refused=row.get(f"{item.code}__refused"),
        unknown=row.get(f"{item.code}__unknown"),
    )


def _decrypted_values(
    items: list[Decrypted], people: QuerySet[Participant]
) -> tuple[list[IndicatorValue], int]:
    """The encrypted items in one pass; also the refusals without the date asked (§11.10)."""
    tallies = {item.code: Counter[str]() for item in items}
    refused_without_date = 0
    for kind in sensitive.combinations(people):
        if kind.refused_without_date:
            refused_without_date += kind.number
        column = GENDER_OF.get(kind.row.gender)
        for item in items:
            answer = item.answer(kind.row)
            if answer == "yes" and column:
                tallies[item.code][TOTAL] += kind.number
                tallies[item.code][column] += kind.number
            elif answer in ("refused", ""):
                tallies[item.code][answer or "unknown"] += kind.number
    values = [
        IndicatorValue(
            code=item.code,
            label=str(item.label),
            group=OUTPUT,
            values=Breakdown(*(tallies[item.code][key] for key in BREAKDOWN)),
            refused=tallies[item.code]["refused"],
            unknown=tallies[item.code]["unknown"],
        )
        for item in items
    ]
    return values, refused_without_date


def _exclusive_pair(items: list[Counted]) -> Q:
    """Both result conditions of the pair that must never overlap (§11.6), on one row."""
    first, second = EXCLUSIVE[EsfVariant.ESF_2014 if items[0].code.startswith("CR") else EsfVariant.ESF_PLUS]
    conditions = {item.code: item.condition for item in items}
    return conditions[first] & conditions[second]


def _output_flags(project: Project) -> dict[str, Q]:
    """The data-quality counts beside the outputs (complete participations only)."""
    return {
        "_under_15": age_q(project, None, 14),
        "_no_registration_date": Q(esf_entry__lm_status_entry=LabourMarketStatus.UNEMPLOYED)
        & Q(esf_entry__registered_unemployed_since__isnull=True),
    }


def _settings_used(project: Project) -> list[tuple[str, str]]:
    fields = {field.name: field for field in Project._meta.fields}
    return [
        (str(fields[name].verbose_name), str(getattr(project, f"get_{name}_display")()))
        for name in ("esf_variant", "ltu_rule", "partial_birth_date_rule", "result_base")
    ] + [(str(_("Participation")), str(PARTICIPATION_RULE))]


PARTICIPATION_RULE = _(
    "one per person and project, also across partners (confirmed as the same person): "
    "characteristics from the earliest entry, exit from the latest exit"
)


def _joined_check(joined: JoinedPeople) -> CheckResult:
    """The consistency line of the joining: how many participations were joined."""
    return CheckResult(
        label=str(_("Registrations of one person at several partners count once")),
        holds=True,
        detail=_("%(joined)s participations joined from %(registrations)s registrations")
        % {"joined": joined.count, "registrations": joined.registrations},
    )


def _result_row(
    request: ReportRequest,
    partners: list[int],
    joined: JoinedPeople,
    items: list[Counted],
    extra: dict[str, Q],
) -> dict[str, int]:
    """The result aggregate: the final exits of single registrations, plus the joined
    participations counted on their first registration (`joined.py`)."""
    leavers = final_exits(request, partners).filter(left_in_period(request))
    if joined:
        leavers = leavers.exclude(among("participant_id", joined.member_ids()))
    row = grouped_counts(leavers, items, extra, "participant__")
    if joined:
        rows = joined_leavers(joined, request.start, request.end)
        for key, value in joined_counts(rows, items, extra).items():
            row[key] += value
    return row


def compute_report(request: ReportRequest) -> IndicatorReport:
    project = request.project
    partners = partner_ids(project)
    output_items, result_items = _definitions(project, request)
    counted = [item for item in output_items if isinstance(item, Counted)]
    decrypted = [item for item in output_items if isinstance(item, Decrypted)]

    everyone = participations(request, partners)
    joined = join_people(everyone, project.network_id)
    entered = counted_once(everyone, joined).filter(entered_in_period(request))
    joined_in_period = joined.entered_between(request.start, request.end)
    due = follow_up_due(follow_up_cutoff(request.end)) & employed_at_entry_left_out(project)
    result_flags = {
        "_due": due,
        "_answered": due & ANSWERED,
        "_conflicts": Q(result_same_day_conflict=True),
        "_overlap": _exclusive_pair(result_items),
    }

    def aggregates() -> tuple[dict[str, int], dict[str, int]]:
        return (
            grouped_counts(entered, counted, _output_flags(project)),
            _result_row(request, partners, joined, result_items, result_flags),
        )

    # The SQL counts run on a second connection while this one decrypts (beside.py).
    (out_row, res_row), (secret_values, refused_without_date) = run_beside(
        aggregates, lambda: _decrypted_values(decrypted, entered.filter(complete_q()))
    )

    by_code = {v.code: v for v in secret_values}
    indicators = [by_code.get(item.code) or _value(item, OUTPUT, out_row) for item in output_items]  # type: ignore[arg-type]
    indicators += [
        _value(item, LONGER_TERM if item.code in LONGER_TERM_CODES else IMMEDIATE, res_row)
        for item in result_items
    ]
    values = {indicator.code: indicator for indicator in indicators}
    return IndicatorReport(
        request=request,
        variant=project.esf_variant,
        settings_used=_settings_used(project),
        indicators=indicators,
        incomplete_count=int(out_row["_incomplete"]),
        checks=[
            *run_checks(project.esf_variant, values, int(out_row["_complete"]), int(res_row["_overlap"])),
            _joined_check(joined_in_period),
        ],
        joined_across_partners=joined_in_period.count,
        follow_up=FollowUpRate(due=int(res_row["_due"]), answered=int(res_row["_answered"])),
        flags=[
            QualityFlag("under_15", str(_("under 15 at entry (counted)")), int(out_row["_under_15"])),
            QualityFlag(
                "no_registration_date",
                str(_("registered unemployed without a registration date (not long-term unemployed)")),
                int(out_row["_no_registration_date"]),
            ),
            QualityFlag(
                "refused_without_date",
                str(_("sensitive answer refused without the date the question was asked")),
                refused_without_date,
            ),
            QualityFlag(
                "same_day_conflict",
                str(_("two situations on the deciding day after exit (the later-recorded one counts)")),
                int(res_row["_conflicts"]),
            ),
        ],
    )


def participants_behind(request: ReportRequest, code: str, breakdown: str = TOTAL) -> QuerySet[Participant]:
    """The participants counted in `code` for `breakdown`; Http404 for an unknown code or
    breakdown (they come from a URL)."""
    if breakdown not in BREAKDOWN:
        raise Http404
    project = request.project
    output_items, result_items = _definitions(project, request)
    partners = partner_ids(project)
    everyone = participations(request, partners)
    joined = join_people(everyone, project.network_id)
    for item in output_items:
        if item.code != code:
            continue
        entered = counted_once(everyone, joined).filter(entered_in_period(request))
        if isinstance(item, Decrypted):
            ids = [
                row.participant_id
                for row in sensitive.rows(entered.filter(complete_q()))
                if item.answer(row) == "yes" and breakdown in (TOTAL, GENDER_OF.get(row.gender))
            ]
            return Participant.objects.filter(pk__in=ids)
        base = Q() if item.with_incomplete else complete_q()
        return entered.filter(base & item.condition & gender_q(breakdown))
    for result in result_items:
        if result.code == code:
            condition = complete_q("participant__") & result.condition & gender_q(breakdown, "participant__")
            exits = final_exits(request, partners).filter(left_in_period(request), condition)
            if not joined:
                return Participant.objects.filter(pk__in=exits.values("participant_id"))
            exits = exits.exclude(among("participant_id", joined.member_ids()))
            # A joined participation is listed with its first registration (decision 0064).
            firsts = joined_leavers(joined, request.start, request.end).filter(
                on_first_registration(condition)
            )
            return Participant.objects.filter(
                Q(pk__in=exits.values("participant_id")) | Q(pk__in=list(firsts.values_list("pk", flat=True)))
            )
    raise Http404


def incomplete_participants(request: ReportRequest) -> QuerySet[Participant]:
    """The participations of the period kept out as incomplete (§11.2), annotated like
    `bruecke.esf.selectors.incomplete_entries` so `row_missing` names the missing items."""
    from django.db.models import F

    everyone = participations(request)
    return (
        counted_once(everyone, join_people(everyone, request.project.network_id))
        .filter(entered_in_period(request))
        .filter(incomplete_q())
        .annotate(esf_lm_status=F("esf_entry__lm_status_entry"), esf_isced=F("esf_entry__isced_level"))
        .order_by("latin_name", "id")
    )


__all__ = ["NON_BINARY", "compute_report", "incomplete_participants", "participants_behind"]
