"""Parcours settings, read from the environment (see .env.example and the README).

With no variable set, a newcomer gets SQLite, Celery tasks run in-process, console email and
DEBUG on. Production differs only by environment variables.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is read when present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production"
    )
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters "
            "when DJANGO_DEBUG is false."
        )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the site's host names in production."
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used in emails, QR codes and credentials.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Parcours"

INSTALLED_APPS = [
    # Project apps, lowest first: lms ← certification ← courses ← vae ← cms_pages.
    "lms.core",
    "lms.accounts",
    "lms.notifications",
    "lms.audit",
    "lms.dataexchange",
    "lms.reports",
    "lms.privacy",
    "certification",
    "certification.verification",
    "courses",
    "courses.grading",
    "vae",
    "cms_pages",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.accounts.apps.ParcoursUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Tools
    "django_filters",
    "csp",
    "import_export",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.core.middleware.RejectNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.core.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.accounts.middleware.AdminInPreferredLanguageMiddleware",
    "lms.accounts.middleware.RequireTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: readers never wait for the writer. synchronous=NORMAL: a commit does not
    # wait for the disk (a power cut may lose the last commits, never corrupt the file). For the
    # development server, the demo and the benchmark; production runs on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler spends seconds compiling the reports' large queries (2.4 s of
    # the coordinator report's 5 s at 50,000 trainees) and pays off on none of our queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits and throttling need a shared cache in production) -------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://parcours")}

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "lms.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Parcours] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None

# --- Sign-in throttling and two-factor authentication (README, "Account security") ----------
# Counters live in the default cache, which must be shared by every process in production
# (CACHE_URL=rediscache://…): with a per-process cache each worker counts on its own.
# After LOGIN_LOCKOUT_ATTEMPTS failed attempts on one account (password or two-factor code), the
# account is locked for LOGIN_LOCKOUT_MINUTES, even with the right password; one client address
# may fail 20 times a minute over all accounts.
LOGIN_LOCKOUT_ATTEMPTS = env.int("LOGIN_LOCKOUT_ATTEMPTS", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{LOGIN_LOCKOUT_ATTEMPTS}/{LOGIN_LOCKOUT_MINUTES}m/key",
}
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    # The client address is the last one the trusted proxy appends to X-Forwarded-For.
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
# Two-factor authentication: an authenticator app (TOTP) plus one-time recovery codes. Anyone
# may turn it on; coordinators and assessors must (lms.accounts.middleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Parcours"
MFA_ADAPTER = "lms.accounts.adapter.MFAAdapter"
# The Wagtail admin's own sign-in form would skip the two-factor step: send it to ours.
WAGTAILADMIN_LOGIN_URL = "account_login"

# --- Internationalisation: French by default, with English and Dutch -------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "parcours_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files that must never be served from a public URL (evidence, certificates, exports).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development static files come from the apps (no collectstatic needed).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_PERMISSIONS = 0o640
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Editors' documents: office formats only (no HTML, SVG or scripts), always downloaded as an
# attachment (with nosniff from SecurityMiddleware), never opened inline in the site's origin.
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "txt", "csv"]
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []

# --- Email --------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Parcours <no-reply@parcours.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in-process, so a newcomer needs nothing but Python.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died before acknowledging it is handed to another worker after this many
# seconds (Redis); keep it above the longest task's time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_TIMEZONE = TIME_ZONE
# Publishing must never hang a user's request when the broker is down: fail fast, and the
# outbox sweep delivers what could not be queued.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Emails still pending this long after their action are sent by the periodic outbox sweep.
NOTIFICATIONS_SWEEP_GRACE_SECONDS = env.int("NOTIFICATIONS_SWEEP_GRACE_SECONDS", default=60)
# How many days before its end a holder is told their certificate expires.
CERTIFICATE_EXPIRY_WARNING_DAYS = env.int("CERTIFICATE_EXPIRY_WARNING_DAYS", default=60)
# Reminders go out this many hours before each meeting.
SESSION_REMINDER_HOURS = env.int("SESSION_REMINDER_HOURS", default=48)
# A worker records a heartbeat this often; /health/ reports degraded after two periods without.
WORKER_HEARTBEAT_SECONDS = 300
# Every periodic job, in one place.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "record-worker-heartbeat": {
        "task": "lms.core.tasks.record_heartbeat_task",
        "schedule": float(WORKER_HEARTBEAT_SECONDS),
    },
    "sweep-outbox": {"task": "lms.notifications.tasks.sweep_outbox_task", "schedule": 60.0},
    "expire-offers": {"task": "courses.tasks.expire_offers_task", "schedule": 900.0},
    # Certificates issued while the broker was down get their PDF and email here.
    "sweep-certificates": {
        "task": "certification.tasks.sweep_certificates_without_pdf_task",
        "schedule": 600.0,
    },
    "expire-certificates": {
        "task": "certification.tasks.expire_certificates_task",
        "schedule": crontab(hour=3, minute=0),
    },
    "warn-expiring-certificates": {
        "task": "certification.tasks.warn_expiring_certificates_task",
        "schedule": crontab(hour=3, minute=15),
    },
    "session-reminders": {
        "task": "courses.tasks.send_session_reminders_task",
        "schedule": crontab(minute=5),
    },
    "push-completed-sessions-attendance": {
        "task": "courses.grading.tasks.push_completed_sessions_attendance_task",
        "schedule": crontab(minute=20, hour="*/6"),
    },
    "vae-lapse-warnings": {
        "task": "vae.tasks.warn_and_lapse_candidacies_task",
        "schedule": crontab(hour=4, minute=0),
    },
    "vae-retention": {
        "task": "vae.tasks.apply_vae_retention_task",
        "schedule": crontab(hour=4, minute=30),
    },
    "purge-import-files": {
        "task": "lms.dataexchange.tasks.purge_import_files_task",
        "schedule": crontab(hour=4, minute=15),
    },
    "privacy-retention": {
        "task": "lms.privacy.tasks.apply_privacy_retention_task",
        "schedule": crontab(hour=4, minute=45),
    },
}

# --- Privacy (lms.privacy): retention periods, in days ---------------------------------------
PRIVACY_EXPORT_DAYS = env.int("PRIVACY_EXPORT_DAYS", default=7)
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=365)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
VERIFICATION_LOG_RETENTION_DAYS = env.int("VERIFICATION_LOG_RETENTION_DAYS", default=730)
VAE_DRAFT_RETENTION_DAYS = env.int("VAE_DRAFT_RETENTION_DAYS", default=365)

# --- Signed credentials (certification.verification) ---------------------------------------
# The issuer's private Ed25519 key (PEM or JWK): a file path, or the text itself. In DEBUG a
# development key is generated on first use; production must set one (check verification.W001).
CREDENTIAL_SIGNING_KEY_FILE = env.str("CREDENTIAL_SIGNING_KEY_FILE", default="")
CREDENTIAL_SIGNING_KEY = env.str("CREDENTIAL_SIGNING_KEY", default="")

# --- Import and export (lms.dataexchange) --------------------------------------------------
# Files with more rows than this are checked and imported by a Celery task with a progress bar.
DATAEXCHANGE_BACKGROUND_ROWS = 1000
DATAEXCHANGE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Uploaded files hold personal data: deleted this many days after their import ended.
DATAEXCHANGE_KEEP_FILES_DAYS = 30

# --- VAE: encryption at rest of lived-experience narratives and jury justifications ----------
# Comma-separated Fernet keys; the first encrypts, all decrypt (rotation: put the new key first).
VAE_ENCRYPTION_KEYS = env.list("VAE_ENCRYPTION_KEYS", default=[])

# --- Reports: research export --------------------------------------------------------------------
# Smallest group of people a combination of region, course and month may describe (k-anonymity).
REPORTS_RESEARCH_K = env.int("REPORTS_RESEARCH_K", default=5)

# --- Security -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    # Only when a trusted reverse proxy sets this header (see README, production).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Content Security Policy: only our own scripts, styles, fonts and images; no inline script.
# The Wagtail admin (staff only, behind login) is excluded because its editor needs inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Under /admin/ (lms.core.csp): Wagtail's admin still needs inline scripts and styles; uploads
# are previewed from blob: URLs and the page preview is an iframe of our own origin.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The admin asks no third party: no Gravatar (it would send a hash of each staff email address
# from every browser; Wagtail shows its own avatar instead) and no browser call to
# releases.wagtail.org (the admin policy would block it anyway; upgrades follow pyproject.toml).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Logging: no personal data in logs ------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Request paths may carry secrets (feed tokens, signed links, verification codes).
    "filters": {"redact_tokens": {"()": "lms.core.log_filters.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
        "django.db.backends": {"level": "WARNING"},
        "factory": {"level": "WARNING"},
        "faker": {"level": "WARNING"},
    },
}

# How this process runs, logged once at start-up (lms.core.apps) so nobody is surprised.
RUNTIME_SUMMARY = (
    f"Parcours runs with DEBUG {'on' if DEBUG else 'off'}, "
    f"database {DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
    + (
        "Celery tasks run in-process (set CELERY_BROKER_URL to use a worker), "
        if CELERY_TASK_ALWAYS_EAGER
        else "Celery tasks sent to the broker, "
    )
    + f"email backend {EMAIL_CONFIG['EMAIL_BACKEND'].rsplit('.', 2)[-2]}."
)
