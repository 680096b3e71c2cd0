"""Reads of referrals; scope only from `core.access` (decision 0043, 0045)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When

from bruecke.accounts.models import User
from bruecke.cases.models import Case as CaseRecord
from bruecke.cases.models import CaseStatus
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.offers.models import OPEN_STATUSES, Measure, Referral, ReferralStatus, ReferralStep
from bruecke.participants.models import Consent, ConsentPurpose

AnyUser = User | AnonymousUser
CASE_SECTION_LIMIT = 50


def overdue_q(today: datetime.date) -> Q:
    """Open and past the date its feedback was expected by."""
    return Q(status__in=sorted(OPEN_STATUSES), feedback_due_on__lt=today)


def with_overdue(queryset: QuerySet[Referral], today: datetime.date) -> QuerySet[Referral]:
    return queryset.annotate(
        overdue=Case(
            When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def referrals_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Referral]:
    return Referral.objects.filter(access.case_record_filter(user, write=write))


def referral_get(user: AnyUser, pk: object, *, write: bool = False) -> Referral:
    queryset = referrals_visible_to(user, write=write).select_related(
        "case__participant", "measure__provider", "to_organisation", "created_by"
    )
    return access.get_or_404(queryset, pk=pk)


def may_record(user: AnyUser, referral: Referral) -> bool:
    return referrals_visible_to(user, write=True).filter(pk=referral.pk).exists()


def may_refer(user: AnyUser, case: CaseRecord) -> bool:
    """Whether `user` refers from this case (records case work on it, case open)."""
    if case.status == CaseStatus.CLOSED:
        return False
    return CaseRecord.objects.filter(access.case_filter(user, Perm.RECORD_CASE_WORK) & Q(pk=case.pk)).exists()


def case_for_referral(user: AnyUser, pk: object) -> CaseRecord:
    """The case a new referral hangs on: recorded by the user, else 404."""
    queryset = CaseRecord.objects.filter(access.case_filter(user, Perm.RECORD_CASE_WORK)).select_related(
        "participant"
    )
    case = access.get_or_404(queryset, pk=pk)
    return case


def referral_steps(referral: Referral) -> QuerySet[ReferralStep]:
    return referral.steps.select_related("recorded_by")


def case_referrals(case: CaseRecord, today: datetime.date) -> QuerySet[Referral]:
    """The case's referrals for its section: open ones first, overdue at the top."""
    queryset = case.referrals.select_related("measure__provider")
    return with_overdue(queryset, today).order_by(
        "-overdue", F("feedback_due_on").asc(nulls_last=True), "-pk"
    )


def measures_for_referral(user: AnyUser) -> QuerySet[Measure]:
    """Active measures of the network's catalogue (the form's choices)."""
    return (
        Measure.objects.filter(access.offers_filter(user), is_active=True)
        .select_related("provider")
        .order_by("title", "pk")
    )


def sharing_partners(participant_id: int) -> list[Any]:
    """The partner organisations the participant's active sharing consents name."""
    from bruecke.network.models import Organisation

    consents = Consent.objects.filter(
        participant_id=participant_id, purpose=ConsentPurpose.SHARING, revoked_on__isnull=True
    )
    return list(Organisation.objects.filter(pk__in=consents.values("shared_with")).order_by("name"))


# Filters of the list: (key, what it keeps).
FILTERS = ("open", "overdue", "final", "all")


def referral_list(
    user: AnyUser,
    today: datetime.date,
    *,
    show: str = "open",
    status: str = "",
    kind: str = "",
    mine: bool = False,
) -> QuerySet[Referral]:
    """The referrals of the user's scope, overdue first, then by the date feedback is due."""
    queryset = referrals_visible_to(user)
    if show == "open":
        queryset = queryset.filter(status__in=sorted(OPEN_STATUSES))
    elif show == "overdue":
        queryset = queryset.filter(overdue_q(today))
    elif show == "final":
        queryset = queryset.exclude(status__in=sorted(OPEN_STATUSES))
    if status in ReferralStatus.values:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(measure__kind=kind)
    if mine:
        queryset = queryset.filter(Q(case__case_manager_id=user.pk) | Q(case__placement_officer_id=user.pk))
    queryset = queryset.select_related("case__participant", "measure__provider")
    return with_overdue(queryset, today).order_by(
        "-overdue", F("feedback_due_on").asc(nulls_last=True), "-status_on", "-pk"
    )


def incoming_visible_to(user: AnyUser) -> QuerySet[Referral]:
    """Referrals sent to the user's organisation; a suggestion has not been sent yet."""
    return Referral.objects.filter(access.incoming_referral_filter(user)).exclude(
        status=ReferralStatus.SUGGESTED
    )


def incoming_list(user: AnyUser, today: datetime.date, *, show: str = "open") -> QuerySet[Referral]:
    queryset = incoming_visible_to(user)
    if show == "open":
        queryset = queryset.filter(status__in=sorted(OPEN_STATUSES))
    queryset = queryset.select_related("participant", "measure", "organisation")
    return with_overdue(queryset, today).order_by(
        "-overdue", F("feedback_due_on").asc(nulls_last=True), "-pk"
    )


def incoming_get(user: AnyUser, pk: object) -> Referral:
    queryset = incoming_visible_to(user).select_related("participant", "measure__provider", "organisation")
    return access.get_or_404(queryset, pk=pk)
