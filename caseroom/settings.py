"""One settings module, configured from the environment with defaults that run on a laptop.

Defaults: SQLite in `var/`, an in-memory channel layer, DEBUG off unless asked for.
`DATABASE_URL` switches to PostgreSQL and `REDIS_URL` to the Redis channel layer.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from caseroom.lib.hosts import allowed_hosts

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envbool(name: str, default: bool = False) -> bool:
    """A yes/no setting; anything else stops the start-up with its name (as healthchecks'
    envbool does): DEBUG=ture silently meaning "off" is how a laptop ends up misconfigured."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: use true or false")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: a whole number is needed") from None


VAR_DIR = Path(os.environ.get("CASEROOM_VAR_DIR", PROJECT_DIR / "var"))
DEBUG = envbool("DEBUG", False)
# A laptop in a training room has no secret store; a stable local key is kept in var/.
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key(), encoding="utf-8")
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()

# The hosts `make run` serves on (CASEROOM_HOST, its HOST): loopback, or on all interfaces
# the laptop's own address and name (lib/hosts.py). "*" would make the Host check and the
# WebSocket origin check meaningless; behind a proxy, name the public host in ALLOWED_HOSTS.
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or allowed_hosts(
    os.environ.get("CASEROOM_HOST")
)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "axes",
    # Two-factor sign-in for the JIT expert network (TOTP devices; jitnetwork/access.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "caseroom.scenarios",
    "caseroom.exercises",
    "caseroom.debrief",
    "caseroom.backups",
    "caseroom.surveys",
    "caseroom.programmes",
    "caseroom.library",
    "caseroom.cooperation",
    "caseroom.jitnetwork",
    "caseroom.legislation",
    "caseroom.workshops",
    "caseroom.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets request.user.is_verified() from the session's OTP device (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "caseroom.lib.middleware.SecurityHeaders",
    "caseroom.lib.middleware.RejectNulCharacters",
    "caseroom.exercises.middleware.DamagedLogAnswer",
    # Turns a log-in locked out after repeated failures into a clear page (429).
    "axes.middleware.AxesMiddleware",
    # Last on purpose: keeps the whole chain synchronous under ASGI (see its docstring).
    "caseroom.lib.middleware.OneThreadMiddlewareChain",
]

ROOT_URLCONF = "caseroom.urls"
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
            ]
        },
    }
]
ASGI_APPLICATION = "caseroom.asgi.application"
WSGI_APPLICATION = "caseroom.wsgi.application"

if os.environ.get("DATABASE_URL"):
    # Under ASGI every request runs in a thread of its own, so persistent connections would
    # pile up (one per thread); a pool bounds them per server process instead.
    database: dict[str, Any] = dict(
        dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)
    )
    if database["ENGINE"] == "django.db.backends.postgresql":
        # A few connections kept open: the pool opens more one at a time while requests
        # wait, which was the slowest part of the first busy seconds of an exercise.
        size = envint("DB_POOL_SIZE", 16)
        pool = {"min_size": min(4, size), "max_size": size, "timeout": 30}
        database["OPTIONS"] = {**database.get("OPTIONS", {}), "pool": pool}
    DATABASES = {"default": database}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "caseroom.sqlite3")),
            # Writers queue instead of failing with "database is locked" when teammates
            # act at the same moment; IMMEDIATE takes the write lock at BEGIN. WAL lets
            # pages read while an action writes and survives a crash mid-write; every
            # commit is still synced before it is acknowledged (synchronous stays FULL).
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
            # Tests use a file too: an in-memory shared-cache database locks whole tables
            # and cannot show how concurrent teammates queue. One file per test process, so
            # that two test runs on one checkout do not write into each other's database.
            "TEST": {"NAME": str(VAR_DIR / f"test-caseroom-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def channel_layers(redis_url: str | None) -> dict[str, dict[str, object]]:
    """The Redis channel layer when a URL is given, else the in-memory one (one process)."""
    if not redis_url:
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # Redis publish/subscribe: one PUBLISH per group message, and each server process
    # receives it once on one subscribed connection and hands it to its own listeners.
    # The list-based layer (channels_redis.core) pops every message for every listener
    # with its own round trip: at 300 listeners that queue made nudges seconds late
    # (benchmarks/load.py). Pub/sub delivers at most once, which suits what is sent:
    # a nudge with the team's event count, after which pages fetch what changed (and
    # poll where sockets fail), so a lost nudge only delays a page, never falsifies it.
    # redis-py 8 times reads out after 5 s by default, which kills idle listeners
    # (channels_redis#422).
    host = {"address": redis_url, "socket_timeout": None}
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [host]},
        }
    }


CHANNEL_LAYERS = channel_layers(os.environ.get("REDIS_URL"))

# With Redis (production: several workers), sessions are read from it and written through
# to the database: a participant's every request then skips a session query, and Redis
# losing its memory loses no session. Without Redis, plain database sessions: a cache in
# each process's memory would keep a logged-out session alive in the other processes.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # Test runs give themselves a prefix and delete exactly their keys.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "caseroom"),
            "OPTIONS": {"pool_class": "caseroom.lib.cache.SharedConnectionPool"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Without Redis one server process serves the room (`make run`): its memory is the cache
# that every request shares, which is what the join-code throttle needs.
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit knows neither Django's own Redis cache (atomic INCR: fine) nor that a
    # process-local cache is shared when one process serves everything (make run).
    "django_ratelimit.W001",
    *(["django_ratelimit.E003"] if not os.environ.get("REDIS_URL") else []),
]
RATELIMIT_CACHE_PREFIX = "caseroom-rl:"

# Log-ins: 5 wrong passwords for one user name from one address lock that pair out for
# 15 minutes (a pair, so that nobody can lock the trainer out from their own desk);
# attempts are kept in the database, shared by every server process.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/facilitate/"

LANGUAGE_CODE = "en"
# English first, then the languages with a complete catalogue (docs/translating.md says how
# to add one; Bosnian, Croatian and Montenegrin follow). Serbian in Latin script, as most
# cross-border courses use it: "sr-latn" also takes Django's own messages in Latin.
LANGUAGES = [
    ("en", "English"),
    ("sq", "Shqip"),
    ("mk", "Македонски"),
    ("sr-latn", "Srpski"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Belgrade")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
# `make run` serves what `collectstatic` made (CASEROOM_STATIC_COLLECTED=true for both): names
# carrying a hash of their content, each with gzip (and Brotli, where installed) copies, which
# WhiteNoise sends compressed and cacheable for a year; a new release changes the names.
# Elsewhere (the test suite, manage.py on a fresh checkout) nothing needs collecting: the
# files are served from the package as they are.
STATIC_COLLECTED = envbool("CASEROOM_STATIC_COLLECTED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
SCENARIO_STORE = VAR_DIR / "scenarios"

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Every page: scripts and styles only from this server (all vendored), no inline script,
# nothing framed, forms post only here. Inline style *attributes* are allowed for the
# width of decision bars; a style attribute cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page here uses, switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# LRS: xAPI statements of an exercise go to a Learning Record Store only when a URL is
# set (the xAPI endpoint, e.g. https://lrs.example.org/xAPI/); empty means not configured.
LRS_URL = os.environ.get("LRS_URL", "")
LRS_USERNAME = os.environ.get("LRS_USERNAME", "")
LRS_PASSWORD = os.environ.get("LRS_PASSWORD", "")
# The address this installation is known by: the home page of participants' pseudonymous
# xAPI accounts and the base of activity and extension IRIs, so it must stay stable once
# statements have been sent (changing it makes the same people and cases look new).
CASEROOM_BASE_URL = os.environ.get("CASEROOM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
XAPI_HOMEPAGE = os.environ.get("XAPI_HOMEPAGE", CASEROOM_BASE_URL).rstrip("/")
