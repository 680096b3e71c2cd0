"""The default counselling topics (networks adapt the catalogue in the admin)."""

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


def ensure_default_topics(topic_model: type) -> None:
    """Adds missing default topics; existing (possibly edited) ones stay as they are."""
    for position, (key, label_de, label_en) in enumerate(DEFAULT_TOPICS):
        topic_model.objects.get_or_create(  # type: ignore[attr-defined]
            key=key, defaults={"label_de": label_de, "label_en": label_en, "position": position}
        )
