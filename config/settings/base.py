"""Settings read from the environment.

Every value that differs between a laptop, CI and production comes from an
environment variable. Production secrets have no default: a missing one stops
the start with a clear message.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ARCHIVE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; set but empty means an empty list."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env_bool("DJANGO_DEBUG", default=False)

# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string "
        "(`make run` creates one in var/secret_key for a first run)."
    )

# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]

INSTALLED_APPS = [
    "audit.admin_apps.ArchiveAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "django_htmx",
    "guardian",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "health_check",
    "django_prometheus",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "core",
    "accounts",
    "archives",
    "retention",
    "lending",
    "reports",
    "api",
    "audit",
]

MIDDLEWARE = [
    # Requests counted and timed for Prometheus (reports.metrics).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Every request's id, in its log lines and its answer (core.requestlog).
    "core.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "accounts.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every dynamic answer is Cache-Control: no-store (record data).
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Text with a NUL character is refused (400) before any view.
    "accounts.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the second factor given (accounts.twofactor).
    "django_otp.middleware.OTPMiddleware",
    # An expired password is changed first; sessions are noted as in use.
    "accounts.middleware.AccountMiddleware",
    # A form sent twice is acted on once (a double click).
    "accounts.middleware.DuplicateSubmissionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Knows the request's address; logs refusals, prints, downloads, exports.
    "audit.middleware.AuditMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Axes must be last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# --- HTTPS and browser protections (SPEC §13) -----------------------------
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# On unless DEBUG: production is served over HTTPS (behind a proxy that sets
# X-Forwarded-Proto, name it in ARCHIVE_PROXY_SSL_HEADER).
ARCHIVE_HTTPS = env_bool("ARCHIVE_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = ARCHIVE_HTTPS
# A load balancer asks over plain HTTP on the inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SESSION_COOKIE_SECURE = ARCHIVE_HTTPS
CSRF_COOKIE_SECURE = ARCHIVE_HTTPS
SECURE_HSTS_SECONDS = (
    env_int("ARCHIVE_HSTS_SECONDS", 31_536_000) if ARCHIVE_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ARCHIVE_HSTS_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("ARCHIVE_HSTS_PRELOAD", default=True)
if os.environ.get("ARCHIVE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["ARCHIVE_PROXY_SSL_HEADER"], "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# accounts.csp: our own static files only; see there for the one exception.
ARCHIVE_CSP = os.environ.get(
    "ARCHIVE_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'",
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Inputs and selects rendered in Python, the same HTML as Django's templates.
FORM_RENDERER = "core.forms_renderer.FastRenderer"

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
                "django.template.context_processors.i18n",
                "archives.context_processors.navigation",
                "lending.context_processors.navigation",
                "core.context_processors.background",
            ],
        },
    },
]

# https://github.com/jazzband/dj-database-url — SQLite file unless DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is tried before each request reuses it, so the
        # first request after a database restart is served, not a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes — a
    # small office on SQLite: readers never wait for the writer (WAL), a
    # writer waits its turn instead of answering "database is locked", and
    # a transaction takes the write lock when it starts (IMMEDIATE), so two
    # writers never deadlock by both upgrading a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("ARCHIVE_SQLITE_BUSY_SECONDS", 20),
        }
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The planner's price of a random page read. PostgreSQL's default (4)
    # is a spinning disk's; on SSD or a cached database 1.1 is the usual
    # figure, and with 4 it scans a million index entries where a few
    # thousand lookups by key would do (a person's own records).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c random_page_cost=" + os.environ.get("ARCHIVE_PG_RANDOM_PAGE_COST", "1.1")
    )
# The queries written once (core.prepared) are also prepared on the
# PostgreSQL server, per connection: parsed and planned once, not at every
# run. Off (0) behind a pooler that hands connections from one client to
# the next between transactions (PgBouncer's transaction mode), where a
# session's prepared statements would not follow it.
DATABASE_PREPARE_ON_SERVER = env_bool("DATABASE_PREPARE_ON_SERVER", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the person's permission set cached (accounts.rights).
    "accounts.rights.CachedModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# The company's directory (LDAP / Active Directory), from ARCHIVE_LDAP_*:
# accounts.directory_settings lists them. Its backend comes before ours, so a
# directory account logs in with its directory password.
from accounts.directory_settings import directory_settings  # noqa: E402
from accounts.directory_settings import single_sign_on_settings  # noqa: E402

_DIRECTORY = directory_settings(os.environ)
globals().update(_DIRECTORY)
if _DIRECTORY["ARCHIVE_LDAP_ENABLED"]:
    AUTHENTICATION_BACKENDS.insert(1, "accounts.directory.DirectoryBackend")
# The company's single sign-on (OpenID Connect), from ARCHIVE_OIDC_*: a
# button on the login page; config/urls.py adds its pages under /oidc/.
_SSO = single_sign_on_settings(os.environ)
globals().update(_SSO)
if _SSO["ARCHIVE_OIDC_ENABLED"]:
    AUTHENTICATION_BACKENDS.insert(1, "accounts.sso.SingleSignOnBackend")
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=refused"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "archives:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# https://docs.djangoproject.com/en/5.2/topics/auth/passwords/#module-django.contrib.auth.password_validation
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("ARCHIVE_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.MixedCharacterValidator"},
]

# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env_int("ARCHIVE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ARCHIVE_LOGIN_LOCKOUT_HOURS", 1)
# A user name is locked at one address, not the address for every name
# (behind a proxy that would be the whole office); accounts.lockout adds a
# higher limit per address against credential stuffing.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.ArchiveAxesHandler"
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_address"
ARCHIVE_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ARCHIVE_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
# Proxies whose X-Forwarded-For is believed (addresses or networks); the
# client address of the audit log, the sessions and the lockout comes from
# it only when the direct peer is one of these (core.addresses).
ARCHIVE_TRUSTED_PROXIES = tuple(
    p.strip()
    for p in os.environ.get("ARCHIVE_TRUSTED_PROXIES", "").split(",")
    if p.strip()
)
# Behind nginx: its internal prefix for archive files (deploy/nginx/), so the
# file views hand big files to nginx with X-Accel-Redirect after the
# permission check (core.sendfile). Empty: the worker sends them itself.
ARCHIVE_X_ACCEL_REDIRECT = os.environ.get("ARCHIVE_X_ACCEL_REDIRECT", "")
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# A second factor (TOTP) at login for these roles (accounts.twofactor);
# empty turns it off.
ARCHIVE_2FA_ROLES = [
    r.strip()
    for r in os.environ.get(
        "ARCHIVE_2FA_ROLES",
        "admin,security_admin,security_auditor,archive_head,auditor",
    ).split(",")
    if r.strip()
]
ARCHIVE_2FA_ISSUER = os.environ.get("ARCHIVE_2FA_ISSUER", "客服档案")
# A forgotten password's link works once, for this many hours.
PASSWORD_RESET_TIMEOUT = env_int("ARCHIVE_PASSWORD_RESET_HOURS", 2) * 3600
# S4: passwords are changed periodically; 0 turns the rule off.
ARCHIVE_PASSWORD_MAX_AGE_DAYS = env_int("ARCHIVE_PASSWORD_MAX_AGE_DAYS", 90)
# https://docs.djangoproject.com/en/5.2/topics/http/sessions/ — a session
# ends after this many minutes without a request, and with the browser.
# ``accounts.middleware`` renews it (at most once a minute, not on every
# request, which would write the session each time).
SESSION_COOKIE_AGE = env_int("ARCHIVE_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Read from the cache, written through to the database (issue 22: one query
# less on every page). A session ended anywhere (accounts.sessions) is ended
# in both; with Redis down, the database answers.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# https://django-guardian.readthedocs.io/en/stable/configuration.html
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("ARCHIVE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# https://whitenoise.readthedocs.io/en/stable/django.html
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Every file the product keeps goes through one of these stores (issue 21,
# item 2): a folder each by default, or an S3-compatible object store (MinIO,
# Ceph RGW, a cloud's) that every server shares, when ARCHIVE_S3_BUCKET is
# set. Archive files are only ever served by a permission-checked view; there
# is deliberately no MEDIA_URL.
ARCHIVE_S3_BUCKET = os.environ.get("ARCHIVE_S3_BUCKET", "")
# The backup store is the second location: its own bucket (another site or
# provider, ideally); by default a prefix of the same bucket.
ARCHIVE_S3_BACKUP_BUCKET = os.environ.get("ARCHIVE_S3_BACKUP_BUCKET", "")
ARCHIVE_S3_OPTIONS = {
    "endpoint_url": os.environ.get("ARCHIVE_S3_ENDPOINT_URL") or None,
    "access_key": os.environ.get("ARCHIVE_S3_ACCESS_KEY_ID") or None,
    "secret_key": os.environ.get("ARCHIVE_S3_SECRET_ACCESS_KEY") or None,
    "region_name": os.environ.get("ARCHIVE_S3_REGION") or None,
    # "path" for MinIO and most self-hosted stores, "virtual" for clouds.
    "addressing_style": os.environ.get("ARCHIVE_S3_ADDRESSING_STYLE", "path"),
    # A name taken is never written over: a file gets a name of its own.
    "file_overwrite": False,
    "default_acl": None,
    "querystring_auth": True,
}
# What each store holds, its folder's setting and default, its key prefix.
ARCHIVE_STORES = {
    # Filed records' files and their long-term copies.
    "default": ("ARCHIVE_STORAGE_ROOT", "archive-store"),
    # Their second copies, and the database backups (database/).
    "backup": ("ARCHIVE_BACKUP_ROOT", "archive-backup"),
    # Files found infected: kept apart for the administrator, never served.
    "quarantine": ("ARCHIVE_QUARANTINE_ROOT", "quarantine"),
    # Excel exports made by the worker, until their owner takes them.
    "exports": ("ARCHIVE_EXPORT_DIR", "exports"),
    # Import files, between their upload and their import.
    "imports": ("ARCHIVE_IMPORT_DIR", "imports"),
    # Files sent to the API in pieces, until complete (api.services).
    "uploads": ("ARCHIVE_UPLOAD_DIR", "uploads"),
}


def file_stores(root: Path, bucket: str = "", backup_bucket: str = "") -> dict:
    """STORAGES' entries of the archive's stores: folders under ``root`` (each
    movable by its own setting), or prefixes of the S3 bucket."""
    stores = {}
    for alias, (setting, folder) in ARCHIVE_STORES.items():
        if bucket:
            stores[alias] = {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    **ARCHIVE_S3_OPTIONS,
                    "bucket_name": (backup_bucket or bucket)
                    if alias == "backup"
                    else bucket,
                    "location": folder,
                },
            }
        else:
            stores[alias] = {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": os.environ.get(setting, str(root / folder))},
            }
    return stores


STORAGES = {
    **file_stores(VAR_DIR, ARCHIVE_S3_BUCKET, ARCHIVE_S3_BACKUP_BUCKET),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A task whose worker died unacknowledged is delivered again after this long
# (kombu's Redis transport); the check it ran is then taken over (see
# ARCHIVE_CHECK_STALE_SECONDS), and a live one is left alone.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("ARCHIVE_BROKER_VISIBILITY_SECONDS", 600),
    "socket_connect_timeout": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Sending a task waits at most a second for Redis; past that the web keeps
# the task in the database (core.queue) and sends it when Redis is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# A worker process may use this much memory (config.celery sets it as the
# process's address-space limit, so a runaway task fails with MemoryError
# instead of the machine killing the worker), and is replaced after a task
# that left it holding more than ARCHIVE_WORKER_RECYCLE_MB.
ARCHIVE_WORKER_MEMORY_MB = env_int("ARCHIVE_WORKER_MEMORY_MB", 2048)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("ARCHIVE_WORKER_RECYCLE_MB", 1024) * 1024
# Only for a first run without Redis (scripts/run-dev.sh): tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")

# https://docs.djangoproject.com/en/5.2/topics/cache/#redis — shared by the
# web and the worker (the progress of an import written inside its
# transaction); in-process when tasks run in-process.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if CELERY_TASK_ALWAYS_EAGER
        else {
            # Short timeouts, and a miss rather than an error while Redis is
            # down (core.cache): people log in and file without it.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": os.environ.get("REDIS_CACHE_URL", "redis://127.0.0.1:6379/1"),
        }
    ),
    # In each process's memory, in front of the shared cache, only what never
    # changes under its key (core.cache.kept): a person's rights and roles
    # under their rights stamp, the header rendered for what it shows.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "archive-kept",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# https://docs.djangoproject.com/en/5.2/ref/settings/#email-backend
# Mail goes out through the company's SMTP server once ARCHIVE_SMTP_HOST is
# set (the worker sends it, after the transaction that made it commits:
# accounts.tasks); without it, to the console (a first run, development).
EMAIL_HOST = os.environ.get("ARCHIVE_SMTP_HOST", "")
EMAIL_PORT = env_int("ARCHIVE_SMTP_PORT", 587)
EMAIL_HOST_USER = os.environ.get("ARCHIVE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ARCHIVE_SMTP_PASSWORD", "")
# STARTTLS (port 587) or TLS from the start (SMTPS, port 465); not both.
EMAIL_USE_TLS = env_bool("ARCHIVE_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("ARCHIVE_SMTP_SSL", False)
EMAIL_TIMEOUT = env_int("ARCHIVE_SMTP_TIMEOUT", 20)
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "archive@localhost")
# Errors are mailed to the administrators: "Name <address>, Name <address>".
ADMINS = [
    (name.strip(), address.strip(" >"))
    for name, _sep, address in (
        entry.partition("<")
        for entry in os.environ.get("ARCHIVE_ADMINS", "").split(",")
        if entry.strip()
    )
]
SERVER_EMAIL = os.environ.get("ARCHIVE_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Uploads: files are streamed to disk past 2.5 MB; the archive's own limit is
# checked by the service so the message can be a clear, translated one.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 50

# --- The archive's own settings ------------------------------------------
# Chinese font embedded in every PDF (fonts-wqy-zenhei); reportlab's
# STSong-Light CID font (not embedded) is the fallback when the file is absent.
ARCHIVE_PDF_FONT_PATH = os.environ.get(
    "ARCHIVE_PDF_FONT_PATH", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
)
ARCHIVE_PDF_FONT_SUBFONT_INDEX = env_int("ARCHIVE_PDF_FONT_SUBFONT_INDEX", 0)
ARCHIVE_MAX_UPLOAD_BYTES = env_int("ARCHIVE_MAX_UPLOAD_MB", 50) * 1024 * 1024
ARCHIVE_ALLOWED_EXTENSIONS = [
    e.strip().lower()
    for e in os.environ.get(
        "ARCHIVE_ALLOWED_EXTENSIONS",
        "pdf,jpg,jpeg,png,tif,tiff,doc,docx,xls,xlsx,txt,csv,mp3,wav,mp4,eml,msg,zip",
    ).split(",")
    if e.strip()
]
# The four checks of electronic files (archives.services.filechecks).
# The virus scanner: clamd on a Unix socket, or on TCP as host:port. A file
# that could not be scanned waits as "scan pending" and blocks acceptance
# (unless accepted with a reason) until the worker scans it.
ARCHIVE_CLAMD_SOCKET = os.environ.get("ARCHIVE_CLAMD_SOCKET", "")
ARCHIVE_CLAMD_TCP = os.environ.get("ARCHIVE_CLAMD_TCP", "")
ARCHIVE_CLAMD_TIMEOUT = env_int("ARCHIVE_CLAMD_TIMEOUT", 60)
# Encrypted or password-protected files, and zip archives: "refuse" them at
# upload, or "flag" them (stored, but the usability check fails and the
# archivist accepts them only with a reason).
ARCHIVE_ENCRYPTED_FILES = os.environ.get("ARCHIVE_ENCRYPTED_FILES", "refuse")
ARCHIVE_CONTAINER_FILES = os.environ.get("ARCHIVE_CONTAINER_FILES", "refuse")
# The monthly inspection opens and scans again the files of this many records
# chosen at random; 0 means all of them.
ARCHIVE_INSPECTION_FILE_SAMPLE = env_int("ARCHIVE_INSPECTION_FILE_SAMPLE", 0)
# Long-term copies (archives.preservation): made by the worker after a
# record is accepted, each tried this many times before it is a finding.
ARCHIVE_PRESERVE_ON_ACCEPT = env_bool("ARCHIVE_PRESERVE_ON_ACCEPT", True)
ARCHIVE_CONVERSION_RETRIES = env_int("ARCHIVE_CONVERSION_RETRIES", 3)
ARCHIVE_CONVERSION_TIMEOUT = env_int("ARCHIVE_CONVERSION_TIMEOUT", 900)
ARCHIVE_SOFFICE = os.environ.get("ARCHIVE_SOFFICE", "soffice")
# Each worker process keeps a LibreOffice profile here (one folder per pid).
ARCHIVE_SOFFICE_PROFILE = os.environ.get(
    "ARCHIVE_SOFFICE_PROFILE", os.path.join(BASE_DIR, "var", "libreoffice")
)
# Tesseract's languages for scans and pictures, and OCRmyPDF's processes.
ARCHIVE_OCR_LANGUAGES = os.environ.get("ARCHIVE_OCR_LANGUAGES", "chi_sim+eng")
ARCHIVE_OCR_JOBS = env_int("ARCHIVE_OCR_JOBS", 2)
# How much of a record's file text goes into its search columns.
ARCHIVE_SEARCH_CONTENT_CHARS = env_int("ARCHIVE_SEARCH_CONTENT_CHARS", 60000)
# Reading files in the browser (archives.reading): clean page renders are
# kept here; the files of records at these levels are read online only,
# except by those who hold archives.handle_confidential_files.
ARCHIVE_PAGE_CACHE = os.environ.get(
    "ARCHIVE_PAGE_CACHE", os.path.join(BASE_DIR, "var", "page-cache")
)
ARCHIVE_ONLINE_ONLY_LEVELS = [
    level.strip()
    for level in os.environ.get(
        "ARCHIVE_ONLINE_ONLY_LEVELS", "confidential,secret"
    ).split(",")
    if level.strip()
]
# A piece may be at most this large (MB); an upload not finished in this
# many hours is deleted by the worker.
ARCHIVE_UPLOAD_CHUNK_MB = env_int("ARCHIVE_UPLOAD_CHUNK_MB", 8)
ARCHIVE_UPLOAD_KEEP_HOURS = env_int("ARCHIVE_UPLOAD_KEEP_HOURS", 48)
# E-mail in (archives.services.mailin): mailboxes are set up in admin and read
# every ARCHIVE_MAIL_READ_MINUTES. ARCHIVE_MAIL_CA_FILE: a CA bundle for a
# mail server whose certificate the system's store does not know.
ARCHIVE_MAIL_READ_MINUTES = env_int("ARCHIVE_MAIL_READ_MINUTES", 5)
# The daily check warns when a file store's disk has less free than this.
ARCHIVE_FREE_SPACE_MIN_GB = env_int("ARCHIVE_FREE_SPACE_MIN_GB", 10)
ARCHIVE_FREE_SPACE_MIN_PERCENT = env_int("ARCHIVE_FREE_SPACE_MIN_PERCENT", 10)
# /metrics (Prometheus) answers a scraper that sends this bearer token; unset,
# it answers nobody (keep it to the inside network at the proxy as well).
ARCHIVE_METRICS_TOKEN = os.environ.get("ARCHIVE_METRICS_TOKEN", "")
# /readyz counts the workers gone when none took beat's heartbeat this long.
ARCHIVE_WORKER_HEARTBEAT_SECONDS = env_int("ARCHIVE_WORKER_HEARTBEAT_SECONDS", 180)
ARCHIVE_MAIL_CA_FILE = os.environ.get("ARCHIVE_MAIL_CA_FILE", "")
ARCHIVE_MAIL_TIMEOUT = env_int("ARCHIVE_MAIL_TIMEOUT", 30)
# A draft's description keeps at most this much of the message's body (the
# whole message is its file).
ARCHIVE_MAIL_BODY_CHARS = env_int("ARCHIVE_MAIL_BODY_CHARS", 4000)
# The sub-codes every draft from e-mail gets, by category code.
ARCHIVE_MAIL_SUBCODES = {"GT": {"channel": "YJ"}}
# How many records a new box takes unless the archivist says otherwise.
ARCHIVE_BOX_CAPACITY = env_int("ARCHIVE_BOX_CAPACITY", 100)
ARCHIVE_CATALOGUE_PAGE_SIZE = env_int("ARCHIVE_CATALOGUE_PAGE_SIZE", 25)
# Lists count matches exactly up to this many; past it they show an estimate
# (PostgreSQL) or "more than N" — never COUNT(*) over a million rows.
ARCHIVE_EXACT_COUNT_LIMIT = env_int("ARCHIVE_EXACT_COUNT_LIMIT", 1000)
# The header's badge counts are kept this long between pages (0: every page
# counts afresh); a person's own changes refresh theirs at once.
ARCHIVE_BADGE_SECONDS = env_int("ARCHIVE_BADGE_SECONDS", 15)
# The public page that checks an owner's copy answers this many times a
# minute per address.
ARCHIVE_VERIFY_PER_MINUTE = env_int("ARCHIVE_VERIFY_PER_MINUTE", 30)
# The function that counts the header's badges (core.badges keeps them).
ARCHIVE_BADGE_COUNTER = "lending.selectors.pending_counts"

# Key for personal identifiers kept encrypted (owners' ID and phone numbers,
# customers' contacts). Any long random string; keep it apart from the
# database backups. No default: without DEBUG a missing key stops the start.
ARCHIVE_FIELD_KEY = os.environ.get("ARCHIVE_FIELD_KEY", "")
if not ARCHIVE_FIELD_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "ARCHIVE_FIELD_KEY is not set. Set it to a long random string kept apart "
        "from the database backups (`make run` creates one in var/field_key); "
        "personal identifiers are encrypted with it."
    )

# Viewing and lending (SPEC §6, §7). The approval chains are data (admin →
# approval rules); these settings are the numbers around them.
# S2: confidential and secret records are not offered for viewing at all.
ARCHIVE_CONFIDENTIAL_VIEWING_CLOSED = env_bool("ARCHIVE_CONFIDENTIAL_VIEWING_CLOSED")
# S4 also wants the customer-service manager's signature on loans.
ARCHIVE_LENDING_CS_MANAGER_APPROVAL = env_bool("ARCHIVE_LENDING_CS_MANAGER_APPROVAL")
# Working days follow the national calendar (statutory holidays, 调休) with
# the company's own days from admin on top; off: weekends and those only.
ARCHIVE_STATUTORY_CALENDAR = env_bool("ARCHIVE_STATUTORY_CALENDAR", default=True)
# The request catalogue (issue 19, item 1): the levels of records it lists to
# every requester (number, category, date, department), and the levels whose
# titles it shows. Confidential and secret records are never listed.
ARCHIVE_REQUEST_CATALOGUE_LEVELS = env_list(
    "ARCHIVE_REQUEST_CATALOGUE_LEVELS", ["public", "internal"]
)
ARCHIVE_REQUEST_CATALOGUE_TITLE_LEVELS = env_list(
    "ARCHIVE_REQUEST_CATALOGUE_TITLE_LEVELS", ["public"]
)
ARCHIVE_LOAN_WORKING_DAYS = env_int("ARCHIVE_LOAN_WORKING_DAYS", 5)
ARCHIVE_LOAN_MAX_EXTENSIONS = env_int("ARCHIVE_LOAN_MAX_EXTENSIONS", 1)
ARCHIVE_LOAN_EXTENSION_DAYS = env_int("ARCHIVE_LOAN_EXTENSION_DAYS", 5)
# Reminders, in days relative to the due date; from the second overdue one
# the borrower's supervisor is told too.
ARCHIVE_LOAN_REMINDER_DAYS = [
    int(d)
    for d in os.environ.get("ARCHIVE_LOAN_REMINDER_DAYS", "-1,0,1,7").split(",")
    if d.strip()
]
# Owners' copies: the fee per page (yuan), and the highest confidentiality
# level whose records may be copied for an owner at all.
ARCHIVE_COPY_FEE_PER_PAGE = os.environ.get("ARCHIVE_COPY_FEE_PER_PAGE", "0.50")
ARCHIVE_OWNER_COPY_MAX_LEVEL = os.environ.get(
    "ARCHIVE_OWNER_COPY_MAX_LEVEL", "internal"
)

# Destruction and the periodic checks (SPEC §9, §10).
ARCHIVE_DESTRUCTION_WITNESSES = env_int("ARCHIVE_DESTRUCTION_WITNESSES", 2)
# Storeroom climate (°C, % relative humidity); readings outside are flagged.
ARCHIVE_STOREROOM_TEMPERATURE = (
    env_int("ARCHIVE_STOREROOM_TEMPERATURE_MIN", 14),
    env_int("ARCHIVE_STOREROOM_TEMPERATURE_MAX", 24),
)
ARCHIVE_STOREROOM_HUMIDITY = (
    env_int("ARCHIVE_STOREROOM_HUMIDITY_MIN", 45),
    env_int("ARCHIVE_STOREROOM_HUMIDITY_MAX", 60),
)
# Database backups (retention.services.dbbackup): beat makes one a day into
# the backup store; those older than KEEP_DAYS go, the newest KEEP_LAST stay.
# The daily check warns when the latest is older than MAX_AGE_HOURS.
ARCHIVE_DB_BACKUP_KEEP_DAYS = env_int("ARCHIVE_DB_BACKUP_KEEP_DAYS", 14)
ARCHIVE_DB_BACKUP_KEEP_LAST = env_int("ARCHIVE_DB_BACKUP_KEEP_LAST", 3)
ARCHIVE_DB_BACKUP_MAX_AGE_HOURS = env_int("ARCHIVE_DB_BACKUP_MAX_AGE_HOURS", 26)
# Where pg_dump, pg_restore, createdb and dropdb are; empty: on the PATH.
ARCHIVE_PG_BIN_DIR = os.environ.get("ARCHIVE_PG_BIN_DIR", "")
ARCHIVE_CHECK_MAX_FINDINGS_PER_CODE = env_int(
    "ARCHIVE_CHECK_MAX_FINDINGS_PER_CODE", 1000
)
# A background job (check, import, export) "running" without a sign of life
# for this long died with its worker: the task delivered again, or a person's
# "run it again", takes it over. Jobs beat every fifth of it (core.heartbeat).
ARCHIVE_JOB_STALE_SECONDS = env_int(
    "ARCHIVE_JOB_STALE_SECONDS", env_int("ARCHIVE_CHECK_STALE_SECONDS", 300)
)
ARCHIVE_CHECK_STALE_SECONDS = ARCHIVE_JOB_STALE_SECONDS
# Unusual patterns the daily check reports to the heads of archives (S3 §6.2):
# refusals of one person in a day, downloads/prints/exports in one hour, and
# records opened outside working hours (from, until; local time).
ARCHIVE_ALERT_DENIALS = env_int("ARCHIVE_ALERT_DENIALS", 10)
ARCHIVE_ALERT_DOWNLOADS_PER_HOUR = env_int("ARCHIVE_ALERT_DOWNLOADS_PER_HOUR", 50)
ARCHIVE_WORKING_HOURS = (
    env_int("ARCHIVE_WORKING_HOURS_FROM", 7),
    env_int("ARCHIVE_WORKING_HOURS_UNTIL", 21),
)

# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html
# Each entry expires just before its next run, so a backlog never runs twice.
_HOUR = 3600
# Beat keeps its schedule in the database (core.beat): the administrator
# changes the times in admin (周期任务); these entries seed it once.
CELERY_BEAT_SCHEDULER = "core.beat:ArchiveScheduler"
# Beats on several machines elect one sender through Redis; a standby takes
# over this long after the sender stopped (core.beat).
ARCHIVE_BEAT_LOCK_SECONDS = env_int("ARCHIVE_BEAT_LOCK_SECONDS", 30)
CELERY_BEAT_SCHEDULE = {
    # What the web kept while Redis was down (core.queue).
    "queue-flush": {
        "task": "core.tasks.queue_flush",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Files stored while clamd could not be reached (archives.services.filechecks).
    "scan-pending": {
        "task": "archives.tasks.scan_pending",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # API uploads in pieces left unfinished (api.services.uploads_expire).
    "uploads-expire": {
        "task": "api.tasks.uploads_expire",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # Mailboxes set up in admin (archives.services.mailin).
    "mailboxes-read": {
        "task": "archives.tasks.mailboxes_read",
        "schedule": 60.0 * ARCHIVE_MAIL_READ_MINUTES,
        "options": {"expires": 60.0 * ARCHIVE_MAIL_READ_MINUTES - 5},
    },
    # Audit entries written since are linked into the chain (audit.chain).
    "audit-chain-link": {
        "task": "audit.tasks.chain_link",
        "schedule": 10.0,
        "options": {"expires": 9},
    },
    # A worker's sign of life for /readyz (core.readiness).
    "worker-heartbeat": {
        "task": "core.tasks.worker_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Jobs whose worker died (no sign of life for ARCHIVE_JOB_STALE_SECONDS)
    # are queued again (core.heartbeat).
    "checks-take-over": {
        "task": "retention.tasks.checks_take_over",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "jobs-take-over": {
        "task": "reports.tasks.jobs_take_over",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Accounts made by the directory follow it (accounts.directory).
    "directory-sync": {
        "task": "accounts.tasks.directory_sync",
        "schedule": crontab(hour=1, minute=15),
        "options": {"expires": 20 * _HOUR},
    },
    # The database into the backup store (retention.services.dbbackup).
    "database-backup": {
        "task": "retention.tasks.database_backup",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 20 * _HOUR},
    },
    "daily-check": {
        "task": "retention.tasks.scheduled_check",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
        "options": {"expires": 23 * _HOUR},
    },
    "weekly-patrol": {
        "task": "retention.tasks.scheduled_check",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
        "args": ("patrol",),
        "options": {"expires": 6 * 24 * _HOUR},
    },
    "monthly-inspection": {
        "task": "retention.tasks.scheduled_check",
        "schedule": crontab(hour=2, minute=0, day_of_month="1"),
        "args": ("inspection",),
        "options": {"expires": 27 * 24 * _HOUR},
    },
    "quarterly-backup-check": {
        "task": "retention.tasks.scheduled_check",
        "schedule": crontab(
            hour=3, minute=0, day_of_month="1", month_of_year="1,4,7,10"
        ),
        "args": ("backup",),
        "options": {"expires": 80 * 24 * _HOUR},
    },
    "monthly-usage-report": {
        "task": "reports.tasks.monthly_report_scheduled",
        "schedule": crontab(hour=6, minute=0, day_of_month="1"),
        "options": {"expires": 27 * 24 * _HOUR},
    },
    "yearly-stocktake": {
        "task": "retention.tasks.scheduled_check",
        "schedule": crontab(hour=8, minute=0, day_of_month="5", month_of_year="1"),
        "args": ("stocktake",),
        "options": {"expires": 300 * 24 * _HOUR},
    },
}

# https://www.django-rest-framework.org/api-guide/settings/
# Systems (CRM, call-centre software) send a token; the browser its session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Per token and per person (core.throttles); a refusal is a 429 that
    # says when to try again.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttles.TokenThrottle",
        "core.throttles.PersonThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DATETIME_FORMAT": "iso-8601",
}
# The longest an API token may last (days); its owner may choose less.
ARCHIVE_API_TOKEN_MAX_DAYS = env_int("ARCHIVE_API_TOKEN_MAX_DAYS", 90)
# Requests per period (s, min, hour, day) — core.throttles.
ARCHIVE_API_RATES = {
    "token": os.environ.get("ARCHIVE_API_RATE_TOKEN", "1200/min"),
    "person": os.environ.get("ARCHIVE_API_RATE_PERSON", "1800/min"),
    "export": os.environ.get("ARCHIVE_EXPORT_RATE", "60/hour"),
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Customer-service archive API",
    "DESCRIPTION": (
        "Version 1. Authenticate with `Authorization: Token <key>` "
        "(a token is issued per system account by an administrator)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RecordStatusEnum": "archives.models.ArchiveRecord.Status",
        "AccessRequestStatusEnum": "lending.models.AccessRequest.Status",
    },
}

# Statistics, exports and bulk import (SPEC §12, §13).
# An Excel export of more rows than this runs as a background job.
ARCHIVE_EXPORT_INLINE_ROWS = env_int("ARCHIVE_EXPORT_INLINE_ROWS", 5000)
ARCHIVE_IMPORT_MAX_ROWS = env_int("ARCHIVE_IMPORT_MAX_ROWS", 200_000)
ARCHIVE_IMPORT_MAX_MB = env_int("ARCHIVE_IMPORT_MAX_MB", 100)
# Limits an import file is read within (reports.services.import_files): an
# .xlsx unpacks to at most this many MB, no part packed tighter than the
# ratio (parts over 10 MB), the shared text at most so many MB; rows,
# columns and the characters of one cell.
ARCHIVE_IMPORT_MAX_UNZIPPED_MB = env_int("ARCHIVE_IMPORT_MAX_UNZIPPED_MB", 300)
ARCHIVE_IMPORT_MAX_RATIO = env_int("ARCHIVE_IMPORT_MAX_RATIO", 250)
ARCHIVE_IMPORT_MAX_SHARED_TEXT_MB = env_int("ARCHIVE_IMPORT_MAX_SHARED_TEXT_MB", 50)
ARCHIVE_IMPORT_MAX_COLUMNS = env_int("ARCHIVE_IMPORT_MAX_COLUMNS", 50)
ARCHIVE_IMPORT_MAX_CELL_CHARS = env_int("ARCHIVE_IMPORT_MAX_CELL_CHARS", 10_000)
# The category whose records are complaints and suggestions (S0: TS).
ARCHIVE_COMPLAINT_CATEGORY = os.environ.get("ARCHIVE_COMPLAINT_CATEGORY", "TS")
# DA/T 22 arrangement (issue 20, item 3): the fonds number (全宗号) the
# archives bureau gave the company, printed on the filing stamps (归档章),
# the box spines and the filing directory; and the rule that a box holds the
# records of one year and one retention period only.
ARCHIVE_FONDS_NUMBER = os.environ.get("ARCHIVE_FONDS_NUMBER", "")
ARCHIVE_BOX_ONE_YEAR_AND_PERIOD = env_bool("ARCHIVE_BOX_ONE_YEAR_AND_PERIOD", True)
# The filing directory is printed whole up to this many records; a larger
# one is narrowed (by retention period) or taken as a catalogue export.
ARCHIVE_DIRECTORY_MAX_ROWS = env_int("ARCHIVE_DIRECTORY_MAX_ROWS", 20_000)
# How many problems one dry run lists before it stops counting.
ARCHIVE_IMPORT_MAX_PROBLEMS = env_int("ARCHIVE_IMPORT_MAX_PROBLEMS", 1000)

# https://docs.djangoproject.com/en/5.2/topics/logging/ — every line passes
# audit.redact first: an ID or phone number typed into a search box is in the
# URL of the request lines and errors (security issue, item 2).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "audit.redact.RedactFilter"},
        "request": {"()": "core.requestlog.RequestContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s "
            "[%(request_id)s %(user)s] %(message)s"
        },
        # ARCHIVE_LOG_JSON=1: one JSON object a line, for a log collector.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": [
                "asctime",
                "levelname",
                "name",
                "message",
                "request_id",
                "user",
            ],
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request", "redact"],
            "formatter": "json" if env_bool("ARCHIVE_LOG_JSON") else "plain",
        },
        # A server error is mailed to ARCHIVE_ADMINS (ID and phone numbers
        # masked as in the logs).
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "redact"],
        },
    },
    "loggers": {
        # runserver's request lines (Django's own handler would skip ours).
        "django.server": {"handlers": ["console"], "propagate": False},
        # Django's own loggers, ours: its default mail handler would mail
        # errors without the redaction.
        "django": {
            "handlers": ["console", "mail_admins"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Optional error tracking (Sentry or GlitchTip): SENTRY_DSN turns it on.
from config import errortracking as _errortracking  # noqa: E402
from core import version as _version  # noqa: E402

_errortracking.init(release=_version.full())
