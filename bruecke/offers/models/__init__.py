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
from bruecke.offers.models.pathways import (
    CEFR_LEVELS,
    AssessmentBasis,
    CompensationMeasure,
    CostsFundedBy,
    LanguageAssessment,
    RecognitionDecision,
    RecognitionProcedure,
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
    "CEFR_LEVELS",
    "FINAL_STATUSES",
    "LANGUAGE_MEASURE_KINDS",
    "OPEN_STATUSES",
    "AssessmentBasis",
    "AudienceKind",
    "AwarenessEvent",
    "AwarenessKind",
    "CompensationMeasure",
    "CooperationContact",
    "CooperationMeeting",
    "CooperationPartner",
    "CostsFundedBy",
    "LanguageAssessment",
    "Measure",
    "MeasureKind",
    "MeasureStart",
    "MeetingKind",
    "PartnerKind",
    "Provider",
    "ProviderKind",
    "RecognitionDecision",
    "RecognitionProcedure",
    "Referral",
    "ReferralStatus",
    "ReferralStep",
    "Training",
    "TrainingAudience",
    "TrainingMaterial",
]
