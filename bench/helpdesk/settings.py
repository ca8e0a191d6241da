"""Settings of the standalone django-helpdesk project that bench/helpdesk/run.py measures.

Run only by the helpdesk virtual environment's Python (var/bench-helpdesk-venv), never imported
by Anxin. Where a setting affects speed it matches config/settings.py as `make bench` runs it:
DEBUG off, the same PostgreSQL, CONN_MAX_AGE = 0 with psycopg's pool (min 2, max 10), Django's
default password hashers, the cached template loader, sessions in the database, the same
language and time zone, and hashed static files from collectstatic.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VAR_DIR = Path(os.environ.get("HELPDESK_BENCH_VAR_DIR", REPO / "var" / "bench-helpdesk"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/anxin_bench_helpdesk"
DATABASE_URL = os.environ.get("HELPDESK_BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def _database(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"the helpdesk benchmark needs PostgreSQL, not {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # As Anxin: no persistent connections, psycopg's pool reuses them instead.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"pool": {"min_size": 2, "max_size": 10}},
    }


DEBUG = False
SECRET_KEY = "helpdesk-bench-only-secret-key-0123456789-abcdefghijklmnop"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Spelled out: what Django uses when APP_DIRS is on and DEBUG off, as in Anxin.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    },
]

DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Anxin sets no PASSWORD_HASHERS: Django's defaults (PBKDF2 first) here too.
AUTH_PASSWORD_VALIDATORS = []
LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Mail is rendered and "sent" to memory: the cost of building it is measured, no server needed
# (Anxin's bench likewise writes its SMS to the database rather than a gateway).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"

# Teams mode needs pinax-teams, which is optional; everything else keeps helpdesk's defaults.
HELPDESK_TEAMS_MODE_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
