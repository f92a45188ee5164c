"""DebatePrep settings: one module, driven by environment variables."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    yes, no = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in yes:
        return True
    if value in no:
        return False
    # A typo such as DEBUG=ture must not quietly mean "off", nor SECURE_SSL_REDIRECT=yse "no".
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes or no: use one of {', '.join(yes)} "
        f"or {', '.join(no)} (or leave it unset for the default)."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not a whole number (or leave it unset for {default})."
        ) from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        # A key that is in the source code lets anyone forge sessions and password-reset links.
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a long random string (e.g. the output of `python -c "
            '"import secrets; print(secrets.token_urlsafe(50))"`), or set DEBUG=1 on a laptop.'
        )
    SECRET_KEY = "django-insecure-debateprep-local-development-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "debateprep.delegations",
    "debateprep.debates",
    "debateprep.drafting",
    "debateprep.search",
    "django_tasks_db",
    "debateprep.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "debateprep.lib.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "debateprep.lib.middleware.HtmxAwareLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns a refused log-in into the lockout page whatever the view returned.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "debateprep.urls"
WSGI_APPLICATION = "debateprep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

CONN_MAX_AGE = env_int("CONN_MAX_AGE", 0)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=CONN_MAX_AGE
    )
}
# A database that is down or a query that hangs should fail the request, not hold a worker.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # SQLite has no statement timeout; `timeout` is how long to wait for another writer.
        timeout=DATABASE_CONNECT_TIMEOUT,
        # Every atomic block takes the write lock when it starts, not at its first write, so that
        # two saves of one answer, or a save and a status change, run one after the other instead
        # of one failing with "database is locked".
        transaction_mode="IMMEDIATE",
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
        options=f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        # Values travel apart from the SQL, and a query run DATABASE_PREPARE_THRESHOLD times
        # on a connection is prepared: PostgreSQL stops planning an autosave's queries anew
        # on every save. 0 turns preparing off (for PgBouncer before 1.21 in transaction mode).
        server_side_binding=True,
        prepare_threshold=env_int("DATABASE_PREPARE_THRESHOLD", 5) or None,
    )
    # Each process keeps its connections open in a pool (psycopg's, through Django): opening
    # one costs PostgreSQL a new backend, more than most requests cost. A sync worker uses one
    # at a time; a threaded server one a thread, up to DATABASE_POOL_SIZE, waiting at most
    # DATABASE_CONNECT_TIMEOUT for one to come free. The pool and CONN_MAX_AGE are two ways of
    # keeping connections: the pool is used unless CONN_MAX_AGE is set.
    if env_bool("DATABASE_POOL", CONN_MAX_AGE == 0):
        if CONN_MAX_AGE:
            raise ImproperlyConfigured(
                "DATABASE_POOL keeps connections open already: leave CONN_MAX_AGE unset (or 0), "
                "or set DATABASE_POOL=0 to keep them with CONN_MAX_AGE instead."
            )
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 8),
            "timeout": DATABASE_CONNECT_TIMEOUT,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Axes only counts; AccountBackend (Django's ModelBackend) checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "debateprep.lib.accounts.AccountBackend",
]
SESSION_ENGINE = "debateprep.delegations.sessions"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Invitations are e-mailed: printed to the console with DEBUG on, otherwise sent by SMTP to
# EMAIL_HOST (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS as the server
# needs). EMAIL_BACKEND chooses another backend.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DebatePrep <debateprep@localhost>")
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = os.environ.get("EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else _SMTP
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        # Only the SMTP backend takes these; the others refuse options they do not know.
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            # A mail server that does not answer must not hold the lead's request for long.
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        }
        if _email_backend == _SMTP
        else {},
    }
}

# The interface speaks the six languages of the United Nations; a person's choice is kept on
# their profile, and the browser's languages decide until they choose. English is British, as
# at the UN; a browser asking for any English gets it.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en-gb", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["debateprep.formats"]
# Missions draft in New York, where the Council sits; "Saved at HH:MM" reads in that time.
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Off DEBUG, static files are served by WhiteNoise from `collectstatic`'s output, compressed and
# named by their content so that browsers may keep them for ever (`make serve` collects them).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG and not TESTING)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS hardening is off by default: HSTS in particular cannot be taken back from browsers that
# have seen it, so a deployment turns these on once HTTPS works.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Only behind a proxy that sets this header itself: otherwise a client could claim HTTPS.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# By default five wrong passwords for one username, or from one address, pause logging in for
# 15 minutes: the first stops guessing one person's password from many addresses, the second one
# address trying a common password on many people.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not reset by a success: it would wipe every failure from the same address too, so anyone with
# an account could keep guessing a colleague's password between log-ins of their own.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "debateprep.lib.http.client_address"
# Behind this many reverse proxies that each append to X-Forwarded-For, the client's address is
# that many entries from its end; 0 (the default) uses the connection's own address.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Django's default LOGGING prints only with DEBUG on, so a failing request in production (a 500
# from `django.request`) would leave no trace. Everything goes to stderr, for the process manager.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "readable": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "readable"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": "INFO" if DEBUG else "WARNING",
            "propagate": False,
        },
    },
}

# One person's saves within this window are grouped as one entry in an answer's history.
REVISION_COALESCE_SECONDS = env_int("REVISION_COALESCE_SECONDS", 300)
# How often a member's open statement page says they are there and asks who else is.
PRESENCE_POLL_SECONDS = env_int("PRESENCE_POLL_SECONDS", 12)

# Long exports (every compendium; a statement's PDF or reading copy of at least
# EXPORT_BACKGROUND_WORDS words) are built by a task worker (`manage.py export_worker`, which
# `make run` and `make serve` start) from a queue in the database, and kept there for
# EXPORT_RETENTION_HOURS. With no worker heard from for EXPORT_WORKER_SILENCE_SECONDS they are
# built in the request. EXPORT_JOBS_PER_USER long exports may be queued or running per user; a
# job still unfinished after EXPORT_JOB_TIMEOUT_MINUTES is taken for lost.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EXPORT_BACKGROUND_WORDS = env_int("EXPORT_BACKGROUND_WORDS", 1500)
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
EXPORT_WORKER_SILENCE_SECONDS = env_int("EXPORT_WORKER_SILENCE_SECONDS", 30)
EXPORT_JOBS_PER_USER = env_int("EXPORT_JOBS_PER_USER", 2)
EXPORT_JOB_TIMEOUT_MINUTES = env_int("EXPORT_JOB_TIMEOUT_MINUTES", 30)
