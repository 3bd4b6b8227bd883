"""Test settings: fast hashing, tasks run immediately, static files served from the source tree."""

from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "shield-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SHIELD_ENCRYPTION_KEYS = ["q1Gm3V2bX6tYk0H8y3K4o1l9c5J7wQ2e8R4t6Y0u1I8="]
LANGUAGE_CODE = "en"

# Serve static files straight from the source tree (no collectstatic in development and tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the default shared-cache in-memory database: shared cache locks whole tables and
    # ignores busy_timeout, so concurrent-writer tests would test SQLite's test mode, not WAL.
    import os
    import tempfile

    _name = f"shield-test-{os.getpid()}.sqlite3"
    # A throwaway database: skip fsync so commits (transactional and browser tests) stay cheap.
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA synchronous=OFF;"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / _name)}  # noqa: F405
