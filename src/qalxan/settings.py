"""Qalxan settings, read from the environment (see docs/deployment.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("QALXAN_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use QALXAN_SECRET_KEY, or a key generated once into var/ so sessions survive restarts."""
    key = os.environ.get("QALXAN_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


# "embedded": one machine, plain HTTP on localhost. "production": behind a TLS reverse proxy.
PROFILE = os.environ.get("QALXAN_PROFILE", "embedded")
DEBUG = _env_bool("QALXAN_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("QALXAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("QALXAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "js_lib_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "huey.contrib.djhuey",
    "qalxan.core",
    "qalxan.organizations",
]
# Domain modules, in dependency order: all that are installed by default;
# QALXAN_MODULES=registry,commission deploys a subset.
MODULE_ORDER = [
    "registry",
    "incidents",
    "commission",
    "strategy",
    "compliance",
    "exposure",
    "intel",
    "hygiene",
    "cyberhygiene",
]
ALL_MODULES = [m for m in MODULE_ORDER if (PACKAGE_DIR / m / "apps.py").exists()]
MODULES = [
    m.strip()
    for m in os.environ.get("QALXAN_MODULES", ",".join(ALL_MODULES)).split(",")
    if m.strip() in ALL_MODULES
]
INSTALLED_APPS += [f"qalxan.{module}" for module in MODULES]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qalxan.core.middleware.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qalxan.core.middleware.RequestContextMiddleware",
    "qalxan.core.middleware.TwoFactorEnforcementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qalxan.urls"
WSGI_APPLICATION = "qalxan.wsgi.application"
ASGI_APPLICATION = "qalxan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qalxan.core.context_processors.platform",
            ],
        },
    },
]

# Database: embedded SQLite under var/ unless QALXAN_DATABASE_URL names another one.
DATABASE_URL = os.environ.get("QALXAN_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'qalxan.sqlite3'}"
# Persistent connections (seconds; 0 closes after each request) save a PostgreSQL connect per request.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("QALXAN_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    # A statement run five times on a connection is prepared by the server from then on (psycopg's
    # prepare_threshold; Django leaves it off for transaction-mode poolers, which Qalxan does not
    # support: deployment.md). It pays for the statements of core.sql, which bind their values
    # server-side and so keep one text per statement.
    DATABASES["default"]["OPTIONS"] = {"prepare_threshold": 5, **DATABASES["default"].get("OPTIONS", {})}
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("QALXAN_TEST_DATABASE", "qalxan_test")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user with SQL written once.
    "qalxan.core.sessions.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if _env_bool("QALXAN_FAST_HASHER"):
    # Tests only: argon2 is deliberately slow; the production list above is unchanged.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Lockout after repeated failed logins (per user name and address).
AXES_FAILURE_LIMIT = int(os.environ.get("QALXAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qalxan.core.views.errors.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Qalxan"

# Internationalisation: Azerbaijani first; stored in UTC, shown in Baku time.
LANGUAGE_CODE = "az"
LANGUAGES = [("az", _("Azerbaijani")), ("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Baku"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "qalxan_language"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The embedded profile serves assets straight from the installed packages.
WHITENOISE_USE_FINDERS = PROFILE != "production"
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("QALXAN_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))

# Django's database sessions, read with SQL written once.
SESSION_ENGINE = "qalxan.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PROFILE == "production":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Registry: designation deadlines (days and months are settings, not law written into code).
REGISTRY_DATA_REQUEST_DAYS = int(os.environ.get("QALXAN_REGISTRY_DATA_REQUEST_DAYS", "30"))
REGISTRY_REVIEW_MONTHS = int(os.environ.get("QALXAN_REGISTRY_REVIEW_MONTHS", "24"))
REGISTRY_SPECIAL_REQUIREMENTS_DAYS = int(os.environ.get("QALXAN_REGISTRY_SPECIAL_REQUIREMENTS_DAYS", "90"))
REGISTRY_REMINDER_DAYS = (7, 1)
REGISTRY_UPLOAD_MAX_BYTES = 20 * 1024 * 1024

# API
API_TOKEN_TTL_DAYS = int(os.environ.get("QALXAN_API_TOKEN_TTL_DAYS", "90"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qalxan.core.api.authentication.ExpiringTokenAuthentication",
        "qalxan.core.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qalxan.core.api.permissions.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["qalxan.core.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "qalxan.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qalxan.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["qalxan.core.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qalxan API",
    "DESCRIPTION": "REST API of Qalxan, the platform of the national information-security authority.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's map (every route and field) is for people and machines that have an account.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DesignationStateEnum": "qalxan.registry.choices.DesignationState",
        "CiiCategoryEnum": "qalxan.registry.choices.CiiCategory",
        "SupervisingAgencyEnum": "qalxan.registry.choices.SupervisingAgency",
    },
}

# Background jobs: Huey on SQLite beside the database, or Redis when QALXAN_REDIS_URL is set.
REDIS_URL = os.environ.get("QALXAN_REDIS_URL", "")
HUEY_IMMEDIATE = _env_bool("QALXAN_HUEY_IMMEDIATE")
if REDIS_URL:
    HUEY = {
        "huey_class": "qalxan.core.jobs.QueueHuey",  # Huey's priority queue, jobs of one commit in one write
        "name": os.environ.get("QALXAN_HUEY_NAME", "qalxan"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": int(os.environ.get("QALXAN_WORKERS", "4")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "qalxan",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": int(os.environ.get("QALXAN_WORKERS", "2")), "worker_type": "thread"},
    }

EMAIL_BACKEND = os.environ.get("QALXAN_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("QALXAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("QALXAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("QALXAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("QALXAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("QALXAN_EMAIL_TLS")
EMAIL_USE_SSL = _env_bool("QALXAN_EMAIL_SSL")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("QALXAN_FROM_EMAIL", "qalxan@localhost")
# The address people reach the platform at, for links in e-mails (e.g. https://qalxan.gov.az).
SITE_URL = os.environ.get("QALXAN_SITE_URL", "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QALXAN_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_PAGE_RANGE = 7
