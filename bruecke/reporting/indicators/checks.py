"""The consistency checks every report runs and shows (§11.14; §8.7 for 2014–2020)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bruecke.projects.models import EsfVariant

from . import BREAKDOWN, CheckResult, IndicatorValue

# (label, the codes that must add up, the code or "" for all complete participations)
_SUMS: dict[str, list[tuple[str, tuple[str, ...], str]]] = {
    EsfVariant.ESF_PLUS: [
        ("EECO02 + EECO04 + EECO05 = EECO01", ("EECO02", "EECO04", "EECO05"), "EECO01"),
        ("EECO09 + EECO10 + EECO11 = EECO01", ("EECO09", "EECO10", "EECO11"), "EECO01"),
    ],
    EsfVariant.ESF_2014: [
        ("CO01 + CO03 + CO05 = complete participants", ("CO01", "CO03", "CO05"), ""),
        ("ISCED 0 + CO09 + CO10 + CO11 = complete participants", ("ISCED0", "CO09", "CO10", "CO11"), ""),
    ],
}
# Two result indicators no leaver may count in at once (§11.6): checked on the same rows.
EXCLUSIVE: dict[str, tuple[str, str]] = {
    EsfVariant.ESF_PLUS: ("EECR01", "EECR04"),
    EsfVariant.ESF_2014: ("CR01", "CR04"),
}


def _sum_check(
    label: str, parts: tuple[str, ...], whole: int, values: dict[str, IndicatorValue]
) -> CheckResult:
    sums = {key: sum(values[code].values.get(key) for code in parts if code in values) for key in BREAKDOWN}
    holds = sums["total"] == whole
    detail = _("%(sum)s of %(total)s") % {"sum": sums["total"], "total": whole}
    return CheckResult(label=label, holds=holds, detail=detail)


def run_checks(
    variant: str, values: dict[str, IndicatorValue], complete: int, overlap: int = 0
) -> list[CheckResult]:
    checks = []
    for label, parts, whole_code in _SUMS.get(variant, _SUMS[EsfVariant.ESF_PLUS]):
        whole = values[whole_code].values.total if whole_code else complete
        checks.append(_sum_check(label, parts, whole, values))
    first, second = EXCLUSIVE.get(variant, EXCLUSIVE[EsfVariant.ESF_PLUS])
    checks.append(
        CheckResult(
            label=f"{first} ∩ {second} = ∅",
            holds=overlap == 0,
            detail=_("%(count)s participations in both") % {"count": overlap},
        )
    )
    return checks
