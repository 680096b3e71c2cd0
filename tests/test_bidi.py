"""Right-to-left names next to left-to-right text are isolated (<bdi>), so "العربية, 2026-01"
does not read as "2026-01 ,العربية" (Unicode bidi algorithm, WCAG 1.3.2)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from bruecke.network.demo import DemoNetwork
from bruecke.participants.info_sheet import INFO_SHEET_VERSION
from tests.access_expectations import mohammed


def test_consent_sheet_language_and_version_are_isolated(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    page = login("cm_a").get(reverse("participants:detail", args=[mohammed(demo).pk])).content.decode()
    assert f'<bdi lang="ar">العربية</bdi>, <bdi>{INFO_SHEET_VERSION}</bdi>' in page


def test_information_sheet_languages_are_isolated(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    url = reverse("participants:consent_create", args=[mohammed(demo).pk])
    page = login("cm_a").get(url).content.decode()
    assert "<bdi>العربية</bdi>" in page and "<bdi>فارسی / دری</bdi>" in page
