"""A WSGI application that fails outside Django's error handling (tests/test_serving.py):
gunicorn then logs the request itself, which must not put the query in its log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    raise RuntimeError("the application failed")
