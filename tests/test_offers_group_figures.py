"""Figures of group offers for reporting (aggregated in SQL; run on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime

from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import GroupKind
from bruecke.offers.selectors.group_figures import group_figures, participants_reached_total
from bruecke.offers.services import groups as services
from tests.test_offers_groups import _bulk_enrolments, _offer, _session

TODAY = datetime.date.today()


def test_sessions_attendance_guests_and_people_reached_per_kind(demo: DemoNetwork) -> None:
    organisations = [demo.partners["B"].pk]  # no demo offers there: only this test's records
    actor = demo.users["cm_b"]
    digital = _offer(demo, organisation=demo.partners["B"], team=None)
    cafe = _offer(demo, organisation=demo.partners["B"], team=None, title="Café", kind=GroupKind.WOMENS_CAFE)
    people = _bulk_enrolments(demo, digital, 3, name="Zahl")
    first, second, planned = (
        _session(demo, digital, -5),
        _session(demo, digital, -2),
        _session(demo, digital, 3),
    )
    a, b, c = people
    services.attendance_save(
        actor=actor,
        session=first,
        rows={a.pk: "present", b.pk: "present", c.pk: "absent"},
        guests=2,
        expected_version=None,
    )
    services.attendance_save(
        actor=actor, session=second, rows={a.pk: "present", b.pk: "excused"}, guests=1, expected_version=None
    )
    held_cafe = _session(demo, cafe, -1)
    services.attendance_save(actor=actor, session=held_cafe, rows={}, guests=7, expected_version=None)
    assert planned.attendance_taken_at is None

    figures = group_figures(organisations, TODAY - datetime.timedelta(days=30), TODAY)
    d = figures.by_kind[GroupKind.DIGITAL_SKILLS]
    assert (d.sessions_held, d.guests, d.present, d.excused, d.absent, d.participants_reached) == (
        2,
        3,
        3,
        1,
        1,
        2,
    )
    w = figures.by_kind[GroupKind.WOMENS_CAFE]
    assert (w.sessions_held, w.guests, w.present, w.participants_reached) == (1, 7, 0, 0)
    assert figures.total.sessions_held == 3 and figures.total.guests == 10
    assert participants_reached_total(organisations, TODAY - datetime.timedelta(days=30), TODAY) == 2

    # The period is inclusive and cuts: only the second session.
    narrow = group_figures(
        organisations, TODAY - datetime.timedelta(days=2), TODAY - datetime.timedelta(days=2)
    )
    assert set(narrow.by_kind) == {GroupKind.DIGITAL_SKILLS}
    assert narrow.by_kind[GroupKind.DIGITAL_SKILLS].present == 1
    assert group_figures([demo.partners["C"].pk], TODAY - datetime.timedelta(days=30), TODAY).by_kind == {}
