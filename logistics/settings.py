"""Settings for 校园后勤: one module, every value from the environment.

The defaults serve the embedded demo (SQLite under var/, Celery eager, console e-mail); production
sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=off. Nothing in code changes
between the two.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import csp.constants as csp
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-dev-key-only-for-the-local-demo-0123456789-abcdefghijklmnop"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "logistics.admin_site.AdminConfig",  # Django's admin with the view-on-site shortcut scoped to the school
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "logistics.exports.apps.ExportsConfig",
    "logistics.reports.apps.ReportsConfig",  # before "logistics": its catalogue wins, as it did in LOCALE_PATHS
    "logistics",
    "assets",
    "repairs",
    "canteen",
    "safety",
    "procurement",
    "logistics.chronicle.apps.ChronicleConfig",  # 工作纪事 (logistics/chronicle)
    "axes",  # failed-login throttling (logistics.login_throttle)
    "csp",  # the Content-Security-Policy header and its per-request script nonce
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "logistics.scoping.CurrentSchoolMiddleware",
    "logistics.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked login's response into the lockout page
]

# Content-Security-Policy: scripts only from this site or inline with the request's nonce
# (`<script nonce="{{ request.csp_nonce }}">`), no inline handlers, nothing from another origin.
# Inline style attributes stay allowed: Bootstrap's progress bars and the label sheet use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:", "blob:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}

ROOT_URLCONF = "logistics.urls"
WSGI_APPLICATION = "logistics.wsgi.application"

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
                "logistics.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # WAL lets the web process read while a request writes; the timeout rides out short locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if env.str("DATABASE_TEST_NAME", default=""):  # parallel test runs on one server each take their own
    DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "logistics.User"
AUTHENTICATION_BACKENDS = ["logistics.login_throttle.ThrottleBackend", "logistics.auth.SchoolRoleBackend"]  # the gate first
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# templates/ (project level) keeps a catalogue of its own; each app (the report engine too) has its own.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from npm (package-lock.json) and are served from node_modules by
# staticfiles/whitenoise: nothing is loaded from a CDN, so the app works on an intranet.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/jsqr", NODE_MODULES / "jsqr" / "dist"),  # the asset label scanner (assets/static/assets/scan.js)
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 40 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Redis: absent, tasks run eagerly in-process and the cache is local memory (the embedded demo);
# present, Redis is the Celery broker, result backend and the cache.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # An unreachable Redis must cost a request at most a second, not a hang: short socket timeouts.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 10 * 60
# A queued job waits this long for a worker before its page says the background service is down.
JOB_WORKER_GRACE_SECONDS = env.int("JOB_WORKER_GRACE_SECONDS", default=15)
# A list filter's choices (categories, buildings, repairers) are kept this long in the cache, and
# forgotten at once when one of them changes (logistics.options); 0 reads them on every request.
LIST_OPTIONS_CACHE_SECONDS = env.int("LIST_OPTIONS_CACHE_SECONDS", default=600)
# The term report's Word file: page numbers "outside" (odd right, even left, GB/T 9704) or "centre";
# one chart per part, or every chart of a section.
REPORT_PAGE_NUMBERS = env.str("REPORT_PAGE_NUMBERS", default="outside")
REPORT_ALL_CHARTS = env.bool("REPORT_ALL_CHARTS", default=False)
# Exports up to this many rows download at once; larger ones run as a background job.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=5000)
# The Celery queue export jobs go to (empty: the default queue).
EXPORT_QUEUE = env.str("EXPORT_QUEUE", default="")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request must not hang when Redis is down: every enqueue fails within about a second,
# `logistics.queue.enqueue` logs and swallows it, and what the task would have done waits in the
# database (the notification outbox, a queued job) for the beat or a worker once Redis is back.
# - Nothing reads a task's result (jobs record their progress in their own rows), so results are
#   ignored: otherwise `.delay()` subscribes to the result channel and the Redis result backend
#   retries that 20 times, which made submitting a repair ticket take 19 s with Redis down.
#   A task whose caller does read its result says `ignore_result=False` (logistics.tasks.school_count).
CELERY_TASK_IGNORE_RESULT = True
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}}
# - Publishing: one quick retry, then the error reaches `enqueue`. socket_timeout stays above the
#   worker's 1 s BRPOP poll.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# The periodic jobs of every app, in one place: each app adds its entries here.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "deliver-pending-notifications": {"task": "logistics.tasks.deliver_pending_notifications", "schedule": 300.0},
    # repairs: accept tickets left done and silent (hourly); the overdue digest each school morning.
    "repairs-auto-accept": {"task": "repairs.tasks.auto_accept_done_tickets", "schedule": 3600.0},
    "repairs-overdue-digest": {"task": "repairs.tasks.send_overdue_digest", "schedule": crontab(hour=7, minute=30)},
    # repairs: photos held for report forms never sent (the form failed and the person left), nightly.
    "repairs-purge-held-photos": {"task": "repairs.tasks.purge_held_photos", "schedule": crontab(hour=3, minute=15)},
    # canteen: samples missing an hour after a meal, checks not done, certificates expiring, samples to destroy (once each).
    "canteen-reminders": {"task": "canteen.tasks.send_reminders", "schedule": 900.0},
    # procurement: approvers of steps waiting over two school days, each morning.
    "procurement-approval-reminders": {"task": "procurement.tasks.send_approval_reminders", "schedule": crontab(hour=7, minute=50)},
    # assets: last month's depreciation, booked on the 1st.
    "assets-depreciation": {"task": "assets.tasks.depreciate_last_month", "schedule": crontab(day_of_month=1, hour=2, minute=30)},
    # safety: a school whose month (quarter) ends within 10 days with no drill held or planned is reminded, each morning.
    "safety-drill-reminders": {"task": "safety.tasks.send_drill_reminders", "schedule": crontab(hour=7, minute=40)},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="校园后勤 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sessions from the cache, kept in the database too (logistics/sessions.py): no query per page for them.
SESSION_ENGINE = "logistics.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# The demo accounts' password, printed by `make run` and written in the README.
DEMO_PASSWORD = "demo2026"


# Security limits (issue 10). A repair photo's pixel count is checked from its header before
# anything is decoded: a 20 KB PNG can hold 169 million pixels (2 GB once decoded).
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)

# Login throttling (django-axes, database handler; see logistics/login_throttle.py). Failures count
# per account (the one the typed username or mobile number resolves to) and per address; either
# locks the login for LOGIN_LOCK_MINUTES after its last failure. Guesses made while locked are
# not counted, so the time the page names is the time the lock opens.
AXES_HANDLER = "logistics.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: LoginThrottleHandler reads them so
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=30)  # a staff room shares one address
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_LOCK_MINUTES", default=15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "logistics.login_throttle.account_key"
AXES_LOCKOUT_CALLABLE = "logistics.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "logistics.login_throttle.client_address"
# Behind a reverse proxy every request comes from the proxy: name how many trusted proxies append
# to X-Forwarded-For, or every member of staff shares one address's limit.
LOGIN_PROXY_COUNT = env.int("LOGIN_PROXY_COUNT", default=0)
AXES_DISABLE_ACCESS_LOG = True  # failures are what we need; a row per successful login would grow forever
