"""The "School" section of the participant page, as an inclusion tag so that the page
needs one include line only (templates/offers/school/participant_section.html)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from bruecke.offers import school_age
from bruecke.offers.selectors.school import participant_school

register = template.Library()


@register.inclusion_tag("offers/school/_section.html", takes_context=True)
def school_section(context: template.Context, participant: Any) -> dict[str, Any]:
    """Shown when the participant could be of school or transition age, or has a record
    (three queries, only for those who see the participant's cases)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    today = timezone.localdate()
    birth = school_age.Birth.of(participant)
    school_aged = school_age.is_school_age(birth, today)
    transition_aged = school_age.in_transition_age(birth, today)
    data: dict[str, Any] = {"school": None, "transition": None, "writable_case": None}
    if user is not None:
        data = participant_school(user, participant.pk)
    return {
        **data,
        "participant": participant,
        "school_aged": school_aged,
        "transition_aged": transition_aged,
        "show": school_aged or transition_aged or data["school"] or data["transition"],
    }
