"""Anxin settings: one module, driven by environment variables (see README, "Configuration").

With no environment variables set, Anxin runs on its embedded default: SQLite under var/,
the in-memory channel layer, immediate tasks and the console SMS backend.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.binding import server_side_binding_options
from config.replica_database import replica_database
from config.templates import templates_setting

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ANXIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _embedded_secret_key() -> str:
    """A per-checkout key kept under var/, so sessions survive a restart of `make run`."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # The embedded default (SQLite under var/) needs no configuration: it keeps a generated key
    # there. With a real database (production, CI) the key must be given explicitly, so that
    # every worker and machine signs sessions alike.
    if os.environ.get("DATABASE_URL"):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DATABASE_URL is set.")
    SECRET_KEY = _embedded_secret_key()
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Django's own check (security.W009) only warns, and only under `check --deploy`.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be at least 50 random characters, for example: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # daphne first, so that `runserver` speaks ASGI (WebSockets) in development.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "servestatic.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "simple_history",
    "django_tasks_db",
    "casework",
    "platforms",
    "platforms.webhooks",
    "platforms.api",
    # django-ninja: the API's OpenAPI document and its docs page's Swagger UI, served from our
    # own static files (nothing loaded from outside: CSP).
    "ninja",
    "arrears",
    "mediation",
    "mediation.contracts",
    "casework.governance",
    "platforms.risk",
]

# Every middleware here is synchronous: config/handler.py runs the chain in one thread hop
# per request (an async-only one would bring the hops back). Static files are answered before
# this chain (config/static.py: ServeStatic, compressed, immutable for hashed names).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # HTML in brotli or gzip, with random padding against BREACH (config/compression.py);
    # above every middleware that writes the body.
    "config.compression.CompressionMiddleware",
    # Under /api/ every error is JSON, whoever answered it (Django's 404, a 500, a 400).
    "platforms.api.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casework.organisation.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "casework.core.middleware.RefuseNulMiddleware",
    "mediation.documents.public_url.RequestBaseURLMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = templates_setting(BASE_DIR)

# Database: DATABASE_URL (PostgreSQL in production and CI), else SQLite under var/.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "anxin.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
# Under ASGI, persistent connections leak across threads: keep CONN_MAX_AGE = 0 and let
# psycopg's pool reuse connections instead (STACK-NOTES.md).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request in seconds (a plain 503 page,
    # config/errors.py), not after 30 s: the connect timeout, and the pool's wait for a connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("ANXIN_DB_CONNECT_TIMEOUT", "3"))
    )
    if env_bool("ANXIN_DB_POOL", True):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": int(os.environ.get("ANXIN_DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("ANXIN_DB_POOL_MAX", "10")),
            "timeout": float(os.environ.get("ANXIN_DB_POOL_TIMEOUT", "3")),
        }
    # Server-side binding: psycopg prepares what a connection has run 5 times (config/binding.py).
    if env_bool("ANXIN_DB_SERVER_SIDE_BINDING", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding_options())
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Read replica (casework/core/replica.py, README "Reads on a replica"): with
# DATABASE_REPLICA_URL, the dashboards, statistics, exports, audit browser and API case list read
# from a PostgreSQL streaming replica, unless the user's own write is not on it yet, or it lags
# more than ANXIN_REPLICA_MAX_LAG_SECONDS, or it does not answer: then the primary answers.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
ANXIN_REPLICA_READS = bool(DATABASE_REPLICA_URL)
ANXIN_REPLICA_MAX_LAG_SECONDS = int(os.environ.get("ANXIN_REPLICA_MAX_LAG_SECONDS", "10"))
ANXIN_REPLICA_CHECK_SECONDS = 1.0  # how long a process trusts what the replica last said
ANXIN_REPLICA_RETRY_SECONDS = 10.0  # after it failed or lagged
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL.")
    DATABASES["replica"] = replica_database(DATABASE_REPLICA_URL, DATABASES["default"])
    DATABASE_ROUTERS = ["casework.core.replica.ReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "casework.core.replica.read_your_writes_middleware"]

# Channel layer: Redis when REDIS_URL is set, else in-memory (one process only).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py's default pool raises MaxConnectionsError above ~100 sockets, and
                # group_send to a full channel is silently dropped: raise both (STACK-NOTES.md).
                # redis-py 8 reads with a 5 s socket timeout by default, and channels-redis
                # blocks 5 s in BZPOPMIN: an idle or busy worker's receive then timed out, and its
                # sockets went quiet for a minute (LAYER_RETRY_SECONDS). Wait longer than that.
                "hosts": [{"address": REDIS_URL, "max_connections": 1000, "socket_timeout": 15}],
                "capacity": 1500,
                "expiry": 60,
            },
        }
    }
    # channels_redis.pubsub.RedisPubSubChannelLayer was tried for the 500-client benchmark and
    # was slower here (p95 166 ms against 129 ms): the limit on 2 cores is CPU, not Redis.
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Cache: Redis when REDIS_URL is set, so that every process shares the sign-in limits per
# client; else local memory (one process only).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # one connection pool per process, not one per request's thread (config/cache.py)
            "OPTIONS": {"pool_class": "config.cache.SharedConnectionPool"},
        }
    }
    # Sessions read from Redis, written through to the database (which stays the truth): no
    # session query per request. ANXIN_SESSION_CACHE=0 keeps them in the database only.
    if env_bool("ANXIN_SESSION_CACHE", True):
        SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work through Django's own tasks API; django-tasks-db's worker in production.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "ANXIN_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

AUTH_USER_MODEL = "casework.User"
AUTHENTICATION_BACKENDS = ["casework.organisation.backends.PrincipalBackend"]
LOGIN_URL = "casework:staff_sign_in"
LOGIN_REDIRECT_URL = "casework:home"
LOGOUT_REDIRECT_URL = "casework:landing"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Chinese first, English too.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("ANXIN_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("ANXIN_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"},
}

# Sign-in policy (see casework/signin.py).
ANXIN_STAFF_MAX_FAILURES = int(os.environ.get("ANXIN_STAFF_MAX_FAILURES", "5"))
ANXIN_STAFF_LOCKOUT_MINUTES = int(os.environ.get("ANXIN_STAFF_LOCKOUT_MINUTES", "15"))
ANXIN_OTP_LENGTH = 6
ANXIN_OTP_VALID_MINUTES = int(os.environ.get("ANXIN_OTP_VALID_MINUTES", "5"))
ANXIN_OTP_MAX_FAILURES = int(os.environ.get("ANXIN_OTP_MAX_FAILURES", "5"))
ANXIN_OTP_LOCKOUT_MINUTES = int(os.environ.get("ANXIN_OTP_LOCKOUT_MINUTES", "30"))
ANXIN_OTP_RESEND_SECONDS = int(os.environ.get("ANXIN_OTP_RESEND_SECONDS", "60"))
ANXIN_OTP_MAX_PER_HOUR = int(os.environ.get("ANXIN_OTP_MAX_PER_HOUR", "5"))
# Per client address (cache-backed), in windows of ANXIN_IP_WINDOW_SECONDS: wrong staff
# passwords, codes texted and wrong codes. Beyond them the page answers 429.
ANXIN_IP_WINDOW_SECONDS = int(os.environ.get("ANXIN_IP_WINDOW_SECONDS", "600"))
ANXIN_IP_MAX_STAFF_FAILURES = int(os.environ.get("ANXIN_IP_MAX_STAFF_FAILURES", "20"))
ANXIN_IP_MAX_CODES_SENT = int(os.environ.get("ANXIN_IP_MAX_CODES_SENT", "10"))
ANXIN_IP_MAX_CODE_FAILURES = int(os.environ.get("ANXIN_IP_MAX_CODE_FAILURES", "20"))
# A side effect that fails after commit (SMS gateway, Redis) is logged; tests raise instead.
ANXIN_OUTBOUND_RAISE = False
ANXIN_SMS_BACKEND = os.environ.get(
    "ANXIN_SMS_BACKEND", "casework.organisation.sms.backends.console.SmsBackend"
)

SIMPLE_HISTORY_REVERT_DISABLED = True

# Security. Behind a TLS-terminating reverse proxy (README, "Production").
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("ANXIN_SESSION_AGE_SECONDS", str(12 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from our own static files (no inline script, no on*= attributes). Styles allow
# inline: a few pages carry a <style> block, and a style cannot run code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],  # 'self' includes ws(s):// to the same host (CSP level 3)
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Powerful browser features no page of Anxin uses (file inputs still open the camera app).
ANXIN_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "hid=(), midi=(), display-capture=(), browsing-topics=()"
)
ANXIN_BEHIND_TLS_PROXY = env_bool("ANXIN_BEHIND_TLS_PROXY", False)
if ANXIN_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ANXIN_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("ANXIN_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("ANXIN_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ANXIN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ANXIN_HSTS_PRELOAD", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANXIN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step at INFO
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Cases.
ANXIN_REFERENCE_PREFIX = os.environ.get("ANXIN_REFERENCE_PREFIX", "BJ")
ANXIN_EVIDENCE_MAX_BYTES = int(os.environ.get("ANXIN_EVIDENCE_MAX_MB", "10")) * 1024 * 1024
ANXIN_EVIDENCE_MAX_FILES = int(os.environ.get("ANXIN_EVIDENCE_MAX_FILES", "10"))
ANXIN_QUEUE_PAGE_SIZE = 25
# Uploads above this go to a temporary file rather than memory; the request as a whole may
# not exceed the evidence limit times the file count (plus the form).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ANXIN_MAX_REQUEST_BYTES = ANXIN_EVIDENCE_MAX_BYTES * ANXIN_EVIDENCE_MAX_FILES + 1024 * 1024
# Every other request body (forms without files): refused with 413 before it is read
# (config/edge.py); views that take files say so with casework.core.uploads.accepts_uploads.
ANXIN_MAX_FORM_BYTES = int(os.environ.get("ANXIN_MAX_FORM_KB", "1024")) * 1024
# Decoded size of an uploaded picture: larger is refused (a small PNG can decode to gigabytes).
ANXIN_IMAGE_MAX_PIXELS = int(os.environ.get("ANXIN_IMAGE_MAX_MEGAPIXELS", "40")) * 1_000_000
ANXIN_COLLECTIVE_THRESHOLD = int(os.environ.get("ANXIN_COLLECTIVE_THRESHOLD", "10"))
ANXIN_AUDIT_MAINTENANCE_ROLE = os.environ.get("ANXIN_AUDIT_MAINTENANCE_ROLE", "anxin_maintenance")
# Printed in QR codes on documents: where the public verification page lives, e.g.
# https://anxin.example.gov.cn. Required in production (check --deploy); in development the
# address of the request that asked for the document (mediation/documents/public_url.py).
ANXIN_PUBLIC_URL = os.environ.get("ANXIN_PUBLIC_URL", "").strip().rstrip("/")
# The address text messages link to: an SMS has no request to take the host from, so in
# development it is the address `make run` serves.
ANXIN_SITE_URL = ANXIN_PUBLIC_URL or "http://127.0.0.1:8000"
# Document numbers of a mediation organisation without a numbering of its own (admin:
# "document numbering"): 人调字〔2026〕第 1 号.
ANXIN_DOCUMENT_NUMBER_PREFIX = os.environ.get("ANXIN_DOCUMENT_NUMBER_PREFIX", "人调字")
ANXIN_VERIFY_UPLOAD_MAX_BYTES = int(os.environ.get("ANXIN_VERIFY_UPLOAD_MAX_MB", "20")) * 1024**2
ANXIN_VERIFY_MAX_REQUEST_BYTES = ANXIN_VERIFY_UPLOAD_MAX_BYTES + 1024 * 1024
# Documents are signed (PAdES) with the bureau's key and the certificate issued for it, plus
# the chain up to its root (comma-separated PEM files). The embedded default signs with a
# local test CA made under var/signing/ on first start; with a real database the key must be
# configured, or the local CA asked for explicitly (ANXIN_SIGNING_LOCAL_CA=1: development, CI,
# benchmarks), and `check --deploy` refuses the local CA (mediation.E002).
ANXIN_SIGNING_KEY = os.environ.get("ANXIN_SIGNING_KEY", "")
ANXIN_SIGNING_CERT = os.environ.get("ANXIN_SIGNING_CERT", "")
ANXIN_SIGNING_CHAIN = env_list("ANXIN_SIGNING_CHAIN", "")
ANXIN_SIGNING_KEY_PASSPHRASE = os.environ.get("ANXIN_SIGNING_KEY_PASSPHRASE", "")
ANXIN_SIGNING_LOCAL_CA = env_bool("ANXIN_SIGNING_LOCAL_CA", not DATABASE_URL)
if not (ANXIN_SIGNING_KEY and ANXIN_SIGNING_CERT):
    if not ANXIN_SIGNING_LOCAL_CA:
        raise ImproperlyConfigured(
            "Set ANXIN_SIGNING_KEY and ANXIN_SIGNING_CERT (and ANXIN_SIGNING_CHAIN) when "
            "DATABASE_URL is set: documents are signed with the bureau's key. For development "
            "only, ANXIN_SIGNING_LOCAL_CA=1 signs with a local test CA under var/signing/."
        )
    ANXIN_SIGNING_KEY = str(VAR_DIR / "signing" / "bureau-key.pem")
    ANXIN_SIGNING_CERT = str(VAR_DIR / "signing" / "bureau-cert.pem")
    ANXIN_SIGNING_CHAIN = [str(VAR_DIR / "signing" / "ca-cert.pem")]
else:
    ANXIN_SIGNING_LOCAL_CA = False  # a configured key is never replaced by a generated one
# Webhooks (platforms/webhooks): private, loopback and plain-HTTP receivers are refused unless
# this is on (tests and local development only; never in production).
ANXIN_WEBHOOKS_ALLOW_PRIVATE = env_bool("ANXIN_WEBHOOKS_ALLOW_PRIVATE", False)

# Platform API (/api/v1/): tokens' lifetime in days (default and longest), requests per token
# and minute (reads and writes), page sizes of the case list.
ANXIN_API_TOKEN_DEFAULT_DAYS = 90
ANXIN_API_TOKEN_MAX_DAYS = 365
ANXIN_API_READS_PER_MINUTE = int(os.environ.get("ANXIN_API_READS_PER_MINUTE", "120"))
ANXIN_API_WRITES_PER_MINUTE = int(os.environ.get("ANXIN_API_WRITES_PER_MINUTE", "30"))
ANXIN_API_PAGE_SIZE = 50
ANXIN_API_MAX_PAGE_SIZE = 100
# The user the deadline sweep acts as (created by migration 0006 if missing).
ANXIN_SYSTEM_USERNAME = "anxin-system"

# The statistics page's covering index (casework.Case, `case_juris_filed_figures`) INCLUDEs
# columns on PostgreSQL; SQLite, the embedded default, builds it without them, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
