"""Demo language and recognition pathways: Mohammed Al-Hassan (partner A, Rostock) went
from A1 to B1 in a year; his Syrian nursing diploma was partly recognised, with an
adaptation period to follow."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bruecke.cases.models import Case, CaseStatus
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import (
    AssessmentBasis,
    CompensationMeasure,
    CostsFundedBy,
    LanguageAssessment,
    RecognitionDecision,
    RecognitionProcedure,
)
from bruecke.offers.services import pathways as services
from bruecke.placement.models import Occupation

# (days ago, level, basis, exam or certificate)
ASSESSMENTS = [
    (400, "A1", AssessmentBasis.ESTIMATE, ""),
    (250, "A2", AssessmentBasis.CERTIFICATE, "Goethe-Zertifikat A2"),
    (60, "B1", AssessmentBasis.EXAM, "DTZ (Deutsch-Test für Zuwanderer) B1"),
]
NURSING = "81302"  # Gesundheits- und Krankenpflege, Fachkraft (KldB 2010)


def seed(demo: DemoNetwork) -> None:
    """Idempotent: only when the demo case has no pathway records yet."""
    manager = demo.users["cm_a"]
    case = (
        Case.objects.filter(
            organisation=demo.partners["A"], participant__family_name="Al-Hassan", team__isnull=False
        )
        .exclude(status=CaseStatus.CLOSED)
        .order_by("pk")
        .first()
    )
    if case is None:
        return
    today = datetime.date.today()
    if not LanguageAssessment.objects.filter(case=case).exists():
        for days, level, basis, exam in ASSESSMENTS:
            services.assessment_record(
                actor=manager,
                case=case,
                data={
                    "level": level,
                    "basis": basis,
                    "exam_name": exam,
                    "assessed_on": today - datetime.timedelta(days=days),
                },
            )
    if not RecognitionProcedure.objects.filter(case=case).exists():
        services.recognition_create(
            actor=manager,
            case=case,
            data={
                "qualification": "Diplom in Krankenpflege (Institut für Gesundheitsberufe Aleppo)",
                "country": "SY",
                "reference_occupation": Occupation.objects.filter(code=NURSING).first(),
                "reference_occupation_text": "Pflegefachfrau/Pflegefachmann",
                "authority": "Landesamt für Gesundheit und Soziales Mecklenburg-Vorpommern",
                "applied_on": today - datetime.timedelta(days=200),
                "decision": RecognitionDecision.PARTIAL,
                "decided_on": today - datetime.timedelta(days=45),
                "compensation": CompensationMeasure.ADAPTATION,
                "compensation_text": "Anpassungslehrgang, 6 Monate im Klinikum",
                "costs": Decimal("600.00"),
                "funded_by": CostsFundedBy.ZUSCHUSS,
            },
        )
