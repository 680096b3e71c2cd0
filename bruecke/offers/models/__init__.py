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
from bruecke.offers.models.network_work import (
    AudienceKind,
    AwarenessEvent,
    AwarenessKind,
    CooperationContact,
    CooperationMeeting,
    CooperationPartner,
    MeetingKind,
    PartnerKind,
    Training,
    TrainingAudience,
    TrainingMaterial,
)
from bruecke.offers.models.referrals import (
    ALLOWED_NEXT,
    FINAL_STATUSES,
    OPEN_STATUSES,
    Referral,
    ReferralStatus,
    ReferralStep,
)

__all__ = [
    "ALLOWED_NEXT",
    "FINAL_STATUSES",
    "LANGUAGE_MEASURE_KINDS",
    "OPEN_STATUSES",
    "AudienceKind",
    "AwarenessEvent",
    "AwarenessKind",
    "CooperationContact",
    "CooperationMeeting",
    "CooperationPartner",
    "Measure",
    "MeasureKind",
    "MeasureStart",
    "MeetingKind",
    "PartnerKind",
    "Provider",
    "ProviderKind",
    "Referral",
    "ReferralStatus",
    "ReferralStep",
    "Training",
    "TrainingAudience",
    "TrainingMaterial",
]
