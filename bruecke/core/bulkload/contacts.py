"""Contacts, their topic links and the case timeline, written by the database itself
(`INSERT … SELECT … generate_series`): 10 million rows are too many to format in Python on
two cores. What the contact service writes per contact, this writes per contact: the
contact (with an encrypted note), its non-sensitive topic links and a "contact" timeline
event with channel and minutes; per case the "opened" (and "closed") events."""

from __future__ import annotations

import datetime
from typing import Any

# Contacts per case follow an exponential distribution: many cases with few contacts, about
# 4 % with 50 or more. The mean is per case; with 65 % of the participants having a case,
# 15.4 per case gives 10 per participant.
CONTACTS_PER_CASE = 15.4
CHANNELS = [
    "office",
    "office",
    "office",
    "phone",
    "phone",
    "video",
    "messenger",
    "home_visit",
    "accompaniment",
]
LANGUAGES = ["ar", "fa", "uk", "ti", "ru", "tr"]

CONTACTS = """
INSERT INTO cases_contact (created_at, updated_at, date, duration_minutes, channel, interpreter,
    interpreter_language, note, confidential, case_id, recorded_by_id, site_id, sensitive_topics)
SELECT stamp, stamp, day, (10 + floor(r1 * 110))::smallint,
    (%(channels)s::text[])[1 + floor(r2 * cardinality(%(channels)s::text[]))::int],
    CASE WHEN r3 < 0.15 THEN 'person' ELSE '' END,
    CASE WHEN r3 < 0.15 THEN (%(languages)s::text[])[1 + floor(r3 * 40)::int] ELSE '' END,
    CASE WHEN r4 < 0.1 THEN ''
         ELSE (%(notes)s::text[])[1 + floor(r4 * cardinality(%(notes)s::text[]))::int] END,
    r5 < 0.05, case_id,
    CASE WHEN r5 < 0.8 THEN case_manager_id ELSE users[1 + floor(r6 * cardinality(users))::int] END,
    NULL, CASE WHEN r6 < 0.05 THEN %(sensitive)s ELSE '' END
FROM (
    SELECT c.id AS case_id, c.case_manager_id, s.users, d.day,
        d.day + time '08:00' + random() * interval '9 hours' AS stamp,
        random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6
    FROM (
        SELECT c.*, floor(-ln(1 - random()) * %(mean)s)::int AS n FROM cases_case c
        WHERE c.id BETWEEN %(lo)s AND %(hi)s
    ) c
    JOIN bulk_team_staff s ON s.team_id = c.team_id
    CROSS JOIN LATERAL generate_series(1, c.n) g
    CROSS JOIN LATERAL (
        SELECT c.opened_on
            + floor(random() * (COALESCE(c.closed_on, %(today)s) - c.opened_on + 1 + 0 * g))::int AS day
    ) d
) rows
ORDER BY case_id, day
"""

# One or two topics per contact (a third have two); the sensitive one ("health") never here.
TOPIC_LINKS = """
INSERT INTO cases_contact_topics (contact_id, contacttopic_id)
SELECT c.id, (%(topics)s::bigint[])[1 + (c.id * 7 + j * 3) %% cardinality(%(topics)s::bigint[])]
FROM cases_contact c CROSS JOIN LATERAL generate_series(0, (c.id %% 3 = 0)::int) j
WHERE c.id > %(after)s
"""

CONTACT_EVENTS = """
INSERT INTO cases_caseevent (occurred_on, created_at, kind, object_type, object_id, details,
    actor_id, case_id)
SELECT c.date, c.created_at, 'contact', 'cases.contact', c.id::text,
    jsonb_build_object('channel', c.channel, 'minutes', c.duration_minutes), c.recorded_by_id, c.case_id
FROM cases_contact c WHERE c.id > %(after)s
"""

CASE_EVENTS = """
INSERT INTO cases_caseevent (occurred_on, created_at, kind, object_type, object_id, details,
    actor_id, case_id)
SELECT c.opened_on, c.created_at, 'opened', 'cases.case', c.id::text, '{}'::jsonb, c.case_manager_id, c.id
FROM cases_case c WHERE c.id BETWEEN %(lo)s AND %(hi)s
UNION ALL
SELECT c.closed_on, c.closed_on + time '16:00', 'closed', 'cases.case', c.id::text, '{}'::jsonb,
    c.case_manager_id, c.id
FROM cases_case c WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.closed_on IS NOT NULL
"""


def fixed_values(cursor: Any) -> dict[str, Any]:
    """Parameters every chunk shares: channels, topics, and a handful of real ciphertexts."""
    from bruecke.core import crypto

    notes = [
        "Termin bei der Ausländerbehörde vorbereitet.",
        "Bewerbungsunterlagen gemeinsam überarbeitet.",
        "Anmeldung zum Sprachkurs besprochen.",
        "Unterlagen zur Anerkennung gesichtet.",
        "Wohnungssuche: Rückmeldung des Vermieters abwarten.",
    ]
    cursor.execute("SELECT id FROM cases_contacttopic WHERE NOT sensitive ORDER BY id")
    topics = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT key FROM cases_contacttopic WHERE sensitive ORDER BY id LIMIT 1")
    sensitive = cursor.fetchone()
    return {
        "channels": CHANNELS,
        "languages": LANGUAGES,
        "notes": [crypto.encrypt(text, context="cases.contact.note") for text in notes],
        "sensitive": crypto.encrypt(sensitive[0], context="cases.contact.sensitive_topics")
        if sensitive
        else "",
        "topics": topics,
        "mean": CONTACTS_PER_CASE,
    }


def load(cursor: Any, fixed: dict[str, Any], cases: tuple[int, int], today: datetime.date) -> dict[str, int]:
    """Contacts, topic links and timeline events of the cases with ids in `cases` (inclusive)."""
    lo, hi = cases
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_contact")
    after = cursor.fetchone()[0]
    cursor.execute(CONTACTS, {**fixed, "lo": lo, "hi": hi, "today": today})
    contacts = cursor.rowcount
    cursor.execute(TOPIC_LINKS, {"topics": fixed["topics"], "after": after})
    links = cursor.rowcount
    cursor.execute(CONTACT_EVENTS, {"after": after})
    events = cursor.rowcount
    cursor.execute(CASE_EVENTS, {"lo": lo, "hi": hi})
    events += cursor.rowcount
    return {"cases_contact": contacts, "cases_contact_topics": links, "cases_caseevent": events}
