"""Reads of the breach register, always through the access module's scope."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.privacy.models import Breach, BreachStatus


def breaches_visible_to(user: User | AnonymousUser) -> QuerySet[Breach]:
    """The registers of the organisations where `user` is data-protection officer."""
    organisations = sorted(access.organisation_ids(user, Perm.MANAGE_BREACHES))
    return Breach.objects.filter(organisation_id__in=organisations)


def breach_get(user: User | AnonymousUser, pk: object) -> Breach:
    return access.get_or_404(breaches_visible_to(user).select_related("organisation", "recorded_by"), pk=pk)


def open_breaches(user: User | AnonymousUser) -> list[Breach]:
    """Open breaches, the oldest discovery first (for the dashboard)."""
    return list(breaches_visible_to(user).filter(status=BreachStatus.OPEN).order_by("detected_at", "id"))
