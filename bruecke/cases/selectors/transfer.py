"""Transfers as the receiving side sees them (through the access module) and as the sender sees them."""

from __future__ import annotations

from django.db.models import QuerySet

from bruecke.cases.models import Case, CaseTransfer, TransferStatus
from bruecke.cases.selectors.cases import AnyUser, cases_visible_to
from bruecke.core import access
from bruecke.core.access import Perm

_RELATED = (
    "case__participant",
    "from_organisation",
    "from_team",
    "to_organisation",
    "to_team",
    "requested_by",
)


def incoming_transfers(user: AnyUser) -> QuerySet[CaseTransfer]:
    """Pending transfers addressed to the user's organisation (and team), oldest first."""
    return (
        CaseTransfer.objects.filter(access.incoming_transfers_filter(user), status=TransferStatus.PENDING)
        .select_related(*_RELATED)
        .order_by("requested_at", "id")
    )


def incoming_transfer_count(user: AnyUser) -> int:
    return CaseTransfer.objects.filter(
        access.incoming_transfers_filter(user), status=TransferStatus.PENDING
    ).count()


def incoming_transfer_get(user: AnyUser, pk: object) -> CaseTransfer:
    """One transfer addressed to the user (any status, so a late decider sees the outcome)."""
    queryset = CaseTransfer.objects.filter(access.incoming_transfers_filter(user)).select_related(*_RELATED)
    return access.get_or_404(queryset, pk=pk)


def outgoing_transfer_get(user: AnyUser, pk: object) -> CaseTransfer:
    """A transfer of a case the user may edit (the sending side)."""
    cases = cases_visible_to(user, Perm.EDIT_PARTICIPANTS)
    queryset = CaseTransfer.objects.filter(case__in=cases).select_related(*_RELATED)
    return access.get_or_404(queryset, pk=pk)


def case_transfers(case: Case) -> list[CaseTransfer]:
    """The case's transfers, newest first (one query, for the case page)."""
    return list(
        case.transfers.select_related(
            "from_organisation", "to_organisation", "to_team", "requested_by", "decided_by"
        )
    )


def may_delete(user: AnyUser, case: Case) -> bool:
    return cases_visible_to(user, Perm.DELETE_CASES).filter(pk=case.pk).exists()
