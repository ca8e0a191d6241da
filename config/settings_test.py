"""Test settings: the base settings with fast hashing and the in-memory SMS outbox.

DATABASE_URL / REDIS_URL still decide PostgreSQL and Redis, as in CI.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# Tests sign documents with a throwaway CA of their own (tests/conftest.py), on any database.
os.environ.setdefault("ANXIN_SIGNING_LOCAL_CA", "1")

from config.settings import *  # noqa: F403
from config.settings import DATABASES, MIDDLEWARE, STATIC_ROOT, STORAGES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A side effect that fails fails the test that caused it (casework.core.outbound).
ANXIN_OUTBOUND_RAISE = True
ANXIN_SMS_BACKEND = "casework.organisation.sms.backends.locmem.SmsBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# pytest-django creates and drops the test database; a pool keeps connections open across that.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
LOGGING = {"version": 1, "disable_existing_loggers": False}
# ServeStatic warns on every request when its root is missing; tests serve from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Channels run ORM calls on worker threads with connections of their own: an in-memory SQLite
# database would be empty there. A file keeps one database for every thread (STACK-NOTES).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file per test process, so that two test runs on one machine never share it (Django
    # deletes it when the run ends).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-anxin-{os.getpid()}.sqlite3")}
# The read replica is a test mirror of the primary (no second server). Its reads stay off
# unless a test turns ANXIN_REPLICA_READS on and asks for both databases (tests/core).
DATABASES["replica"] = {
    **DATABASES["default"],
    "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
    "TEST": {"MIRROR": "default"},
}
DATABASES["replica"]["OPTIONS"].pop("pool", None)
DATABASE_ROUTERS = ["casework.core.replica.ReplicaRouter"]
ANXIN_REPLICA_READS = False
if "casework.core.replica.read_your_writes_middleware" not in MIDDLEWARE:
    MIDDLEWARE = [*MIDDLEWARE, "casework.core.replica.read_your_writes_middleware"]
# Browser tests run a real ASGI server without collectstatic: serve from the finders.
SERVESTATIC_USE_FINDERS = True
# Sessions in the database only, as the query counts of the tests assume (production reads
# them through Redis when REDIS_URL is set: config/settings.py, tests/test_http_edge.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
