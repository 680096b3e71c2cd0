"""Request-wide context (request id, client address) and security headers."""

from __future__ import annotations

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestContext:
    request_id: str  # always generated here: the audit log must not carry a client's choice
    remote_addr: str | None
    client_request_id: str = ""  # a proxy's X-Request-ID, for the logs only, never trusted
    # Records shown so far, written as one audit event after the view (core.audit).
    reads: list[Any] = field(default_factory=list)


_current: ContextVar[RequestContext | None] = ContextVar("bruecke_request", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def current_request_context() -> RequestContext | None:
    return _current.get()


def client_address(request: HttpRequest) -> str | None:
    """The client's address; behind a proxy, the last entry that proxy added to its header."""
    header = settings.CLIENT_IP_HEADER
    candidate = request.headers.get(header, "").split(",")[-1].strip() if header else ""
    if not candidate:
        candidate = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _client_request_id(request: HttpRequest) -> str:
    # Anyone can send this header, so it never becomes the request's id (which goes into
    # the audit log); it is only logged next to ours, when harmless (no CR/LF, bounded).
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _VALID_ID.match(incoming) else ""


# 64 random bits: enough to find one request's log lines, and half the bytes per audit event
# of a whole uuid (decision 0066).
REQUEST_ID_LENGTH = 16


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            uuid.uuid4().hex[:REQUEST_ID_LENGTH], client_address(request), _client_request_id(request)
        )
        token = _current.set(context)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = context.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        record.request_id = context.request_id if context else "-"
        record.client_request_id = (context.client_request_id if context else "") or "-"
        return True


def content_security_policy() -> str:
    images = "'self' data:"
    if settings.MAP_TILE_URL:
        # The configured tile server is the only other host a page may load from.
        tiles = urlsplit(settings.MAP_TILE_URL)
        images += f" {tiles.scheme}://{tiles.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """CSP (only our own host, plus a configured tile server) and no caching of pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        if not request.path.startswith(settings.STATIC_URL):
            # Pages may show personal data: never keep them in browser or proxy caches.
            response["Cache-Control"] = "no-store"
        return response
