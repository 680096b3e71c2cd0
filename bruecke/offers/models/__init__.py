"""Models of the offers app: one module per area (catalogue, referrals, pathways, group
offers, trainings and events, cooperation partners)."""

from bruecke.offers.models.catalogue import (
    LANGUAGE_MEASURE_KINDS,
    Measure,
    MeasureKind,
    MeasureStart,
    Provider,
    ProviderKind,
)
from bruecke.offers.models.referrals import (
    ALLOWED_NEXT,
    FINAL_STATUSES,
    OPEN_STATUSES,
    Referral,
    ReferralStatus,
    ReferralStep,
)
from bruecke.offers.models.school import (
    EnrolmentStatus,
    FollowOn,
    LeavingCertificate,
    SchoolRecord,
    SchoolType,
    TransitionRecord,
)

__all__ = [
    "ALLOWED_NEXT",
    "FINAL_STATUSES",
    "LANGUAGE_MEASURE_KINDS",
    "OPEN_STATUSES",
    "EnrolmentStatus",
    "FollowOn",
    "LeavingCertificate",
    "Measure",
    "MeasureKind",
    "MeasureStart",
    "Provider",
    "ProviderKind",
    "Referral",
    "ReferralStatus",
    "ReferralStep",
    "SchoolRecord",
    "SchoolType",
    "TransitionRecord",
]
