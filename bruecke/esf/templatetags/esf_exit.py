"""Labels for the exit keys stored in timeline details (the details hold keys only)."""

from __future__ import annotations

from django import template

from bruecke.esf.exit_models import ExitReason, FollowUpAnswer

register = template.Library()


@register.filter
def exit_reason_label(key: object) -> str:
    return str(ExitReason(str(key)).label) if key in ExitReason.values else ""


@register.filter
def follow_up_answer_label(key: object) -> str:
    return str(FollowUpAnswer(str(key)).label) if key in FollowUpAnswer.values else ""
