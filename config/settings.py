"""Harbour's one settings module.

With no environment variables set, Harbour runs embedded: SQLite in WAL mode and Celery's
filesystem broker under ``var/``. Production sets the variables listed in the README.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HARBOUR_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# This key is public (it is in the repository): anyone could forge sessions and password-reset
# links signed with it. It is for `make run` and the tests, which say so with
# HARBOUR_ALLOW_DEV_KEY; anything else that runs with DEBUG off must bring its own key.
DEV_SECRET_KEY = "django-insecure-harbour-local-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
HARBOUR_ALLOW_DEV_KEY = env_bool("HARBOUR_ALLOW_DEV_KEY", False)
if not DEBUG and SECRET_KEY.strip() in {"", DEV_SECRET_KEY} and not HARBOUR_ALLOW_DEV_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is empty or the public development key. Set SECRET_KEY to 50 or more random "
        "characters, or HARBOUR_ALLOW_DEV_KEY=true for a demo with fictional children."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_celery_beat",
    "core",
    "accounts",
    "schools",
    "pupils",
    "concerns",
    "peps",
    "pupil_premium",
    "attendance",
    "exclusions",
    "notifications",
    "imports",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so the policy is on every HTML page, the error pages of the middleware below included.
    "config.middleware.HtmlContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.CurrentSchoolMiddleware",
    "config.logging.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so it sees every authentication attempt.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.harbour",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'harbour.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker share one file: WAL lets readers and a writer overlap, and
    # IMMEDIATE transactions take the write lock up front instead of failing half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, two-factor, lock-out, sessions --------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Every account must use a second factor. Only a demo on a laptop may turn this off, and then
# every page says so.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Harbour"
# How long the secret shown on the authenticator setup page can be confirmed. Each visit shows
# a new one; an old one (seen by whoever else had the password) stops working.
TOTP_SETUP_MINUTES = env_int("TOTP_SETUP_MINUTES", 10, minimum=1)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
# Lock the account being guessed, not the school's shared IP address.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# One answer to "who is this?" for the lock-out log and the audit log (see HARBOUR_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"

# Idle timeout: the session cookie's age is renewed on every request, so it expires after this
# many minutes without one.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security headers (check --deploy clean when HTTPS=true) -----------------------------------
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The addresses (or networks) of the reverse proxies in front of Harbour. A request that arrives
# from one of them is attributed to the address its X-Forwarded-For names; from anywhere else,
# X-Forwarded-For is ignored, since whoever sends a request can write it (core.audit).
HARBOUR_TRUSTED_PROXIES = env_networks("HARBOUR_TRUSTED_PROXIES")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every HTML page (config.middleware): scripts and styles only from
# Harbour's own static files, never inline, so an injected <script> or style="" does nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Time and language -----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"

# --- Static files: GOV.UK Frontend built into assets/dist by `make assets` --------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "assets" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Email: always through the outbox (notifications) ----------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Harbour <harbour@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5, minimum=1)
# Seconds before the n-th retry: base * 2**(n-1).
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60, minimum=0)

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    # Kombu's filesystem transport expects its folders to exist: a message queued by the web
    # server before the worker has ever started must not be lost.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Logging: one JSON object a line in production, readable text on a laptop ------------------
LOG_FORMAT = env_choice("LOG_FORMAT", "text", {"text", "json"})
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {"request": {"()": "config.logging.RequestContextFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every render at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Beat's schedule lives in code and is copied into django-celery-beat's tables on start, where
# an administrator can pause an entry from the Django admin.
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "notifications.tasks.outbox_flush", "schedule": 60.0},
    # Report runs whose task was lost or whose worker stopped mid-render (core/report_runs.py).
    "report-runs-flush": {"task": "core.tasks.report_runs_flush", "schedule": 120.0},
    # Before the school day starts: PEPs due, due today and overdue (peps/reminders.py).
    "pep-reminders": {
        "task": "peps.tasks.pep_reminders_sweep",
        "schedule": crontab(hour=7, minute=0),
    },
    # Views asked for before a PEP meeting and not yet given (peps/contributions/reminders.py).
    "pep-contribution-reminders": {
        "task": "peps.contributions.tasks.contribution_reminders_sweep",
        "schedule": crontab(hour=7, minute=10),
    },
    # Statutory notices not sent by the end of the next school day, reduced timetables due for
    # review (exclusions/sweeps.py).
    "exclusions-sweep": {
        "task": "exclusions.tasks.exclusions_sweep",
        "schedule": crontab(hour=7, minute=15),
    },
    # Eight weeks before 31 March: unspent PP+, once a year (pupil_premium/reminders.py).
    "pp-plus-reminders": {
        "task": "pupil_premium.tasks.pp_reminders_sweep",
        "schedule": crontab(hour=7, minute=5),
    },
    # Attendance below the threshold, unexplained absence, the illness return (attendance/sweep.py).
    "attendance-sweep": {
        "task": "attendance.tasks.attendance_sweep",
        "schedule": crontab(hour=7, minute=15),
    },
    # Child protection files due tomorrow or overdue (concerns/reminders.py).
    "cp-file-reminders": {
        "task": "concerns.tasks.cp_file_reminders_sweep",
        "schedule": crontab(hour=7, minute=5),
    },
}

# Lock-out is per account (AXES_LOCKOUT_PARAMETERS above). A school's staff share one public IP
# address, so adding the address would let one person's typos lock out the whole staffroom.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
