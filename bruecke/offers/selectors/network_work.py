"""Reading network work: trainings, awareness events and cooperation partners (always
through the scope in core.access: the network's records are read, the own organisation's
are changed; contacts, meeting notes and materials only by the owning organisation)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.offers.models import AwarenessEvent, CooperationPartner, Training, TrainingMaterial

AnyUser = User | AnonymousUser


def trainings_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Training]:
    return Training.objects.filter(access.offers_filter(user, write=write))


def training_get(user: AnyUser, pk: object, *, write: bool = False) -> Training:
    return access.get_or_404(trainings_visible_to(user, write=write).select_related("organisation"), pk=pk)


def training_list(user: AnyUser) -> QuerySet[Training]:
    """The trainings `user` sees, newest first, with their number of attendees and of
    attending organisations (rows)."""
    return (
        trainings_visible_to(user)
        .select_related("organisation")
        .annotate(attendees=Sum("audience__attendees"), organisations=Count("audience"))
        .order_by("-held_on", "-id")
    )


def material_get(user: AnyUser, pk: object) -> TrainingMaterial:
    """A training's material, only for the staff of the organisation that held it."""
    queryset = TrainingMaterial.objects.filter(training__in=trainings_visible_to(user)).select_related(
        "training__organisation"
    )
    material = access.get_or_404(queryset, pk=pk)
    if not access.offers_people_visible(user, material.training.organisation_id):
        raise Http404
    return material


def events_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[AwarenessEvent]:
    return AwarenessEvent.objects.filter(access.offers_filter(user, write=write))


def event_get(user: AnyUser, pk: object, *, write: bool = False) -> AwarenessEvent:
    return access.get_or_404(events_visible_to(user, write=write).select_related("organisation"), pk=pk)


def partners_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[CooperationPartner]:
    return CooperationPartner.objects.filter(access.offers_filter(user, write=write))


def partner_get(user: AnyUser, pk: object, *, write: bool = False) -> CooperationPartner:
    return access.get_or_404(partners_visible_to(user, write=write).select_related("organisation"), pk=pk)
