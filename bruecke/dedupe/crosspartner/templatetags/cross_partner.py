"""`{% cross_partner_notice participant %}`: the notice on the participant page, without
any change to the page's view."""

from __future__ import annotations

from typing import Any

from django import template

from bruecke.cases.models import CaseStatus
from bruecke.cases.selectors.cases import participant_cases
from bruecke.core.access import Perm
from bruecke.dedupe.crosspartner.selectors import open_notices
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participants_visible_to

register = template.Library()


@register.inclusion_tag("dedupe/cross/notice.html", takes_context=True)
def cross_partner_notice(context: dict[str, Any], participant: Participant) -> dict[str, Any]:
    notices = open_notices(participant)
    user = context["request"].user
    may_act = bool(notices) and (
        participants_visible_to(user, Perm.EDIT_PARTICIPANTS).filter(pk=participant.pk).exists()
    )
    # Transfer works on a case: offered for the person's open case, if there is one.
    open_case = (
        participant_cases(user, participant.pk).exclude(status=CaseStatus.CLOSED).order_by("-pk").first()
        if may_act
        else None
    )
    return {
        "participant": participant,
        "notices": notices,
        "may_act": may_act,
        "open_case": open_case,
        "csrf_token": context.get("csrf_token"),
    }
