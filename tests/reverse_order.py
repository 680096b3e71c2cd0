"""A pytest plugin for tests of the harness: runs the collected tests in reverse order, after
pytest-django has put the transactional ones last (`-p tests.reverse_order`)."""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.reverse()
