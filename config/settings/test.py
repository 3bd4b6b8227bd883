"""Test settings: fast hashing, tasks run immediately, static files served from the source tree."""

from .base import *  # noqa: F403
from .base import env

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
SHIELD_REQUIRE_BROWSER = env.bool("SHIELD_REQUIRE_BROWSER", default=False)
LANGUAGE_CODE = "en"

# Serve static files straight from the source tree (no collectstatic in development and tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
