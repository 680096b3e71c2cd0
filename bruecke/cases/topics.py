"""The default catalogues of counselling topics and barriers (adapted in the admin)."""

from __future__ import annotations

DEFAULT_TOPICS = [
    ("work_permission", "Arbeitserlaubnis / Aufenthalt", "Work permission / residence"),
    ("job_search", "Arbeitssuche", "Job search"),
    ("application", "Bewerbung", "Application"),
    ("language_course", "Sprachkurs", "Language course"),
    ("recognition", "Anerkennung von Abschlüssen", "Recognition of qualifications"),
    ("training", "Ausbildung / Qualifizierung", "Vocational training / qualification"),
    ("school", "Schule", "School"),
    ("housing", "Wohnen", "Housing"),
    ("health", "Gesundheit", "Health"),
    ("family", "Familie / Kinderbetreuung", "Family / childcare"),
    ("authorities", "Behörden", "Authorities"),
    ("finances", "Finanzen / Schulden", "Finances / debts"),
]


# Topics whose link to a named person is special-category data (GDPR Art. 9).
SENSITIVE_TOPICS = frozenset({"health"})


def ensure_default_topics(topic_model: type) -> None:
    """Adds missing default topics; existing (possibly edited) ones stay as they are."""
    # Early migrations pass a historical model that has no `sensitive` flag yet.
    flagged = any(f.name == "sensitive" for f in topic_model._meta.fields)  # type: ignore[attr-defined]
    for position, (key, label_de, label_en) in enumerate(DEFAULT_TOPICS):
        topic_model.objects.get_or_create(  # type: ignore[attr-defined]
            key=key,
            defaults={
                "label_de": label_de,
                "label_en": label_en,
                "position": position,
                **({"sensitive": key in SENSITIVE_TOPICS} if flagged else {}),
            },
        )


# (key, German, English, special-category data)
DEFAULT_BARRIERS = [
    ("german", "Deutschkenntnisse", "German language", False),
    ("recognition", "Nicht anerkannte Abschlüsse", "Qualifications not recognised", False),
    ("digital", "Digitale Kompetenzen", "Digital skills", False),
    ("psychological", "Psychische Belastung", "Psychological strain", True),
    ("health", "Gesundheit", "Health", True),
    ("childcare", "Kinderbetreuung", "Childcare", False),
    ("mobility", "Mobilität", "Mobility", False),
    ("authorities", "Umgang mit Behörden", "Dealing with authorities", False),
    ("housing", "Wohnen", "Housing", False),
    ("work_permission", "Aufenthaltsstatus / Arbeitserlaubnis", "Residence status / work permission", False),
    ("debts", "Schulden", "Debts", False),
]


def ensure_default_barriers(barrier_model: type) -> None:
    for position, (key, label_de, label_en, sensitive) in enumerate(DEFAULT_BARRIERS):
        barrier_model.objects.get_or_create(  # type: ignore[attr-defined]
            key=key,
            defaults={
                "label_de": label_de,
                "label_en": label_en,
                "sensitive": sensitive,
                "position": position,
            },
        )
