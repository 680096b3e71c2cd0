"""The job kinds: each app registers its handlers in its own `jobs` module.

A handler gets the job and a progress callback and returns a `JobOutput`. It runs in the
worker, outside any request and outside a transaction; it reads its input by the ids in
`job.params` and must not trust that the records still exist (raise `JobInputGone`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Protocol

from django.utils.translation import gettext_noop

if TYPE_CHECKING:
    from bruecke.accounts.models import User
    from bruecke.jobs.models import Job


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


@dataclass(frozen=True)
class JobOutput:
    """What a handler made. Either `content` (bytes), or `write`, a function that writes
    the result into the open (binary) file it is given, for results too large to hold in
    memory. The framework writes into a temporary file and moves it into place only when
    complete."""

    filename: str
    content_type: str
    content: bytes | None = None
    write: Callable[[IO[bytes]], None] | None = None

    def __post_init__(self) -> None:
        if (self.content is None) == (self.write is None):
            raise ValueError("JobOutput needs exactly one of content and write.")


Handler = Callable[["Job", Progress], JobOutput]


class JobFailed(Exception):
    """The handler cannot finish, for a reason the user should read. `message` is a fixed
    English text marked with gettext_noop (shown translated; never personal data)."""

    default_message = gettext_noop(
        "The job could not be completed. Please start it again or contact support."
    )

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class JobInputGone(JobFailed):
    """The record the job was started for was deleted (or left the user's scope) before
    the job ran."""

    default_message = gettext_noop(
        "The record this job was started for no longer exists or is no longer available to you."
    )


_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Registers the decorated function as the handler of `kind`."""

    def register(function: Handler) -> Handler:
        existing = _HANDLERS.get(kind)
        # The same function imported again (a reload) replaces itself; another one is a clash.
        if existing is not None and _name(existing) != _name(function):
            raise ValueError(f"Job kind {kind!r} is already registered by {_name(existing)}.")
        _HANDLERS[kind] = function
        return function

    return register


def _name(function: Handler) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def handler_for(kind: str) -> Handler | None:
    return _HANDLERS.get(kind)


# Called by the download view before a result is served, inside its transaction, with the
# job and the user: re-checks that the user may still see what the result is about (raise
# Http404 if not) and writes the kind's own read event (e.g. on the participant).
DownloadCheck = Callable[["Job", "User"], None]
_DOWNLOAD_CHECKS: dict[str, DownloadCheck] = {}


def job_download_check(kind: str) -> Callable[[DownloadCheck], DownloadCheck]:
    """Registers the decorated function as the download check of `kind` (optional)."""

    def register(function: DownloadCheck) -> DownloadCheck:
        _DOWNLOAD_CHECKS[kind] = function
        return function

    return register


def download_check_for(kind: str) -> DownloadCheck | None:
    return _DOWNLOAD_CHECKS.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
