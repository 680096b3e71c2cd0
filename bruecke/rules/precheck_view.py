"""The context of templates/rules/prechecks.html: codes of the pre-checks → texts."""

from __future__ import annotations

import datetime
from typing import Any

from bruecke.rules import texts
from bruecke.rules.precheck_types import Precheck, Result, State

# KERN badge colours of the overall result and of the item states.
RESULT_KINDS = {
    Result.ELIGIBLE: "success",
    Result.ELIGIBLE_FROM: "info",
    Result.NOT_ELIGIBLE: "danger",
    Result.OPEN: "warning",
}
STATE_KINDS = {
    State.MET: "success",
    State.MISSING: "danger",
    State.JUDGEMENT: "warning",
    State.UNKNOWN: "info",
    State.NOT_APPLICABLE: "info",
}


def german_date(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def detail_text(detail: str) -> str:
    """Pre-check details are small values; dates are shown in the German format."""
    try:
        return german_date(datetime.date.fromisoformat(detail))
    except ValueError:
        return detail


def result_label(check: Precheck) -> str:
    label = texts.PRECHECK_RESULTS[check.result]
    if check.result == Result.ELIGIBLE_FROM:
        return str(label) % {"date": german_date(check.eligible_from)}
    return str(label)


def precheck_context(check: Precheck) -> dict[str, Any]:
    """One pre-check for the template: result first, then decision, consequence, items."""
    return {
        "key": check.key,
        "title": texts.PRECHECKS[check.key],
        "check": check,
        "result_label": result_label(check),
        "result_kind": RESULT_KINDS[check.result],
        "eligible_from": german_date(check.eligible_from),
        "open_items": [texts.PRECHECK_ITEMS[i.code] for i in check.open_items],
        "missing_items": [texts.PRECHECK_ITEMS[i.code] for i in check.missing_items if not i.waiting],
        "waiting_items": [
            (texts.PRECHECK_ITEMS[i.code], german_date(i.met_on)) for i in check.missing_items if i.waiting
        ],
        "decision_label": texts.DECISIONS.get(check.decision, ""),
        "consequence_label": texts.PRECHECK_CONSEQUENCES.get(check.consequence, ""),
        "consequence_until": detail_text(check.consequence_detail),
        "notes": [texts.PRECHECK_NOTES[code] for code in check.notes],
        "items": [
            {
                "text": texts.PRECHECK_ITEMS[i.code],
                "state_label": texts.PRECHECK_STATES[i.state],
                "state_kind": STATE_KINDS[i.state],
                "detail": detail_text(i.detail),
                "met_on": german_date(i.met_on),
                "item": i,
            }
            for i in check.items
        ],
    }


def prechecks_context(checks: list[Precheck]) -> dict[str, Any]:
    """The whole context templates/rules/prechecks.html needs: {"prechecks": [...]}."""
    return {"prechecks": [precheck_context(check) for check in checks]}
