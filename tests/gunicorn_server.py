"""A real gunicorn process and a small HTTP client that speaks to it as the reverse proxy
would (tests of the production setup and bench/serving.py).

The client talks plain HTTP from 127.0.0.1, which the configuration trusts as the proxy
(`FORWARDED_ALLOW_IPS`), and sends `X-Forwarded-Proto: https` like a proxy that
terminated TLS. Cookies are kept by hand: the production cookies are `Secure` with the
`__Host-` prefix, which a standard cookie jar would not send over plain HTTP.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "bruecke.test"  # the public name in ALLOWED_HOSTS; the proxy passes it on


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_environment(**extra: str) -> dict[str, str]:
    """The current environment without what the test process itself configures."""
    dropped = ("BRUECKE_ENV", "DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("GUNICORN")}
    return {**base, **extra}


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def logs(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")


@contextmanager
def running(
    command: list[str], environment: Mapping[str, str], port: int, log_dir: Path, start_seconds: float = 90
) -> Iterator[Server]:
    """Starts `command` (which must listen on `port`), yields it, stops it gracefully."""
    stdout, stderr = log_dir / "stdout.log", log_dir / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(environment), stdout=out, stderr=err)  # noqa: S603
        server = Server(port, process, stdout, stderr)
        try:
            _wait_for_port(port, process, start_seconds)
            yield server
        except BaseException:
            sys.stderr.write(server.logs()[-5000:])
            raise
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def gunicorn_command(app: str = "bruecke.wsgi:application") -> list[str]:
    """gunicorn with the repository's configuration file."""
    return [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "bruecke" / "gunicorn_conf.py"), app]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One user's HTTP session against the server, over the trusted proxy's path."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    https: bool = True

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Response:
        sent = {"Host": HOST}
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        self._keep_cookies(response)
        return response

    def _keep_cookies(self, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', "") or "max-age=0" in header.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: Mapping[str, str]) -> Response:
        """A form as the browser posts it, with the CSRF token of the page at `path`."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        data = {"csrfmiddlewaretoken": csrf_token(page.text), **fields}
        scheme = "https" if self.https else "http"
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"{scheme}://{HOST}",
            "Referer": f"{scheme}://{HOST}{path}",
        }
        return self.request("POST", path, body=urlencode(data).encode(), headers=headers)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def location_path(response: Response) -> str:
    """The path of a redirect's target (same host), HTML entities and host removed."""
    location = html.unescape(response.headers["Location"])
    return re.sub(r"^https?://[^/]+", "", location)


def sign_in(browser: Browser, username: str, password: str, totp_secret: str) -> None:
    """The real sign-in: password, then a current code computed from the app's secret."""
    from bruecke.accounts import totp

    answer = browser.post_form("/accounts/login/", {"username": username, "password": password})
    assert answer.status == 302, (answer.status, answer.text[-2000:])
    # Every page sends a password-only session to the second step.
    mfa_page = location_path(answer)
    if not mfa_page.startswith("/accounts/mfa/"):
        answer = browser.get(mfa_page)
        assert answer.status == 302, (mfa_page, answer.status)
        mfa_page = location_path(answer)
    assert mfa_page.startswith("/accounts/mfa/"), mfa_page
    code = totp.code_at(totp_secret, totp.current_step())
    answer = browser.post_form(mfa_page, {"code": code})
    assert answer.status == 302, (answer.status, answer.text[-2000:])
    assert not location_path(answer).startswith("/accounts/"), location_path(answer)
