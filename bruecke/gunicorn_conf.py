"""gunicorn configuration for production (`manage.py serve`, decision 0032).

Every value can be overridden by an environment variable (validated like the Django
settings: a malformed value stops gunicorn at start-up). gunicorn's own
`GUNICORN_CMD_ARGS` still works for one-off changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# gunicorn loads this file by path; the project must be importable from it whichever
# directory or `gunicorn` script started the server.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from bruecke.env import env_int, env_list, env_str  # noqa: E402
from bruecke.serving import ACCESS_LOG_FORMAT, cpu_count  # noqa: E402

wsgi_app = "bruecke.wsgi:application"
bind = env_list("GUNICORN_BIND", ["127.0.0.1:8000"])

# Synchronous workers: one request per process, so a worker's database connection is
# never shared and `timeout` bounds the time of a single request (a stuck request costs
# one worker, which gunicorn kills and replaces). 2 × cores + 1 is gunicorn's advice for
# requests that wait on the database part of the time.
workers = env_int("GUNICORN_WORKERS", 2 * cpu_count() + 1, minimum=1)

# A PDF renders in the request for up to PDF_RENDER_TIMEOUT_SECONDS, then the page shows
# the fallback; the worker must live longer than that, or the user gets a 502 instead.
_pdf_seconds = env_int("PDF_RENDER_TIMEOUT_SECONDS", 60, minimum=5)
timeout = env_int("GUNICORN_TIMEOUT", _pdf_seconds + 30, minimum=1)
if timeout < _pdf_seconds + 10:
    raise ImproperlyConfigured(
        f"GUNICORN_TIMEOUT={timeout}: must be at least PDF_RENDER_TIMEOUT_SECONDS + 10 "
        f"({_pdf_seconds + 10}), so that a stopped PDF can still show its fallback."
    )
# On restart and reload, a request in progress (even a PDF) may finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", timeout, minimum=1)

# Workers are replaced after this many requests (spread by the jitter, so they do not all
# restart at once): bounds slow memory growth of long-lived processes. 0 turns it off.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000, minimum=0)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10, minimum=0)

# Only these addresses may say that the request came over HTTPS (X-Forwarded-Proto);
# from anyone else gunicorn ignores the header, and Brücke redirects to HTTPS. Your
# reverse proxy's address: keep the default when it runs on the same host.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log on standard output without the query string, the referrer or the client
# address: a search for a person's name is in the query (`?q=…`). Errors go to standard
# error. Both end up in the journal under systemd.
accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
# gunicorn logs the full request URI when an error escapes the application.
logger_class = "bruecke.serving.QuerylessLogger"

proc_name = "bruecke"
# The control socket (gunicornc) defaults to one path per user: two servers of the same
# user would fight over it, and nothing of Brücke uses it.
control_socket_disable = True
