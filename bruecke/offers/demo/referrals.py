"""Demo referrals on partner A's case of Mohammed Al-Hassan in several states (one of them
overdue), and one of Olena Schewtschenko to partner B's psychosocial counselling with a
summary under her sharing consent. Idempotent: nothing happens when the case already has
referrals. Written through the services as anna.berger (cm_a)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bruecke.cases.models import Case, CaseStatus, Channel, Contact
from bruecke.cases.services import cases as case_services
from bruecke.cases.services import contacts as contact_services
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import Measure, Referral, ReferralStatus
from bruecke.offers.services import referrals as services
from bruecke.participants.models import Participant

S = ReferralStatus
PARTNER_MEASURE = "Psychosoziale Erstberatung"
SUMMARY = (
    "Frau Schewtschenko wünscht Unterstützung bei Schlafproblemen seit der Flucht. "
    "Sie spricht Ukrainisch und etwas Deutsch; Termine bitte vormittags."
)


def _measure(demo: DemoNetwork, title: str) -> Measure | None:
    return Measure.objects.filter(organisation=demo.partners["A"], title=title).first()


def seed(demo: DemoNetwork) -> None:
    case = Case.objects.filter(
        participant__family_name="Al-Hassan", organisation=demo.partners["A"], status=CaseStatus.ACTIVE
    ).first()
    if case is None or Referral.objects.filter(case=case).exists():
        return
    actor = demo.users["cm_a"]
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return max(case.opened_on, today - datetime.timedelta(days=days))

    # Completed: the integration course.
    course = _measure(demo, "Integrationskurs mit Alphabetisierung")
    if course is not None:
        referral = services.referral_create(actor=actor, case=case, measure=course, on=ago(28))
        referral = services.referral_step(actor=actor, referral=referral, status=S.ACCEPTED, on=ago(25))
        referral = services.referral_step(
            actor=actor, referral=referral, status=S.STARTED, on=ago(20), planned_end_on=ago(2)
        )
        services.referral_step(
            actor=actor, referral=referral, status=S.COMPLETED, on=ago(1), note="Kurs mit Zertifikat beendet."
        )
    # Overdue: the recognition counselling never answered.
    recognition = _measure(demo, "Anerkennungsberatung für ausländische Abschlüsse")
    if recognition is not None:
        services.referral_create(actor=actor, case=case, measure=recognition, on=ago(30))
    # On the waiting list, feedback still ahead.
    job_course = _measure(demo, "Berufssprachkurs B2 Pflege")
    if job_course is not None:
        referral = services.referral_create(actor=actor, case=case, measure=job_course, on=ago(5))
        services.referral_step(actor=actor, referral=referral, status=S.WAITING_LIST, on=ago(2))
    # Only suggested: talked about in the last contact.
    legal = _measure(demo, "Rechtsberatung zu Aufenthalt und Arbeit")
    if legal is not None:
        services.referral_create(actor=actor, case=case, measure=legal, status=S.SUGGESTED, on=ago(0))
    _seed_partner_referral(demo)


def _seed_partner_referral(demo: DemoNetwork) -> None:
    """Olena Schewtschenko consented to sharing with partner B (participants demo): her
    case gets a referral to partner B's counselling with a summary."""
    participant = Participant.objects.filter(
        organisation=demo.partners["A"], family_name="Schewtschenko", team__isnull=False
    ).first()
    measure = _measure(demo, PARTNER_MEASURE)
    if participant is None or measure is None or participant.team is None:
        return
    actor = demo.users["cm_a"]
    case = Case.objects.filter(participant=participant).first()
    if case is None:
        case = case_services.case_open(
            actor=actor,
            case=Case(
                participant=participant,
                team=participant.team,
                case_manager=actor,
                opened_on=participant.entry_date,
            ),
        )
    if Referral.objects.filter(case=case).exists():
        return
    on = max(case.opened_on, timezone.localdate() - datetime.timedelta(days=3))
    # The conversation in which the referral was agreed (a case without contacts would
    # also count as "without contact" in the team's caseload).
    contact_services.contact_record(
        actor=actor,
        contact=Contact(
            case=case, date=on, duration_minutes=30, channel=Channel.OFFICE, note="Verweisung besprochen."
        ),
        topics=[],
    )
    services.referral_create(actor=actor, case=case, measure=measure, on=on, summary=SUMMARY)
