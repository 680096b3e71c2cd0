"""A demo breach for partner A's data-protection officer (idempotent, by title)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bruecke.network.demo import DemoNetwork
from bruecke.privacy import services
from bruecke.privacy.models import Breach, DataCategory

DEMO_TITLE = "Beratungsvermerk an falsche E-Mail-Adresse gesendet"


def seed_breach(demo: DemoNetwork) -> Breach:
    partner = demo.partners["A"]
    existing = Breach.objects.filter(organisation=partner, title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    breach = Breach(
        organisation=partner,
        detected_at=(timezone.now() - datetime.timedelta(hours=26)).replace(second=0, microsecond=0),
        occurred_from=timezone.localdate() - datetime.timedelta(days=2),
        title=DEMO_TITLE,
        description=(
            "Ein Gesprächsvermerk zu einer teilnehmenden Person wurde an eine externe Adresse "
            "mit ähnlichem Namen geschickt. Die Empfängerin hat sich gemeldet."
        ),
        categories=[DataCategory.IDENTITY, DataCategory.COUNSELLING],
        persons_affected=1,
        measures="Empfängerin um Löschung gebeten; Adressbuch bereinigt.",
    )
    return services.breach_record(actor=demo.users["dpo"], breach=breach)
