"""Settings shared by every environment; everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "shield.core",
    "shield.geo",
    "shield.audit",
    "shield.accounts",
    "shield.notifications",
    "shield.people",
    "shield.cases",
    "shield.intake",
    "shield.referrals",
    "shield.justice",
    "shield.linkage",
    "shield.returns",
    "shield.statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shield.core.middleware.RequestContextMiddleware",
    "shield.audit.middleware.OutOfReachAuditMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shield.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shield.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # axes must come last: it turns a locked-out request into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "shield.accounts.backends.RolePermissionBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shield.accounts.context_processors.shield_user",
                "shield.notifications.context_processors.notification_bell",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue instead of failing half-way (the audit chain relies on that ordering).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shield.accounts.passwords.GuessabilityValidator"},
    {"NAME": "shield.accounts.passwords.UsernameInPasswordValidator"},
    {"NAME": "shield.accounts.passwords.PasswordReuseValidator"},
]

# Idle timeout: the session expires after this many minutes without a request.
SHIELD_IDLE_TIMEOUT_MINUTES = env.int("SHIELD_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SHIELD_IDLE_TIMEOUT_MINUTES * 60
# The expiry slides with use, refreshed at most this often (shield.accounts.middleware).
SHIELD_SESSION_REFRESH_SECONDS = env.int("SHIELD_SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = env.int("SHIELD_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SHIELD_LOCKOUT_MINUTES", default=15))
# Lock per account, from any address (see shield.accounts.sign_in); the address has its own throttle below.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# The same client address audit events record (honours SHIELD_TRUST_X_FORWARDED_FOR behind nginx);
# without it every client behind the proxy would share 127.0.0.1 and one lockout would lock all.
AXES_CLIENT_IP_CALLABLE = "shield.core.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "shield.accounts.lockout.lockout_response"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Shield"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shield.accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "shield.core.api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "shield.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shield API",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

COUNTRIES_FIRST = ["VN", "CN", "KH", "LA", "TH", "MM", "MY", "KR", "JP", "TW"]

# Keys for encrypting narratives at rest (comma-separated Fernet keys; the first encrypts,
# all decrypt, so a key can be rotated in without losing old records).
SHIELD_ENCRYPTION_KEYS: list[str] = env.list("SHIELD_ENCRYPTION_KEYS", default=[])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry URLs and form data; keep them at WARNING so no personal data lands in logs.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
# Differential privacy: the epsilon each dataset (indicator) may spend per period, all releases and
# exports together (shield.statistics.services.privacy.privacy_spend refuses beyond it).
SHIELD_STATISTICS_EPSILON_BUDGET = env.float("SHIELD_STATISTICS_EPSILON_BUDGET", default=1.0)

# Roles that must use two-factor sign-in in every agency (agencies can add more roles).
SHIELD_TWO_FACTOR_ROLES: list[str] = env.list("SHIELD_TWO_FACTOR_ROLES", default=[])
# Only behind a proxy that sets X-Forwarded-For itself: the client address comes from that header.
SHIELD_TRUST_X_FORWARDED_FOR = env.bool("SHIELD_TRUST_X_FORWARDED_FOR", default=False)


# --- signin: per-account lockout, per-address throttle, password rules ---
# An attempt refused during a lock is not counted, so the lock ends SHIELD_LOCKOUT_MINUTES after
# the failure that set it (by default axes would restart the lock at every refused attempt).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failed sign-ins from one client address, whatever the usernames: each makes the next answer
# slower (SHIELD_ADDRESS_DELAY_MS, doubling, at most SHIELD_ADDRESS_DELAY_MAX_MS); this many within
# the window block the address for a few minutes (shield.accounts.sign_in).
SHIELD_ADDRESS_DELAY_MS = env.int("SHIELD_ADDRESS_DELAY_MS", default=250)
SHIELD_ADDRESS_DELAY_MAX_MS = env.int("SHIELD_ADDRESS_DELAY_MAX_MS", default=2000)
SHIELD_ADDRESS_BLOCK_FAILURES = env.int("SHIELD_ADDRESS_BLOCK_FAILURES", default=20)
SHIELD_ADDRESS_WINDOW_MINUTES = env.int("SHIELD_ADDRESS_WINDOW_MINUTES", default=15)
SHIELD_ADDRESS_BLOCK_MINUTES = env.int("SHIELD_ADDRESS_BLOCK_MINUTES", default=5)
# Passwords: a zxcvbn estimate of at least 10^N guesses (10 is zxcvbn's top score, 4), and none
# of the current or SHIELD_PASSWORD_HISTORY previous passwords again (shield.accounts.passwords).
SHIELD_PASSWORD_MIN_GUESSES_LOG10 = env.int("SHIELD_PASSWORD_MIN_GUESSES_LOG10", default=10)
SHIELD_PASSWORD_HISTORY = env.int("SHIELD_PASSWORD_HISTORY", default=5)
# axes warns when it does not key on the address; the address has its own throttle here instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- API tokens: hashed, expiring, revocable ---
# Hours an API token lasts from its issue; the client then asks for a new one.
SHIELD_API_TOKEN_HOURS = env.int("SHIELD_API_TOKEN_HOURS", default=8)

# --- hygiene: no-store answers, friendly error pages, check --deploy ---
# Right after WhiteNoise: static files keep their caching, every other answer is `no-store`.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "shield.core.middleware.NoStoreMiddleware",
)

# --- API limits and server errors: body size, JSON depth, the PDF's time limit ---
# The largest request body, JSON included (shield.core.api.parsers applies it to what DRF reads
# itself): a 413 past it. 2.5 MB, Django's default, named here: the largest text any field takes
# (a note, 20,000 characters) is far below, so anything near this size is refused anyway.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# JSON nested deeper than this answers 400 (no Shield payload goes past 4 levels).
SHIELD_API_MAX_JSON_DEPTH = 32
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "shield.core.api.parsers.BoundedJSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
REST_FRAMEWORK["DEFAULT_METADATA_CLASS"] = "shield.core.api.metadata.MethodsOnlyMetadata"
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "shield.core.api.schema.document_error_answers",
]
# A case's PDF is rendered in a child process killed after this many seconds (an error page then),
# so one heavy case cannot hold a server worker.
SHIELD_PDF_TIMEOUT_SECONDS = env.float("SHIELD_PDF_TIMEOUT_SECONDS", default=15.0)
# At most this many notes (the newest) are printed in a case's PDF; the rest are read in Shield.
SHIELD_PDF_MAX_NOTES = env.int("SHIELD_PDF_MAX_NOTES", default=200)
# ...and no more notes than fit in this many characters together (the first note always prints).
SHIELD_PDF_MAX_NOTE_CHARACTERS = env.int("SHIELD_PDF_MAX_NOTE_CHARACTERS", default=200_000)
MIDDLEWARE = [*MIDDLEWARE, "shield.core.api.middleware.ApiQueryCheckMiddleware"]
# --- audit: requests out of reach, searches, the chain's anchor ---
# Per user and window: the first SHIELD_AUDIT_REACH_LIMIT requests for records out of their reach
# each get an event; the rest are counted into one summary per window (shield.audit.reach).
SHIELD_AUDIT_REACH_WINDOW_MINUTES = env.int("SHIELD_AUDIT_REACH_WINDOW_MINUTES", default=60)
SHIELD_AUDIT_REACH_LIMIT = env.int("SHIELD_AUDIT_REACH_LIMIT", default=20)
# Key of the hashes a search event keeps of the words searched (shield.audit.search_terms); when
# empty, one derived from SECRET_KEY (rotating SECRET_KEY then makes older searches unfindable).
SHIELD_AUDIT_SEARCH_KEY = env.str("SHIELD_AUDIT_SEARCH_KEY", default="")
# Signed digests of the chain's head, written by `manage.py audit_anchor` to a directory outside the
# database (another disk or machine); the key signs them (derived from SECRET_KEY when empty).
SHIELD_AUDIT_ANCHOR_DIR = env.str("SHIELD_AUDIT_ANCHOR_DIR", default=str(BASE_DIR / "audit-anchors"))
SHIELD_AUDIT_ANCHOR_KEY = env.str("SHIELD_AUDIT_ANCHOR_KEY", default="")
# How many searches a session keeps under their opaque keys (?s=...): lists keep names out of URLs.
SHIELD_SAVED_SEARCHES_KEPT = env.int("SHIELD_SAVED_SEARCHES_KEPT", default=20)
# --- notify: notifications (bell, email opt-in) ---
# The bell's unread count in the top bar of every page (one query); off only to measure its cost.
SHIELD_NOTIFICATION_BELL = env.bool("SHIELD_NOTIFICATION_BELL", default=True)
# The address emails link to (notifications carry a path of this site, the email needs it whole).
SHIELD_SITE_URL = env.str("SHIELD_SITE_URL", default="http://localhost:8000")
# --- agency: invitations by email ---
# Invitations and notifications go through Django's email backend: SMTP here, the console in the
# demo (config.settings.local), locmem in tests. An invitation holds a set-password link, so
# production must not use the console backend (the link would land in the logs).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Shield <no-reply@localhost>")
# An invitation's set-password link works once, for this many hours (Django's token generator).
PASSWORD_RESET_TIMEOUT = env.int("SHIELD_INVITE_HOURS", default=72) * 3600
# The API schema names the notification kinds' enum (other apps have fields called "kind" too).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    "NotificationKindEnum": "shield.notifications.models.Kind",
    # The document-kind choices appear on a document and on its correction: one enum in the schema.
    "DocumentKindEnum": "shield.people.models.DocumentKind",
    # A release's status shares its field name with many others: its own name in the schema.
    "ReleaseStatusEnum": "shield.statistics.models.releases.ReleaseStatus",
}

# --- auditui: audit pages and background work (issue 14) ---
# Rows in one CSV export of the audit log; more are refused with a message to narrow the filters.
SHIELD_AUDIT_EXPORT_MAX_ROWS = env.int("SHIELD_AUDIT_EXPORT_MAX_ROWS", default=50_000)
# Queued work (linkage run, audit verification) still waiting after this says no worker runs.
SHIELD_TASK_PICKUP_SECONDS = env.int("SHIELD_TASK_PICKUP_SECONDS", default=60)

# --- referrals directory (issue 16) ---
# A service "has capacity now" when its count is more than zero and no older than this many days.
SHIELD_DIRECTORY_CAPACITY_FRESH_DAYS = env.int("SHIELD_DIRECTORY_CAPACITY_FRESH_DAYS", default=7)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    "ServiceStatusEnum": "shield.referrals.models.directory.ServiceStatus",
}

# --- justice (issue 17) ---
# Justice's choice sets share field names (kind, status, role, outcome) with other apps': each gets
# its own name in the OpenAPI schema.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    "ProceedingKindEnum": "shield.justice.models.proceedings.ProceedingKind",
    "ProceedingStatusEnum": "shield.justice.models.proceedings.ProceedingStatus",
    "HoldingRoleEnum": "shield.justice.models.proceedings.HoldingRole",
    "StepKindEnum": "shield.justice.models.proceedings.StepKind",
    "PartyRoleEnum": "shield.justice.models.proceedings.PartyRole",
    "FamilyMatterEnum": "shield.justice.models.proceedings.FamilyMatter",
    "PartyOutcomeEnum": "shield.justice.models.proceedings.PartyOutcome",
    "DetentionKindEnum": "shield.justice.models.detention.DetentionKind",
    "DetentionPlaceKindEnum": "shield.justice.models.detention.PlaceKind",
    "InterviewKindEnum": "shield.justice.models.children.InterviewKind",
    "InterviewPlaceTypeEnum": "shield.justice.models.children.PlaceType",
    "InterviewStatusEnum": "shield.justice.models.children.InterviewStatus",
    "DecidingBodyEnum": "shield.justice.models.children.DecidingBody",
    "DiversionStatusEnum": "shield.justice.models.children.DiversionStatus",
}
