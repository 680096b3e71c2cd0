"""Load test: gunicorn in production mode, 50 concurrent connections driven by wrk, a
signed-in page mix with a contact recorded by a real POST (issue 18, decision 0069).

Usage (the database must hold the demo network, e.g. `seed_demo --participants 100000`,
and be readable with the FIELD_ENCRYPTION_KEYS below; see docs/benchmarks.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h6_100k \\
        .venv/bin/python bench/load.py --seconds 60 --workers 5,3 --connections 50

Steps: collectstatic; gunicorn starts with bruecke/gunicorn_conf.py and BRUECKE_ENV=
production on loopback; `--sessions` sessions sign in through the real sign-in with the
second factor (tests/gunicorn_server.py, as bench/serving.py does); for each session the
script reads its page mix (dashboard, participant list, name search, a participant page, a
case page, the case's timeline, and the contact form's CSRF token) and writes a wrk Lua
script that rotates the sessions' cookies and the mix, one contact POST in every
`len(mix)` requests, each with a fresh one-time submission token (decision 0022). wrk
then drives `--connections` connections for `--seconds` (stopping earlier after
`--max-requests`). Reported per configuration: requests/s, p50/p95/p99, errors (any status
outside 2xx/3xx and socket errors), gunicorn CPU per request, PostgreSQL CPU per request
(the server processes of this database), contacts written. `--per-page S` adds a pass of
S seconds per page for per-page latencies. `--replica` starts a streaming replica
(bench/replica.py), points DATABASE_REPLICA_URL at it, adds the indicator report to the
mix and samples the replica's lag while the load runs.

wrk: `apt-get install -y wrk` (Debian package).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from common import ROOT

from tests.gunicorn_server import (
    HOST,
    Browser,
    clean_environment,
    csrf_token,
    free_port,
    gunicorn_command,
    running,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import KEYS, USERS, _cpu_seconds, _manage, _sign_in_all, _wait_until_serving

REPORT = "/reporting/indicators/"


@dataclass
class Session:
    cookie: str
    paths: list[str]
    post_path: str
    post_body: str  # without the submission token, which wrk adds per request


@dataclass
class Outcome:
    requests: int
    seconds: float
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    gunicorn_cpu_ms: float
    postgres_cpu_ms: float
    contacts: int


def _require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian package)")
    return found


def _demo_key() -> str:
    from bruecke.accounts import demo as mfa_demo
    from bruecke.accounts.models import User

    return mfa_demo.demo_key(list(User.objects.filter(username__in=USERS)))


def _first_option(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no {name} field"
    values = [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]
    assert values, f"no {name} choice"
    return values[0]


def _session(browser: Browser, with_report: bool) -> Session:
    """The page mix of one signed-in session; every path is checked to answer 200."""
    listing = browser.get("/participants/").text
    participants = re.findall(r'href="(/participants/\d+/)"', listing)
    assert participants, "no participant visible"
    case_path = ""
    for participant in participants:
        found = re.search(r'href="(/cases/\d+/)"', browser.get(participant).text)
        if found:
            case_path, participant_path = found.group(1), participant
            break
    assert case_path, "no case visible on the first page of participants"
    case_page = browser.get(case_path).text
    paths = [
        "/dashboard/",
        "/participants/",
        "/participants/?q=Mohammed",
        participant_path,
        case_path,
        f"{case_path}timeline/",
    ]
    if with_report and browser.get(REPORT).status == 200:
        paths.append(REPORT)
    for path in paths:
        status = browser.get(path).status
        assert status == 200, (path, status)
    fields = {
        "csrfmiddlewaretoken": csrf_token(case_page),
        "date": datetime.date.today().isoformat(),
        "duration_minutes": "30",
        "channel": _first_option(case_page, "channel"),
        "note": "Lasttest",
    }
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    return Session(cookie, paths, f"{case_path}contacts/new/", urlencode(fields))


LUA = r"""
local sessions = %(sessions)s
local max_requests = %(max_requests)d
local only = %(only)s
local counter = 0
local done = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
  counter = thread_id * 13
end

local function headers(s)
  return {["Host"] = "%(host)s", ["X-Forwarded-Proto"] = "https", ["Cookie"] = s.cookie}
end

function request()
  counter = counter + 1
  local s = sessions[(counter %% #sessions) + 1]
  local mix = #s.paths + 1
  local step = math.floor(counter / #sessions) %% mix
  if only ~= nil then
    if only == 0 then step = #s.paths else step = only - 1 end
  end
  if step == #s.paths then
    local h = headers(s)
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["Origin"] = "https://%(host)s"
    h["Referer"] = "https://%(host)s" .. s.post
    local token = string.format("load-%%d-%%d-%%d", thread_id, counter, math.random(1, 1000000000))
    return wrk.format("POST", s.post, h, s.body .. "&submission=" .. token)
  end
  return wrk.format("GET", s.paths[step + 1], headers(s))
end

function response(status, headers, body)
  done = done + 1
  if max_requests > 0 and done >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local out = {
    requests = summary.requests, duration_us = summary.duration,
    connect = summary.errors.connect, read = summary.errors.read, write = summary.errors.write,
    status = summary.errors.status, timeout = summary.errors.timeout,
    p50 = latency:percentile(50), p95 = latency:percentile(95), p99 = latency:percentile(99),
  }
  local parts = {}
  for k, v in pairs(out) do table.insert(parts, string.format('"%%s": %%s', k, v)) end
  io.write("WRK_JSON {" .. table.concat(parts, ", ") .. "}\n")
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for these values


def _lua(sessions: list[Session], max_requests_per_thread: int, only: int | None) -> str:
    entries = [
        f"{{cookie = {_lua_string(s.cookie)}, post = {_lua_string(s.post_path)}, "
        f"body = {_lua_string(s.post_body)}, paths = {{{', '.join(_lua_string(p) for p in s.paths)}}}}}"
        for s in sessions
    ]
    return LUA % {
        "sessions": "{" + ",\n".join(entries) + "}",
        "max_requests": max_requests_per_thread,
        "only": "nil" if only is None else str(only),
        "host": HOST,
    }


def _postgres_cpu(database: str) -> float:
    """CPU seconds of the PostgreSQL server processes connected to `database` (Linux /proc)."""
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        pids = [
            row[0]
            for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
            )
        ]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _admin_url() -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()


def _contacts() -> int:
    from bruecke.cases.models import Contact

    return Contact.objects.count()


def _wrk(port: int, script: Path, connections: int, seconds: float, threads: int) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603
        [
            _require_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{int(seconds)}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"WRK_JSON (\{.*\})", done.stdout)
    if not found:
        raise SystemExit(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    return {k: float(v) for k, v in json.loads(found.group(1)).items()}


def _measure(
    master: int, port: int, script: Path, database: str, args: argparse.Namespace, seconds: float
) -> Outcome:
    contacts_before = _contacts()
    gunicorn_before, postgres_before = _cpu_seconds(master), _postgres_cpu(database)
    result = _wrk(port, script, args.connections, seconds, args.wrk_threads)
    gunicorn_cpu, postgres_cpu = (
        _cpu_seconds(master) - gunicorn_before,
        _postgres_cpu(database) - postgres_before,
    )
    requests = int(result["requests"])
    elapsed = result["duration_us"] / 1e6
    errors = int(sum(result[k] for k in ("connect", "read", "write", "status", "timeout")))
    per_request = 1000 / max(requests, 1)
    return Outcome(
        requests=requests,
        seconds=elapsed,
        rps=requests / elapsed,
        p50=result["p50"] / 1000,
        p95=result["p95"] / 1000,
        p99=result["p99"] / 1000,
        errors=errors,
        gunicorn_cpu_ms=gunicorn_cpu * per_request,
        postgres_cpu_ms=postgres_cpu * per_request,
        contacts=_contacts() - contacts_before,
    )


def _print(label: str, outcome: Outcome) -> None:
    print(
        f"{label:<28} {outcome.rps:>7.1f} {outcome.p50:>7.1f} {outcome.p95:>7.1f} {outcome.p99:>7.1f} "
        f"{outcome.requests:>8} {outcome.errors:>6} {outcome.gunicorn_cpu_ms:>8.1f} "
        f"{outcome.postgres_cpu_ms:>8.1f} {outcome.contacts:>8} {os.getloadavg()[0]:>5.1f}",
        flush=True,
    )


HEADER = (
    f"{'configuration':<28} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'requests':>8} "
    f"{'errors':>6} {'gunic ms':>8} {'pg ms':>8} {'contacts':>8} {'load':>5}"
)


class LagSampler(threading.Thread):
    """Samples the replica's lag (its own view and the primary's) while the load runs."""

    def __init__(self, replica: object, database: str) -> None:
        super().__init__(daemon=True)
        self.replica, self.database = replica, database
        self.samples: list[tuple[float, float, float]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        import replica as replica_module

        while not self.stopping.wait(0.5):
            try:
                _in_recovery, _receiver, caught_up, since = replica_module.status(self.replica, self.database)
                replay_bytes, replay_seconds = replica_module.primary_lag(self.replica)
            except Exception:  # noqa: S112 (a sample lost to the load is skipped)
                continue
            shown = 0.0 if caught_up else float(since or 0)  # what the router and the page show
            self.samples.append((shown, replay_bytes, replay_seconds))

    def report(self) -> str:
        if not self.samples:
            return "replica lag: no samples"
        shown = [s[0] for s in self.samples]
        replay = [s[2] for s in self.samples]
        return (
            f"replica lag over {len(self.samples)} samples: shown (router) median "
            f"{statistics.median(shown):.2f} s, max {max(shown):.2f} s; primary's replay_lag median "
            f"{statistics.median(replay) * 1000:.1f} ms, max {max(replay) * 1000:.1f} ms; "
            f"WAL behind max {max(s[1] for s in self.samples) / 1024:.0f} kB"
        )


@contextmanager
def _replica_if(wanted: bool, database: str) -> Iterator[object | None]:
    if not wanted:
        yield None
        return
    import replica as replica_module

    with replica_module.running() as started:
        yield started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warm-up", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=10, help="signed-in sessions the connections share")
    parser.add_argument("--workers", default="5,3", help="gunicorn worker counts to measure, comma-separated")
    parser.add_argument("--gthread", type=int, default=0, help="also measure gthread with this many threads")
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="stop wrk after this many (0: no cap)"
    )
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--per-page", type=float, default=0, help="seconds of a pass per page (0: none)")
    parser.add_argument("--replica", action="store_true", help="a streaming replica serves the report")
    args = parser.parse_args()
    _require_wrk()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name the PostgreSQL database to load (see the docstring).")
    database = urlsplit(url).path.lstrip("/")
    log_dir = Path(tempfile.mkdtemp(prefix="bruecke-bench-load-"))
    base = clean_environment(
        BRUECKE_ENV="production", DATABASE_URL=url, STATIC_ROOT=str(log_dir / "static"), **KEYS
    )
    _manage(base, "collectstatic", "--no-input", "-v", "0")
    key = _demo_key()
    configurations = [(f"sync, {w} workers", {"GUNICORN_WORKERS": w}) for w in args.workers.split(",")]
    if args.gthread:
        configurations.append(
            (
                f"gthread, 3 × {args.gthread} threads",
                {
                    "GUNICORN_WORKERS": "3",
                    "GUNICORN_CMD_ARGS": f"--worker-class gthread --threads {args.gthread}",
                },
            )
        )
    sessions: list[Session] = []
    print(f"database {database}, {args.connections} connections, {args.seconds:.0f} s per run")
    with _replica_if(args.replica, database) as replica:
        extra = {"DATABASE_REPLICA_URL": replica.url(database)} if replica else {}  # type: ignore[attr-defined]
        print(HEADER)
        for label, environment in configurations:
            port = free_port()
            served = (
                base
                | environment
                | extra
                | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_LOG_LEVEL": "warning"}
            )
            with running(gunicorn_command(), served, port, log_dir) as server:
                _wait_until_serving(port)
                if not sessions:
                    browsers = _sign_in_all(port, args.sessions, key)
                    sessions = [_session(b, with_report=args.replica) for b in browsers]
                    print(f"{len(sessions)} sessions signed in; mix: {len(sessions[0].paths)} pages + 1 POST")
                script = log_dir / "mix.lua"
                per_thread = args.max_requests // args.wrk_threads if args.max_requests else 0
                # Warm-up: every worker opens its connection and fills its caches.
                script.write_text(_lua(sessions, 0, None))
                _wrk(port, script, args.connections, args.warm_up, args.wrk_threads)
                script.write_text(_lua(sessions, per_thread, None))
                sampler = LagSampler(replica, database) if replica else None
                if sampler:
                    sampler.start()
                outcome = _measure(server.process.pid, port, script, database, args, args.seconds)
                if sampler:
                    sampler.stopping.set()
                    sampler.join()
                _print(label, outcome)
                if sampler:
                    print("  " + sampler.report(), flush=True)
                if args.per_page:
                    names = [*sessions[0].paths, "POST contact"]
                    for index, name in enumerate(names):
                        only = 0 if name == "POST contact" else index + 1
                        script.write_text(_lua(sessions, per_thread, only))
                        page_label = re.sub(r"\d+", "N", name)[:26]
                        _print(
                            f"  {page_label}",
                            _measure(server.process.pid, port, script, database, args, args.per_page),
                        )
    shutil.rmtree(log_dir, ignore_errors=True)


if __name__ == "__main__":
    import signal

    import django

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.path.insert(0, str(ROOT))
    os.environ.update(KEYS)  # the data's encryption key: the demo authenticator key is read
    django.setup()
    main()
