"""Breach register: the data-protection officer records a breach from the dashboard, sees
the 72-hour deadline, then records the notification and closes it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bruecke.privacy.models import Breach, BreachStatus
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_record_notify_and_close_a_breach(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("sabine.fischer")
    expect(page.locator("#breaches-heading")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name=tr("To the breach register")).click()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Record a breach")).click()
    check_axe(page)

    detected = timezone.localtime() - datetime.timedelta(hours=2)
    page.fill("#id_detected_at", detected.strftime("%d.%m.%Y %H:%M"))
    page.fill("#id_title", "USB-Stick mit Teilnehmendenliste verloren")
    page.fill("#id_description", "Ein unverschlüsselter USB-Stick ging bei einer Sprechstunde verloren.")
    page.get_by_label(tr("names, contact details, dates of birth")).check()
    page.fill("#id_persons_affected", "25")
    bpage.submit()
    breach = Breach.objects.get(title="USB-Stick mit Teilnehmendenliste verloren")
    expect(page).to_have_url(re.compile(rf"/privacy/breaches/{breach.pk}/$"))
    due = timezone.localtime(breach.notification_due).strftime("%d.%m.%Y %H:%M")
    expect(page.locator("#breach-deadline")).to_contain_text(due)
    check_axe(page)

    page.select_option("#id_risk", "risk")
    page.fill("#id_authority_notified_at", timezone.localtime().strftime("%d.%m.%Y %H:%M"))
    page.select_option("#id_status", "closed")
    bpage.submit()
    expect(page.locator("#breach-deadline")).to_contain_text(tr("notified on %(at)s").split("%")[0].strip())
    breach.refresh_from_db()
    assert breach.status == BreachStatus.CLOSED
    check_axe(page)
