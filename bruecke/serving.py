"""Helpers of the gunicorn configuration (bruecke/gunicorn_conf.py), kept importable so
that they are type-checked and tested like the rest of the code."""

from __future__ import annotations

import os
import re
from typing import Any

from gunicorn.glogging import Logger


def cpu_count() -> int:
    """CPUs this process may run on (a container's or systemd's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Time, method, path without the query, status, bytes, duration in ms and Brücke's request
# id (the one in the audit log). Names may be in a query (`?q=Mohammed`) or a referrer, so
# neither `%(r)s`, `%(q)s` nor `%(f)s` is used, and no client address.
ACCESS_LOG_FORMAT = "%(t)s %(m)s %(U)s %(s)s %(b)s %(M)sms %({x-request-id}o)s"

# A path followed by a query: "/participants/?q=Mohammed" -> "/participants/?…".
_QUERY = re.compile(r"(/[^\s?'\"]*)\?[^\s'\"]+")


def without_query(value: object) -> object:
    """`value` with the query of every request URI in it replaced by "?…"."""
    return _QUERY.sub(r"\1?…", value) if isinstance(value, str) else value


class QuerylessLogger(Logger):
    """gunicorn's logger, but its error log never carries a query string. gunicorn writes
    the full URI when an error escapes the application ("Error handling request GET
    /path?q=…") and the request line of a malformed request ("Invalid request from
    ip=…: Invalid HTTP request line: 'GET /path?q=…'")."""

    def _clean(self, msg: str, args: tuple[Any, ...]) -> tuple[object, tuple[object, ...]]:
        return without_query(msg), tuple(without_query(arg) for arg in args)

    def critical(self, msg: str, *args: Any, **kwargs: Any) -> None:
        clean, clean_args = self._clean(msg, args)
        super().critical(clean, *clean_args, **kwargs)

    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
        clean, clean_args = self._clean(msg, args)
        super().error(clean, *clean_args, **kwargs)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        clean, clean_args = self._clean(msg, args)
        super().warning(clean, *clean_args, **kwargs)

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        clean, clean_args = self._clean(msg, args)
        super().info(clean, *clean_args, **kwargs)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:
        clean, clean_args = self._clean(msg, args)
        super().debug(clean, *clean_args, **kwargs)

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        clean, clean_args = self._clean(msg, args)
        super().exception(clean, *clean_args, **kwargs)
