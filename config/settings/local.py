"""Developer and demo settings: DEBUG on, a throwaway secret, SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import SHIELD_ENCRYPTION_KEYS, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="shield-local-development-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if not SHIELD_ENCRYPTION_KEYS:
    # A fixed development key: demo data only, never real people.
    SHIELD_ENCRYPTION_KEYS = ["q1Gm3V2bX6tYk0H8y3K4o1l9c5J7wQ2e8R4t6Y0u1I8="]

# Serve static files straight from the source tree (no collectstatic in development and tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# No collectstatic in development: plain storage, so pages render with DEBUG on or off.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- agency: the demo prints invitation emails where `make demo` runs ---
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
