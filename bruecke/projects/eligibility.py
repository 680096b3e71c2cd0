"""Eligibility of a participant for their project, from the project's target groups (data).

A project's `target_groups` is a list of groups; a participant is eligible if they are old
enough at entry (`Project.minimum_age`, if set) and match at least one group. A group:

    {
        "key": "good_prospects",                 # unique slug, reported as `matched_group`
        "label_de": "Asylsuchende mit guter Bleibeperspektive",
        "label_en": "Asylum seekers with good prospects of staying",
        "any_status": ["gestattung"],            # ResidenceStatusType values, at least one
        "conditions": [{"nationality_in": ["SY", "ER"]}],   # optional, all must hold
    }

Conditions (a closed vocabulary; any other key makes the configuration invalid):

- `{"not_work_note": "not_permitted"}`: the document's note on work must not be this
  `WorkNote` value (e.g. an absolute work ban). Unclear if no note is recorded.
- `{"status_valid_on_entry": true}`: on the project entry date the participant held a
  document of one of the group's statuses that had not expired. Unclear if no document
  is recorded for the entry date.
- `{"nationality_in": ["SY", ...]}`: nationality is on the list (e.g. good prospects of
  staying). Unclear if the nationality is not recorded or not established ("XU").
- `{"nationality_not_in": ["AL", ...]}`: nationality is not on the list (e.g. safe
  countries of origin). Unclear as for `nationality_in`.

Groups are tried in order; the first matching group is reported, so list the more specific
groups first. The residence status used is that of the document in force on the assessment
date: the one with the latest issue date on or before it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils import translation
from django.utils.translation import gettext
from django_countries import countries
from django_countries.fields import Country

from bruecke.participants.models import Participant, ResidenceStatus, ResidenceStatusType, WorkNote
from bruecke.projects.models import Project

Verdict = Literal["eligible", "not_eligible", "unclear"]

GROUP_KEYS = frozenset({"key", "label_de", "label_en", "any_status", "conditions"})
REQUIRED_GROUP_KEYS = ("key", "label_de", "label_en", "any_status")
CONDITION_KEYS = ("not_work_note", "status_valid_on_entry", "nationality_in", "nationality_not_in")
# Nationality "not established"; it can never be part of a list.
UNKNOWN_NATIONALITY = "XU"
# User-assigned codes in common use that django-countries does not list (XK = Kosovo).
EXTRA_COUNTRY_CODES = frozenset({"XK"})
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_STATUSES = frozenset(ResidenceStatusType.values)
_WORK_NOTES = frozenset(v for v in WorkNote.values if v)


@dataclass(frozen=True)
class Eligibility:
    verdict: Verdict
    reasons: list[str]
    matched_group: str | None = None
    # The assessment date (None if no assessment was possible, e.g. without a project).
    on: datetime.date | None = field(default=None)

    @property
    def verdict_label(self) -> str:
        return {
            "eligible": gettext("Eligible"),
            "not_eligible": gettext("Not eligible"),
            "unclear": gettext("Unclear – facts are missing"),
        }[self.verdict]


# --- configuration ---


def validate_target_groups(data: object) -> list[str]:
    """Error messages for a `target_groups` value; an empty list means it is valid."""
    if not isinstance(data, list):
        return [gettext("Target groups must be a list of groups.")]
    errors: list[str] = []
    seen: set[str] = set()
    for index, group in enumerate(data, start=1):
        if not isinstance(group, dict):
            errors.append(gettext("Group %(n)d: must be an object.") % {"n": index})
            continue
        errors += [
            gettext("Group %(n)d: unknown key '%(key)s'.") % {"n": index, "key": key}
            for key in sorted(set(group) - GROUP_KEYS, key=str)
        ]
        for required in REQUIRED_GROUP_KEYS:
            if required not in group:
                errors.append(gettext("Group %(n)d: '%(key)s' is missing.") % {"n": index, "key": required})
        slug = group.get("key")
        if "key" in group and not (isinstance(slug, str) and _KEY.match(slug)):
            errors.append(gettext("Group %(n)d: 'key' must be a lower-case slug.") % {"n": index})
        elif isinstance(slug, str):
            if slug in seen:
                errors.append(
                    gettext("Group %(n)d: the key '%(key)s' is used twice.") % {"n": index, "key": slug}
                )
            seen.add(slug)
        for label in ("label_de", "label_en"):
            if label in group and not (isinstance(group[label], str) and group[label].strip()):
                errors.append(gettext("Group %(n)d: '%(key)s' must be a text.") % {"n": index, "key": label})
        if "any_status" in group:
            errors += _validate_statuses(index, group["any_status"])
        errors += _validate_conditions(index, group.get("conditions", []))
    return errors


def _validate_statuses(index: int, statuses: object) -> list[str]:
    if not isinstance(statuses, list) or not statuses:
        return [gettext("Group %(n)d: 'any_status' must be a non-empty list.") % {"n": index}]
    return [
        gettext("Group %(n)d: unknown residence status '%(value)s'.") % {"n": index, "value": status}
        for status in statuses
        if not isinstance(status, str) or status not in _STATUSES
    ]


def _validate_conditions(index: int, conditions: object) -> list[str]:
    if not isinstance(conditions, list):
        return [gettext("Group %(n)d: 'conditions' must be a list.") % {"n": index}]
    errors: list[str] = []
    for condition in conditions:
        if not isinstance(condition, dict) or len(condition) != 1:
            errors.append(gettext("Group %(n)d: each condition must have exactly one key.") % {"n": index})
            continue
        [(name, value)] = condition.items()
        invalid = gettext("Group %(n)d: invalid value for condition '%(key)s'.") % {"n": index, "key": name}
        if name == "not_work_note":
            if not (isinstance(value, str) and value in _WORK_NOTES):
                errors.append(invalid)
        elif name == "status_valid_on_entry":
            if value is not True:
                errors.append(invalid)
        elif name in ("nationality_in", "nationality_not_in"):
            if not isinstance(value, list) or not value:
                errors.append(invalid)
            else:
                errors += [
                    gettext("Group %(n)d: unknown country code '%(value)s'.") % {"n": index, "value": code}
                    for code in value
                    if not _is_country_code(code)
                ]
        else:
            errors.append(gettext("Group %(n)d: unknown condition '%(key)s'.") % {"n": index, "key": name})
    return errors


def _is_country_code(code: object) -> bool:
    if not isinstance(code, str) or code == UNKNOWN_NATIONALITY:
        return False
    return code in EXTRA_COUNTRY_CODES or (len(code) == 2 and code.isupper() and code in countries)


# --- evaluation ---

Outcome = Literal["match", "no_match", "unclear"]


@dataclass(frozen=True)
class _Check:
    outcome: Outcome
    reason: str = ""  # for no_match: what excluded the group
    fact: str = ""  # for match: the fact that was checked; for unclear: the fact that is missing


@dataclass(frozen=True)
class _Facts:
    participant: Participant
    document: ResidenceStatus
    documents: Sequence[ResidenceStatus]


def evaluate(participant: Participant, on: datetime.date | None = None) -> Eligibility:
    """Whether the participant belongs to a target group of their project on `on` (today
    if not given). The minimum age always refers to the project entry date."""
    on = on or datetime.date.today()
    project: Project | None = participant.project
    if project is None:
        return Eligibility("unclear", [gettext("No project is assigned, so eligibility cannot be checked.")])
    groups = project.target_groups
    if not groups:
        return Eligibility(
            "unclear",
            [gettext("Project %(project)s has no target groups configured.") % {"project": project.name}],
            on=on,
        )
    if validate_target_groups(groups):
        return Eligibility(
            "unclear",
            [
                gettext("The target-group configuration of project %(project)s is invalid.")
                % {"project": project.name}
            ],
            on=on,
        )

    reasons: list[str] = []
    if project.minimum_age is not None:
        age = participant.age_at_entry
        values = {"age": age, "minimum": project.minimum_age}
        if age < project.minimum_age:
            return Eligibility(
                "not_eligible",
                [gettext("Age at entry %(age)d: below the project's minimum age of %(minimum)d.") % values],
                on=on,
            )
        reasons.append(gettext("Age at entry %(age)d: at least the minimum age of %(minimum)d.") % values)

    documents = sorted(participant.residence_statuses.all(), key=lambda d: (d.issued_on, d.pk or 0))
    document = _in_force(documents, on)
    if document is None:
        reasons.append(
            gettext("No residence document issued on or before %(date)s is recorded.") % {"date": _date(on)}
        )
        return Eligibility("unclear", reasons, on=on)
    if document.valid_until is not None and document.valid_until < on:
        reasons.append(
            gettext("The residence document expired on %(date)s; a newer one is not recorded.")
            % {"date": _date(document.valid_until)}
        )

    facts = _Facts(participant, document, documents)
    status = document.get_status_display()
    unclear: list[str] = []
    excluded: list[str] = []
    for group in groups:
        label = _label(group)
        if document.status not in group["any_status"]:
            continue
        checks = [_check(condition, group, facts) for condition in group.get("conditions", [])]
        if all(c.outcome == "match" for c in checks):
            named = ", ".join([str(status), *(c.fact for c in checks if c.fact)])
            reasons.insert(
                0, gettext("%(facts)s: target group '%(group)s'.") % {"facts": named, "group": label}
            )
            return Eligibility("eligible", reasons, matched_group=group["key"], on=on)
        for c in checks:
            if c.outcome == "no_match":
                excluded.append(c.reason)
                break
        else:
            missing = ", ".join(c.fact for c in checks if c.outcome == "unclear")
            missing = missing[:1].upper() + missing[1:]
            unclear.append(
                gettext("%(missing)s: needed for target group '%(group)s'.")
                % {"missing": missing, "group": label}
            )
    if not unclear and not excluded:
        excluded.append(
            gettext("%(status)s is not a residence status of any target group of project %(project)s.")
            % {"status": status, "project": project.name}
        )
    if unclear:
        return Eligibility("unclear", [*unclear, *excluded, *reasons], on=on)
    return Eligibility("not_eligible", [*excluded, *reasons], on=on)


def _in_force(documents: Sequence[ResidenceStatus], day: datetime.date) -> ResidenceStatus | None:
    """The document with the latest issue date on or before `day` (documents sorted)."""
    current = None
    for document in documents:
        if document.issued_on <= day:
            current = document
    return current


def _label(group: dict[str, Any]) -> str:
    language = translation.get_language() or ""
    first, second = ("label_de", "label_en") if language.startswith("de") else ("label_en", "label_de")
    return str(group.get(first) or group.get(second) or group["key"])


def _date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _country(code: str) -> str:
    return Country(code).name or code


def _check(condition: dict[str, Any], group: dict[str, Any], facts: _Facts) -> _Check:
    [(name, value)] = condition.items()
    return _CHECKS[name](value, group, facts)


def _not_work_note(value: Any, group: dict[str, Any], facts: _Facts) -> _Check:
    note = facts.document.work_note
    if not note:
        return _Check("unclear", fact=gettext("note on work in the residence document not recorded"))
    shown = str(WorkNote(note).label)
    if note == value:
        return _Check(
            "no_match",
            gettext("Note on work '%(note)s': excluded from target group '%(group)s'.")
            % {"note": shown, "group": _label(group)},
        )
    return _Check("match", fact=gettext("note on work '%(note)s'") % {"note": shown})


def _status_valid_on_entry(value: Any, group: dict[str, Any], facts: _Facts) -> _Check:
    entry = facts.participant.entry_date
    at_entry = _in_force(facts.documents, entry)
    if at_entry is None:
        return _Check(
            "unclear",
            fact=gettext("no residence document recorded at entry (%(date)s)") % {"date": _date(entry)},
        )
    if at_entry.status not in group["any_status"] or (
        at_entry.valid_until is not None and at_entry.valid_until < entry
    ):
        return _Check(
            "no_match",
            gettext(
                "At entry on %(date)s the participant held no valid document of target group '%(group)s'."
            )
            % {"date": _date(entry), "group": _label(group)},
        )
    return _Check("match")


def _nationality(value: Any, group: dict[str, Any], facts: _Facts, *, wanted: bool) -> _Check:
    code = facts.participant.nationality.code or ""
    if not code or code == UNKNOWN_NATIONALITY:
        return _Check("unclear", fact=gettext("nationality not established"))
    name = _country(code)
    if (code in value) != wanted:
        message = (
            gettext("Nationality %(country)s is not on the list of target group '%(group)s'.")
            if wanted
            else gettext("Nationality %(country)s is on the exclusion list of target group '%(group)s'.")
        )
        return _Check("no_match", message % {"country": name, "group": _label(group)})
    return _Check("match", fact=gettext("nationality %(country)s") % {"country": name})


_CHECKS: dict[str, Callable[[Any, dict[str, Any], _Facts], _Check]] = {
    "not_work_note": _not_work_note,
    "status_valid_on_entry": _status_valid_on_entry,
    "nationality_in": lambda v, g, f: _nationality(v, g, f, wanted=True),
    "nationality_not_in": lambda v, g, f: _nationality(v, g, f, wanted=False),
}
assert set(_CHECKS) == set(CONDITION_KEYS)
