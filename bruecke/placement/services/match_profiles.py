"""Keeps each open case's `MatchProfile` in step with the facts matching reads.

Called inside the transaction of every service that changes one of those facts (the
participant's German level or address, the case profile, the case's team, office or
status), like the name keys of the participant search. `rebuild_match_profiles` recomputes
all of them (after an upgrade or a bulk load).
"""

from __future__ import annotations

from bruecke.cases.models import Case, CaseStatus, Profile, QualificationKind, RecognitionStatus
from bruecke.placement.kldb import fold, is_full_code, requirement_level
from bruecke.placement.models import GERMAN_RANK, LocationSource, MatchProfile, Place

MAX_CODES = 3
# Years of experience in an occupation that count like a qualification at its level.
EXPERIENCE_YEARS_FOR_LEVEL = 3
QUALIFICATION_LEVEL: dict[str, int] = {
    QualificationKind.ACADEMIC: 3,
    QualificationKind.VOCATIONAL: 2,
    QualificationKind.SCHOOL: 1,
    QualificationKind.OTHER: 1,
}
# A qualification that was refused recognition still counts, one level lower.
REFUSED = {RecognitionStatus.REFUSED}


def _profile(case: Case) -> Profile | None:
    try:
        return case.profile
    except Profile.DoesNotExist:
        return None


def _location(case: Case) -> tuple[float | None, float | None, str]:
    participant = case.participant
    place = None
    if participant.postcode:
        place = Place.objects.filter(postcode=participant.postcode.strip()).first()
        source = LocationSource.POSTCODE
    if place is None and participant.town:
        town = fold(participant.town)
        # "Waren" finds "Waren (Müritz)": the exact name first, then the name's start.
        place = (
            Place.objects.filter(search_name=town).first()
            or Place.objects.filter(search_name__startswith=f"{town} ").order_by("name").first()
        )
        source = LocationSource.TOWN
    if place is not None:
        return float(place.latitude), float(place.longitude), source
    if case.office is not None:
        return float(case.office.latitude), float(case.office.longitude), LocationSource.OFFICE
    return None, None, LocationSource.NONE


def qualification_level(profile: Profile | None) -> int:
    """The highest KldB requirement level the participant's record supports (1–4)."""
    if profile is None:
        return 1
    levels = [1]
    for q in profile.qualifications.all():
        level = QUALIFICATION_LEVEL.get(q.kind, 1)
        levels.append(max(level - 1, 1) if q.recognition in REFUSED else level)
    for e in profile.experiences.all():
        code_level = requirement_level(e.kldb_code)
        if code_level and e.years is not None and e.years >= EXPERIENCE_YEARS_FOR_LEVEL:
            levels.append(code_level)
    return max(levels)


def _codes(profile: Profile | None) -> tuple[list[str], list[str]]:
    if profile is None:
        return [], []
    experiences = sorted(
        (e for e in profile.experiences.all() if is_full_code(e.kldb_code)),
        key=lambda e: -(e.years or 0),
    )
    wishes = [w.kldb_code for w in profile.wished_occupations.all() if is_full_code(w.kldb_code)]
    return [e.kldb_code for e in experiences][:MAX_CODES], wishes[:MAX_CODES]


def _padded(codes: list[str]) -> list[str]:
    return codes + [""] * (MAX_CODES - len(codes))


def refresh_for_case(case: Case) -> MatchProfile:
    """Recomputes the case's match profile (closed cases are kept, marked not open)."""
    profile = _profile(case)
    experience, wishes = _codes(profile)
    latitude, longitude, source = _location(case)
    e1, e2, e3 = _padded(experience)
    w1, w2, w3 = _padded(wishes)
    values = {
        "participant_id": case.participant_id,
        "organisation_id": case.organisation_id,
        "team_id": case.team_id,
        "is_open": case.status != CaseStatus.CLOSED,
        "experience_1": e1,
        "experience_2": e2,
        "experience_3": e3,
        "wish_1": w1,
        "wish_2": w2,
        "wish_3": w3,
        "qualification_level": qualification_level(profile),
        "german_rank": GERMAN_RANK.get(case.participant.german_level or "", 0),
        "latitude": latitude,
        "longitude": longitude,
        "location_source": source,
        "driving_licence": bool(profile and profile.driving_licence != "none"),
        "own_car": bool(profile and profile.own_car),
        "public_transport": bool(profile and profile.public_transport),
        "max_travel_minutes": profile.max_travel_minutes if profile else None,
        "max_hours_per_week": profile.max_hours_per_week if profile else None,
        "shifts_possible": profile.shifts_possible if profile else True,
        "childcare_limits": profile.childcare_limits if profile else "",
    }
    match, _created = MatchProfile.objects.update_or_create(case=case, defaults=values)
    return match


def refresh_for_participant(participant_id: int) -> None:
    """After a change to the participant: every one of their cases."""
    for case in Case.objects.filter(participant_id=participant_id).select_related("participant", "office"):
        refresh_for_case(case)


BATCH_SIZE = 500


def rebuild_all(*, batch_size: int = BATCH_SIZE) -> int:
    """Recomputes the match profile of every case that is not closed (in batches, each
    in its own transaction); closed cases' profiles are marked not open. The count."""
    from django.db import transaction

    MatchProfile.objects.filter(is_open=True).exclude(
        case__in=Case.objects.exclude(status=CaseStatus.CLOSED).values("pk")
    ).update(is_open=False)
    ids = list(Case.objects.exclude(status=CaseStatus.CLOSED).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            cases = (
                Case.objects.filter(pk__in=chunk)
                .select_related("participant", "office", "profile")
                .prefetch_related(
                    "profile__qualifications", "profile__experiences", "profile__wished_occupations"
                )
            )
            for case in cases:
                refresh_for_case(case)
    return len(ids)
