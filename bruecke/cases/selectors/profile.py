"""Reading the profile of a case (the case itself is already in scope)."""

from __future__ import annotations

from django.db.models import Prefetch

from bruecke.cases.models import Case, Profile, Qualification, WishedOccupation, WorkExperience


def case_profile(case: Case) -> Profile | None:
    """The case's profile with its rows (four queries), or None before the first save."""
    return (
        Profile.objects.filter(case=case)
        .prefetch_related(
            Prefetch("experiences", queryset=WorkExperience.objects.order_by("id")),
            Prefetch("qualifications", queryset=Qualification.objects.order_by("id")),
            Prefetch("wished_occupations", queryset=WishedOccupation.objects.order_by("id")),
        )
        .first()
    )


def profile_for_edit(case: Case) -> Profile:
    """The stored profile, or a new unsaved one (created by the first save)."""
    return Profile.objects.filter(case=case).first() or Profile(case=case, organisation=case.organisation)
