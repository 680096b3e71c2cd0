"""Brücke settings: one module, configured by environment variables (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

from bruecke.core import database
from bruecke.core.names import country_overrides
from bruecke.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# development: safe local defaults; production: every secret required, HTTPS enforced;
# test: production-like security with fast hashing.
ENVIRONMENT = env_choice("BRUECKE_ENV", "development", ("development", "production", "test"))
PRODUCTION = ENVIRONMENT == "production"

_DEV_SECRET = "dev-only-insecure-secret-key-never-use-in-production-0123456789"  # noqa: S105 (development only; production requires SECRET_KEY)
# A fixed development key so the demo database stays readable across restarts.
_DEV_FIELD_KEY = "dev:ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="

SECRET_KEY = env_secret("SECRET_KEY", None if PRODUCTION else _DEV_SECRET)
DEBUG = env_bool("DEBUG", ENVIRONMENT == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if PRODUCTION and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production.")

# Special-category fields: comma-separated "key-id:base64-32-byte-key"; the first one encrypts.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [] if PRODUCTION else [_DEV_FIELD_KEY])
if not FIELD_ENCRYPTION_KEYS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is required in production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "bruecke.core",
    "bruecke.accounts",
    "bruecke.network",
    "bruecke.projects",
    "bruecke.participants",
    "bruecke.esf",
    "bruecke.cases",
    "bruecke.rules",
    "bruecke.privacy",
    "bruecke.reminders",
    "bruecke.jobs",
    "bruecke.placement",
    "bruecke.offers",
    "bruecke.reporting",
    "bruecke.spreadsheets",
    "bruecke.dedupe",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
]
if ENVIRONMENT == "test":
    # A model of personal data used to test scoping and encryption on a real table.
    INSTALLED_APPS.append("tests.testapp")

MIDDLEWARE = [
    "bruecke.core.middleware.RequestIdMiddleware",
    # The page's reads become one audit event after the view (docs/decisions/0067).
    "bruecke.core.audit.AuditReadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, which answers static files itself: they get these headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bruecke.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bruecke.accounts.middleware.SessionLifetimeMiddleware",
    "bruecke.accounts.middleware.SessionRefreshMiddleware",
    "bruecke.accounts.middleware.UserLanguageMiddleware",
    "bruecke.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "bruecke.urls"
WSGI_APPLICATION = "bruecke.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "bruecke.core.context_processors.navigation",
                "bruecke.accounts.context_processors.session_timing",
            ],
            # The cross-partner notice on the participant page (docs/decisions/0063).
            "libraries": {"cross_partner": "bruecke.dedupe.crosspartner.templatetags.cross_partner"},
        },
    }
]

_database = dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
# Persistent connections with a health check on PostgreSQL (defaults measured:
# docs/benchmarks.md, "Serving"); SQLite opens its file per request as before.
DATABASES = {
    "default": database.configure(
        _database,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", database.default_conn_max_age(_database), minimum=0),
        conn_health_checks=env_bool(
            "DATABASE_CONN_HEALTH_CHECKS", database.default_conn_health_checks(_database)
        ),
    )
}
# Progress of long imports is written through a second connection to the same database,
# outside the import's transaction, so the bar moves during the rows (decision 0072).
# PostgreSQL only: SQLite has a single writer, and the progress would wait for the import.
if "postgresql" in DATABASES["default"]["ENGINE"] and env_bool("DATABASE_PROGRESS_CONNECTION", True):
    DATABASES["progress"] = {
        **DATABASES["default"],
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        # A progress write gives up quickly rather than wait: the import goes on without it.
        "OPTIONS": {
            **DATABASES["default"].get("OPTIONS", {}),
            "options": "-c lock_timeout=2000 -c statement_timeout=5000",
        },
        "TEST": {"MIRROR": "default"},
    }
# A streaming read replica for reports and report exports (optional; decisions 0069, 0073). Reads go to
# it only inside `replica_reads()` and only while it lags at most DATABASE_REPLICA_MAX_LAG
# seconds; every other read and every write stays on `default`.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    _replica = dj_database_url.parse(_replica_url)
    DATABASES["replica"] = database.configure(
        _replica,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
    )
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 30, minimum=0)
DATABASE_ROUTERS = ["bruecke.core.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Speed only: the test suite hashes thousands of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Failed-login throttling (per user name and per client address).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 30, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)

# Second factor (always required): the name authenticator apps show for the account.
MFA_ISSUER = env_str("MFA_ISSUER", "Brücke")

# Sessions: idle timeout and an absolute limit after login. The idle period restarts at
# most once a minute (SessionRefreshMiddleware), not by a session write on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "bruecke.core.error_views.csrf_failure"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["bruecke.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` (run by `manage.py serve`) puts the files WhiteNoise serves.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm lockfile by `make setup`; served by the app itself.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    # The KERN design system: its CSS and self-hosted fonts (decision 0035).
    ("vendor/kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production, static files are served straight from their sources (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploaded scans: stored outside the web root and never served directly (no MEDIA_URL
# route); downloads go through access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10, minimum=1) * 1_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o600
# Days before a case document expires on which its reminder task is due.
DOCUMENT_REMINDER_DAYS = env_int("DOCUMENT_REMINDER_DAYS", 42, minimum=0)
# Days before a participant's current residence document expires from which the daily run
# (`run_schedule`) gives the case manager a reminder task: six weeks, like case documents
# and the dashboard's list of expiring documents.
RESIDENCE_REMINDER_DAYS = env_int("RESIDENCE_REMINDER_DAYS", 42, minimum=1)
# The placement start page lists the own organisation's employers (in contact or in active
# cooperation) whose last recorded contact is older than this many weeks.
PLACEMENT_EMPLOYER_STALE_WEEKS = env_int("PLACEMENT_EMPLOYER_STALE_WEEKS", 8, minimum=1)
# Months after a placement's start at which a follow-up check-in is due (Nachbetreuung):
# comma-separated whole months, e.g. "1,3,6"; the one at 6 months asks for the status
# six months after the start.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

_check_in_months = env_list("PLACEMENT_CHECK_IN_MONTHS", ["1", "3", "6"])
if not all(m.isascii() and m.isdigit() and 0 < int(m) <= 36 for m in _check_in_months):
    raise ImproperlyConfigured("PLACEMENT_CHECK_IN_MONTHS: expected whole months from 1 to 36, e.g. 1,3,6.")
PLACEMENT_CHECK_IN_MONTHS: tuple[int, ...] = tuple(sorted({int(m) for m in _check_in_months}))
# Access reports (Art. 15 GDPR) with more rows than this are not made into a PDF in the
# request (about 10 s per 2,000 rows); staff print the page or hand over the JSON copy.
ACCESS_REPORT_PDF_MAX_ROWS = env_int("ACCESS_REPORT_PDF_MAX_ROWS", 3000, minimum=1)

# Links an employer uses to submit an opportunity without an account (decision 0039): days
# a link stays valid, and how many requests per client address and form submissions per
# link the public page takes within LOGIN_FAILURE_WINDOW_MINUTES.
PLACEMENT_LINK_DAYS = env_int("PLACEMENT_LINK_DAYS", 14, minimum=1)
PLACEMENT_LINK_LIMIT_PER_ADDRESS = env_int("PLACEMENT_LINK_LIMIT_PER_ADDRESS", 30, minimum=1)
PLACEMENT_LINK_LIMIT_PER_LINK = env_int("PLACEMENT_LINK_LIMIT_PER_LINK", 5, minimum=1)
# Referrals (decision 0043): days after a referral, an acceptance or a planned end by which
# the referring case worker expects feedback; without it the referral is overdue.
OFFERS_REFERRAL_FEEDBACK_DAYS = env_int("OFFERS_REFERRAL_FEEDBACK_DAYS", 14, minimum=1)
# Compulsory schooling (Schulpflicht incl. Berufsschulpflicht in Mecklenburg-Vorpommern and
# Brandenburg): from this age up to (not including) the second one. The school-to-work
# transition is followed from OFFERS_TRANSITION_AGE_FROM up to OFFERS_TRANSITION_AGE_UNTIL;
# the start page lists school leavers whose leaving date is within this many months.
OFFERS_SCHOOL_AGE_FROM = env_int("OFFERS_SCHOOL_AGE_FROM", 6, minimum=3)
OFFERS_SCHOOL_AGE_UNTIL = env_int("OFFERS_SCHOOL_AGE_UNTIL", 18, minimum=7)
OFFERS_TRANSITION_AGE_FROM = env_int("OFFERS_TRANSITION_AGE_FROM", 15, minimum=10)
OFFERS_TRANSITION_AGE_UNTIL = env_int("OFFERS_TRANSITION_AGE_UNTIL", 26, minimum=16)
OFFERS_SCHOOL_LEAVING_MONTHS = env_int("OFFERS_SCHOOL_LEAVING_MONTHS", 6, minimum=1)
# Every PDF made during a request: HTML larger than this is refused before rendering
# (bounds the rendering time; the access report then offers printing and JSON instead).
PDF_MAX_HTML_CHARS = env_int("PDF_MAX_HTML_CHARS", 1_000_000, minimum=10_000)
# Size does not bound time: a PDF still rendering after this many seconds is stopped (it
# renders in a child process) and the same fallback is offered. Keep it below the WSGI
# worker timeout. Tests may set a float below the minimum.
PDF_RENDER_TIMEOUT_SECONDS: float = env_int("PDF_RENDER_TIMEOUT_SECONDS", 60, minimum=5)
# PDFs too large or too slow for a request are offered as a background job (access report,
# plan), which renders with this longer limit and without the request's HTML budget (the
# text-block limit stays). Must not be shorter than the request's limit. Tests may set a float.
JOB_PDF_TIMEOUT_SECONDS: float = env_int("JOB_PDF_TIMEOUT_SECONDS", 1800, minimum=60)
if JOB_PDF_TIMEOUT_SECONDS < PDF_RENDER_TIMEOUT_SECONDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"JOB_PDF_TIMEOUT_SECONDS={JOB_PDF_TIMEOUT_SECONDS}: must not be shorter than "
        f"PDF_RENDER_TIMEOUT_SECONDS={PDF_RENDER_TIMEOUT_SECONDS}."
    )

# Background jobs (docs/decisions/0029): Django's task API with its database backend, so
# no broker is needed; `manage.py run_worker` runs them. Results are files outside the web
# root, downloaded only through an access-checked view, and deleted after JOB_RESULT_DAYS.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOB_RESULTS_DIR = Path(env_str("JOB_RESULTS_DIR", str(BASE_DIR / "var" / "jobs"))).resolve()
# Uploaded spreadsheets between upload and import, encrypted; deleted after the import.
IMPORT_FILES_DIR = Path(env_str("IMPORT_FILES_DIR", str(BASE_DIR / "var" / "imports"))).resolve()
# Largest spreadsheet accepted for import, in bytes (default 50 MB; docs/decisions/0057).
IMPORT_MAX_FILE_SIZE = env_int("IMPORT_MAX_FILE_SIZE", 50 * 1024 * 1024, minimum=1024)
# Files up to this size have the words of their choice columns listed within the request of
# the value mapping; larger ones by a background job (decision 0072). Default 1 MB.
IMPORT_LISTING_IN_REQUEST_BYTES = env_int("IMPORT_LISTING_IN_REQUEST_BYTES", 1024 * 1024, minimum=0)
# Import runs older than this lose their stored file and row results (the run stays).
IMPORT_RUN_DAYS = env_int("IMPORT_RUN_DAYS", 14, minimum=1)
JOB_RESULT_DAYS = env_int("JOB_RESULT_DAYS", 7, minimum=1)
# How long a merge of duplicate registrations can be undone (decision 0062).
BRUECKE_MERGE_UNDO_DAYS = env_int("BRUECKE_MERGE_UNDO_DAYS", 30, minimum=0)
# Audit events older than this many months are dropped by `manage.py audit_partitions`
# on PostgreSQL, a whole month at a time; 0 keeps them for ever (decision 0066).
BRUECKE_AUDIT_RETENTION_MONTHS = env_int("BRUECKE_AUDIT_RETENTION_MONTHS", 36, minimum=0)
# A running job whose worker has not reported for this long is marked failed ("interrupted").
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", 15, minimum=1)
# How often the worker runs the housekeeping (stale jobs, expired results).
JOB_HOUSEKEEPING_SECONDS = env_int("JOB_HOUSEKEEPING_SECONDS", 60, minimum=1)
# The funder's participant file names people by a pseudonym: HMAC-SHA256 of the participant
# and project with this key (decision 0050). Empty: derived from SECRET_KEY (a deploy check
# warns in production, since rotating SECRET_KEY would then change every pseudonym).
REPORTING_PSEUDONYM_KEY = env_secret("REPORTING_PSEUDONYM_KEY", "")
# The secret from which each network's key of the cross-partner encodings is derived
# (HMAC, docs/decisions/0063). Required in production; changing it means rebuilding every
# encoding (`manage.py dedupe_rebuild_encodings`).
_DEV_LINKAGE_SECRET = "dev-only-linkage-secret-never-use-in-production"  # noqa: S105 (development and tests only)
BRUECKE_LINKAGE_SECRET = env_secret("BRUECKE_LINKAGE_SECRET", None if PRODUCTION else _DEV_LINKAGE_SECRET)
_served_dirs = [Path(STATIC_ROOT), BASE_DIR / "static", BASE_DIR / "node_modules"]
if any(
    JOB_RESULTS_DIR.is_relative_to(d.resolve()) or d.resolve().is_relative_to(JOB_RESULTS_DIR)
    for d in _served_dirs
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"JOB_RESULTS_DIR={JOB_RESULTS_DIR} overlaps the static files: results would be served to anyone."
    )

# Countries: ISO 3166 named by Unicode CLDR (django-countries' German catalogue has errors),
# Kosovo (XK: not in ISO 3166-1, but on Germany's list of safe countries) and the two answers
# refugee documents often need (user-assigned codes).
COUNTRIES_OVERRIDE = {
    **country_overrides(),
    "XX": gettext_lazy("stateless"),
    "XU": gettext_lazy("unclear / not established"),
}
COUNTRIES_FIRST = ["SY", "AF", "UA", "TR", "IQ", "IR", "ER", "SO", "GE", "RU"]
COUNTRIES_FIRST_BREAK = "──────────"

# Map tiles: empty means no tile server; markers and the list work without one.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "bruecke@localhost")
# Public address of this installation, used in links sent by e-mail.
SITE_URL = env_str("SITE_URL", None if PRODUCTION else "http://127.0.0.1:8000")
# The operator's imprint (Impressum) and privacy notice pages, linked in every page's footer.
IMPRINT_URL = env_str("IMPRINT_URL", "")
PRIVACY_NOTICE_URL = env_str("PRIVACY_NOTICE_URL", "")

# HTTPS and cookies: on by default in production, overridable behind a TLS-terminating proxy.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
# Secure cookies get the __Host- prefix: browsers then refuse them over plain HTTP, for
# another path, or set by a subdomain (ASVS 3.4.4). Browsers reject the prefix without Secure.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list is a per-domain decision of the operator.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy: the header it puts the client address in (e.g. X-Forwarded-For).
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "")
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bruecke.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {
            "format": (
                "%(asctime)s %(levelname)s [%(request_id)s] [%(client_request_id)s] %(name)s: %(message)s"
            )
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
