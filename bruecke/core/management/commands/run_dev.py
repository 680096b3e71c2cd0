"""`manage.py run_dev [addr:port]`: the web server and a job worker with one command (what
`make run` starts). Ctrl-C or SIGTERM stops both; if one of them dies, the other is stopped
too, so a half-working development server never goes unnoticed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

MANAGE = Path(settings.BASE_DIR) / "manage.py"
POLL_SECONDS = 0.2
STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Runs the development web server and a background-job worker together."
    # The children run the checks (runserver prints them); doing it here too says it twice.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_true", help="No reloading on code changes.")

    def handle(self, *, addrport: str, noreload: bool, **options: Any) -> None:
        # Both reload on code changes unless told not to (a changed job handler, too).
        commands = {
            "web server": [
                sys.executable,
                str(MANAGE),
                "runserver",
                addrport,
                *(["--noreload"] if noreload else []),
            ],
            "worker": [
                sys.executable,
                str(MANAGE),
                "run_worker",
                "--no-startup-delay",
                *([] if noreload else ["--reload"]),
            ],
        }
        children = {name: _start(command) for name, command in commands.items()}
        pids = ", ".join(f"{name} pid {child.pid}" for name, child in children.items())
        self.stdout.write(f"Started {pids}. Ctrl-C stops both.", ending="\n")
        self.stdout.flush()
        stop_requested: list[int] = []

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop_requested.append(signum)

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        exit_code = 0
        while not stop_requested:
            ended = {name: child.returncode for name, child in children.items() if child.poll() is not None}
            if ended:
                name, code = next(iter(ended.items()))
                self.stderr.write(f"The {name} stopped (exit code {code}); stopping the rest.")
                exit_code = 1
                break
            time.sleep(POLL_SECONDS)
        _stop_all(list(children.values()), stop_requested[0] if stop_requested else signal.SIGTERM)
        if exit_code:
            sys.exit(exit_code)


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    # Its own process group: the signal reaches the child's reloader and the process it
    # restarts alike, and a Ctrl-C in the terminal reaches only us (we forward it).
    return subprocess.Popen(command, start_new_session=True)  # noqa: S603 (our own manage.py)


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)


def _stop_all(children: list[subprocess.Popen[bytes]], signum: int) -> None:
    for child in children:
        _signal_group(child, signum)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Whatever the group still holds (a reloader's child) goes now.
        _signal_group(child, signal.SIGKILL)
        child.wait()
