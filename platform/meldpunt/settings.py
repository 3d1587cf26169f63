"""Settings for the meldpunt platform, read from the environment.

Local defaults are safe for a developer machine (DEBUG on, loopback services).
With DEBUG off the settings refuse to load unless the configuration is fit for
production, so a half-configured deployment fails at start instead of running
insecurely.
"""

import base64
import hashlib
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from meldpunt.sentry import init_sentry

REPO_DIR = Path(__file__).resolve().parents[2]
PLATFORM_DIR = REPO_DIR / "platform"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def derived_key(secret: str, purpose: bytes) -> str:
    """A Fernet key derived from another secret, for developer machines only."""
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode() + purpose).digest()).decode()


def next_redis_db_url(url: str) -> str:
    """The same Redis server as `url`, the next logical database."""
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + 1
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


def trusted_networks(value: str) -> list[str]:
    """Comma-separated addresses or networks (CIDR); a typo stops the start."""
    networks = [item.strip() for item in value.split(",") if item.strip()]
    for network in networks:
        try:
            ipaddress.ip_network(network)
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error
    return networks


DEBUG = env_bool("DEBUG", default=False)
INSECURE_DEV_SECRET = "insecure-dev-only-secret-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_SECRET if DEBUG else "")
BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost")
# The scheme and port under which regions are reached, used in links sent by e-mail. A
# developer's server listens on PORT (deploy/dev/run.sh), so the links follow it there.
PUBLIC_URL_SCHEME = os.environ.get("PUBLIC_URL_SCHEME", "http" if DEBUG else "https")
PUBLIC_PORT = os.environ.get("PUBLIC_PORT", os.environ.get("PORT", "8000") if DEBUG else "")
# Keys for personal data at rest (Fernet keys, newest first) and for the blind indexes.
# A developer machine derives them from SECRET_KEY; production must set its own.
FIELD_ENCRYPTION_KEYS = [
    key for key in os.environ.get("FIELD_ENCRYPTION_KEYS", "").split(",") if key
] or ([derived_key(SECRET_KEY, b"field-encryption")] if DEBUG else [])
BLIND_INDEX_KEY = (
    os.environ.get("BLIND_INDEX_KEY") or (SECRET_KEY + ":blind-index" if DEBUG else "")
).encode()
# The platform's one key for matching (docs/matching.md): the same in every region, so
# that one person registered in two regions gives the same digest. It stays in the
# application's settings; no table holds it, so no region's database role can read it.
MATCHING_KEY = (
    os.environ.get("MATCHING_KEY") or (SECRET_KEY + ":matching" if DEBUG else "")
).encode()
# Fictitious demo accounts may skip MFA; only ever on a developer machine.
DEMO_MODE = env_bool("DEMO_MODE", default=False)

# The reverse proxies (addresses or networks) whose X-Forwarded-For and
# X-Forwarded-Proto are believed; gunicorn reads the same variable (deploy/gunicorn.conf.py).
TRUSTED_PROXIES = trusted_networks(os.environ.get("TRUSTED_PROXIES", ""))

ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "127.0.0.1"]

SHARED_APPS = [
    "tenants",  # before django_tenants: its migrate commands also keep the template schema
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_prometheus",
    "frontend",  # before allauth: its templates restyle allauth's pages
    "frontend.public",
    "frontend.cases",
    "frontend.meetings",
    "frontend.beheer",
    "frontend.users",
    "frontend.home",
    "frontend.privacy",
    "frontend.statistiek",
    "frontend.preventie",
    "frontend.portal",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Sign-in through a region's own OpenID Connect providers (accounts.IdentityProvider).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "accounts",
    "audit",
    "national",
    "meldpunt",  # the cache's fallback table, in every schema
    "benchmark",  # the cross-region aggregates; knows nothing of a region's own tables
    "matching",  # digests of persons known in more than one region (docs/matching.md)
    "api",  # no models: its templates and static files (the API's documentation page)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI as our own static files, no CDN
]
# Every region's schema has its own accounts, sessions, MFA devices, API tokens and audit log.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    # Not rest_framework.authtoken: it stores keys as they are. Personal API tokens are
    # accounts.ApiToken, stored as a keyed digest.
    "rest_framework",
    "accounts",
    "audit",
    "configuratie",
    "workflow",
    "meldpunt",
    "privacy",
    "statistiek",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Region"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New regions are built from this migrated, empty schema's blueprint (tenants/services/blueprint.py).
TENANT_BASE_SCHEMA = "regio_sjabloon"
# One SET search_path per request: set again only when the schema changes.
TENANT_LIMIT_SET_CALLS = True
# Schemas behind on a deploy are migrated this many at a time.
TENANT_MULTIPROCESSING_MAX_PROCESSES = int(os.environ.get("MIGRATION_PROCESSES", "2"))
TENANT_MULTIPROCESSING_CHUNKS = 1
PUBLIC_SCHEMA_URLCONF = "meldpunt.urls_public"
ROOT_URLCONF = "meldpunt.urls_tenant"
DEFAULT_NOT_FOUND_TENANT_VIEW = "frontend.views.unknown_host"

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Probes before host checks, HTTPS redirects and tenant selection: they send an IP as host.
    "meldpunt.health.HealthMiddleware",
    # The security headers first: they also go on static files and on the notices
    # RegionMiddleware answers with itself (unknown host, suspended region).
    "django.middleware.security.SecurityMiddleware",
    "meldpunt.content_security.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Static files before tenant resolution: those notices need their CSS.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request that waited too long for a worker is refused before it costs anything.
    "meldpunt.overload.RefuseLateRequestsMiddleware",
    "tenants.middleware.RegionMiddleware",
    # Before anything reads the body (the CSRF check reads the form).
    "frontend.middleware.RefuseLargeBodiesMiddleware",
    "frontend.middleware.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "frontend.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.services.AuditRequestMiddleware",
    "frontend.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "meldpunt.metrics.PrometheusAfterMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.region",
            ],
        },
    },
]

FORM_RENDERER = "frontend.forms.FormRenderer"
WSGI_APPLICATION = "meldpunt.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"),
        # django-tenants' backend that also takes the region's database role with its schema.
        engine="tenants.postgresql_backend",
        # Persistent connections, never a transaction-mode pooler: search_path must survive.
        # A new connection's first queries cost ~48 ms at 1,000 regions (the catalogue), so
        # a worker keeps its connection ten minutes, checked before each request's first
        # query. Each sync worker holds one: docs/pooling.md sizes the pooler for them.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# No `options` startup parameter (PgBouncer refuses it): server settings such as jit=off
# (its compiling cost 370 ms on a 20 ms count at 100,000 cases) belong to the server,
# deploy/k8s/base/postgres.yaml and deploy/dev/create_database.py.
# An unreachable database fails a request (and /readyz) within seconds.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)


def prepare_threshold_setting(value: str) -> int | None:
    """DATABASE_PREPARE_THRESHOLD: a connection prepares a statement from its N-th run
    (meldpunt/database/prepared.py); "off": never. Checked here, once: a wrong value
    would otherwise fail every connection."""
    if value.strip().lower() in ("off", "none"):
        return None
    try:
        threshold = int(value)
    except ValueError:
        threshold = 0
    if threshold < 1:
        raise ImproperlyConfigured(
            f"DATABASE_PREPARE_THRESHOLD must be a whole number from 1 or 'off', not {value!r}"
        )
    return threshold


if "DATABASE_PREPARE_THRESHOLD" in os.environ:
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = prepare_threshold_setting(
        os.environ["DATABASE_PREPARE_THRESHOLD"]
    )
# django-tenants' backend on top of Django's PostgreSQL backend with django-prometheus'
# query metrics, counted cheaper (meldpunt/database).
ORIGINAL_BACKEND = "meldpunt.database"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# The role the web, worker and beat processes connect as in production: it owns
# nothing. Migrations run as the schemas' owner and grant it what it may do
# (tenants/services/app_role.py). Empty where one role does everything.
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        # Redis, and PostgreSQL while Redis is down: rate limits hold and pages answer.
        "BACKEND": "meldpunt.cache.RedisWithDatabaseFallback",
        # The next database after the broker's, as the README says: two installations on
        # one Redis (redis://…/0 and …/4) must not clear each other's limits.
        "LOCATION": os.environ.get("CACHE_URL", next_redis_db_url(REDIS_URL)),
        # Keys carry the schema, or regions would read each other's cache; the rest is hashed.
        "KEY_FUNCTION": "meldpunt.cache.make_key",
        # A dead or unreachable Redis must cost a request a second at most.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, reading the signed-in user with their access in one statement.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
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
# Reports are text; anything much larger is abuse and is refused with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
# ClamAV's daemon scans every upload (docs/uploads.md): the path of its unix socket, or
# tcp://host:port. An upload it cannot scan in time waits in quarantine.
CLAMD_ADDRESS = os.environ.get("CLAMD_ADDRESS", "/var/run/clamav/clamd.ctl")
CLAMD_TIMEOUT = int(os.environ.get("CLAMD_TIMEOUT", "15"))
# The largest request body the site reads, in megabytes: a larger one is refused by its
# Content-Length before a byte of it is read (frontend.middleware). The ingress in front
# (deploy/k8s: nginx.ingress.kubernetes.io/proxy-body-size) states this same number.
# Shedding load (meldpunt/overload.py, docs/production.md): a request that waited longer
# than MAX seconds for a worker is answered 503; while the queue stands (not once under
# TARGET for INTERVAL seconds, or it stood in the last MEMORY seconds) already one that
# could no longer be answered within OVERLOAD seconds of arriving.
REQUEST_QUEUE_MAX_SECONDS = float(os.environ.get("REQUEST_QUEUE_MAX_SECONDS", "3"))
REQUEST_QUEUE_OVERLOAD_SECONDS = float(os.environ.get("REQUEST_QUEUE_OVERLOAD_SECONDS", "0.5"))
REQUEST_QUEUE_TARGET_SECONDS = 0.2
REQUEST_QUEUE_INTERVAL_SECONDS = 1.0
REQUEST_QUEUE_MEMORY_SECONDS = 5.0
REQUEST_QUEUE_RETRY_AFTER_SECONDS = 5
REQUEST_BODY_MAX_MEGABYTES = 11
REQUEST_BODY_MAX_BYTES = REQUEST_BODY_MAX_MEGABYTES * 1024 * 1024
# A document fits in a request beside the other fields of its form.
DOCUMENT_MAX_BYTES = REQUEST_BODY_MAX_BYTES - DATA_UPLOAD_MAX_MEMORY_SIZE
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# An invitation is a password-set link; a week gives a new colleague time to use it.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Accounts come by invitation only: no "no such account, sign up here" mail to any address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Meldpunt] "
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_TOLERANCE = 1
# OpenID Connect: the providers are each schema's own rows (accounts.IdentityProvider),
# handed to allauth by the adapter. Signing in never creates an account, never links one
# by e-mail on allauth's terms (that wipes passwords), and keeps no provider's tokens.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.IdentityProviderAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# A provider that does not answer costs a sign-in seconds, never a worker.
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5

SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The language button posts to set_language; no script reads the cookie.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [REPO_DIR / "frontend" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [
    (
        "utrecht",
        REPO_DIR / "frontend" / "node_modules" / "@utrecht" / "component-library-css" / "dist",
    ),
    (
        "utrecht-tokens",
        REPO_DIR / "frontend" / "node_modules" / "@utrecht" / "design-tokens" / "dist",
    ),
    ("htmx", REPO_DIR / "frontend" / "node_modules" / "htmx.org" / "dist"),
    ("chartjs", REPO_DIR / "frontend" / "node_modules" / "chart.js" / "dist"),
    ("d3-array", REPO_DIR / "frontend" / "node_modules" / "d3-array" / "dist"),
    ("d3-geo", REPO_DIR / "frontend" / "node_modules" / "d3-geo" / "dist"),
    ("topojson-client", REPO_DIR / "frontend" / "node_modules" / "topojson-client" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "meldpunt.storage.ManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(REPO_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"meldpunt@{BASE_DOMAIN}")
# A mail server that accepts the connection and then hangs must not hold a worker forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# The outbox (meldpunt/outbox.py, docs/mail.md): after a failed attempt the pause starts
# here and doubles; after the last attempt the message is marked failed for the
# administrators. 300 s and 8 attempts: tried for about 10.5 hours.
OUTBOX_FIRST_RETRY_SECONDS = int(os.environ.get("OUTBOX_FIRST_RETRY_SECONDS", "300"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
# A message claimed this long ago (its worker died while sending) is taken again. Above
# EMAIL_TIMEOUT times a batch, so a slow but living worker keeps its claim.
OUTBOX_CLAIM_TIMEOUT = int(os.environ.get("OUTBOX_CLAIM_TIMEOUT", "1800"))

REST_FRAMEWORK = {
    # The token first: DRF names the first class in WWW-Authenticate, which makes a
    # refused or missing token a 401 (with the session first it would be a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, no larger than a form may be; errors in one shape (api/errors.py).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PersonalTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("API_TOKEN_RATE", "600/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meldpunt API",
    "DESCRIPTION": (
        "API v1 van het meldpuntplatform. Elke regio heeft haar eigen API op haar eigen "
        "domein; het platformdomein heeft de regio's en de benchmark. Inloggen met een "
        "persoonlijke API-token (`Authorization: Token <sleutel>`), aan te maken onder uw "
        "account. Fouten hebben altijd de vorm "
        '`{"fout": {"code": "...", "melding": "...", "velden": {...}}}`.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PartnerResponseEnum": "workflow.models.PartnerResponse",
        "StaffResponseEnum": "api.cases.STAFF_VIA",
        "ReferralStatusEnum": "workflow.models.Referral.Status",
        "PlanActionStatusEnum": "workflow.models.PlanAction.Status",
        "MeetingKindEnum": "workflow.models.Meeting.Kind",
        "ActivityKindEnum": "statistiek.models.ActivityKind",
        "StepKindEnum": "configuratie.models.StepKind",
        "PartnerKindEnum": "configuratie.models.PartnerKind",
        "CaseLinkKindEnum": "workflow.models.CaseLink.Kind",
    },
}

CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    # No "tenant_schemas" key: the tenant-aware scheduler sends it to every region.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 3600.0,
    },
    # Each opted-in region adds its figures of finished quarters to the national benchmark.
    "produce-benchmark": {
        "task": "statistiek.tasks.produce_benchmark",
        "schedule": 6 * 3600.0,
    },
    # Each region counts its finished months that have no figures yet, or whose figures
    # a change removed (statistiek/monthly.py); the statistics page reads those.
    "refresh-monthly-figures": {
        "task": "statistiek.tasks.refresh_monthly_figures",
        "schedule": 300.0,
    },
    # Long jobs (yearly reports, retention and review runs) whose task never reached a
    # worker (broker down) are queued again; those whose worker died are resumed or
    # marked failed (meldpunt.jobs).
    "recover-jobs": {
        "task": "meldpunt.tasks.recover_jobs",
        "schedule": 60.0,
    },
    # Uploads that waited in quarantine while the virus scanner was down.
    "scan-quarantined-documents": {
        "task": "workflow.tasks.scan_quarantined_documents",
        "schedule": 60.0,
    },
    # Sends what is due in the outbox (broker or mail server down, or a retry's time come).
    "deliver-outbox": {
        "task": "meldpunt.tasks.deliver_outbox",
        "schedule": 60.0,
    },
    # The same for the platform's own mail (national administrators), in the public schema,
    # which the tenant-aware scheduler leaves out of "every region".
    "deliver-platform-outbox": {
        "task": "meldpunt.tasks.deliver_outbox",
        "schedule": 60.0,
        "tenant_schemas": ["public"],
    },
    # Every morning: each user hears how much work waits (a count and a link), unless
    # they chose "nooit"; a second run on the same day sends nothing.
    "send-work-digests": {
        "task": "workflow.tasks.send_work_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Each region notices matches with other regions it missed (a task of another
    # region's that never reached a worker); docs/matching.md.
    "notice-match-signals": {
        "task": "workflow.tasks.notice_match_signals",
        "schedule": crontab(minute=40),
    },
    # Partner contacts are reminded once as an answer-by date nears, once when it passed.
    "remind-partners": {
        "task": "workflow.tasks.remind_partners",
        "schedule": crontab(minute=15),
    },
    # A sent e-mail's body (the first one holds the follow-up secret) and recipient
    # are erased within minutes.
    "purge-sent-email": {
        "task": "privacy.tasks.purge_sent_email",
        "schedule": 300.0,
    },
    # At night: what each case waits on derived again from its records, mending what a
    # process that did not keep a value wrote meanwhile (workflow/waiting.py).
    "recompute-what-cases-wait-on": {
        "task": "workflow.tasks.recompute_what_cases_wait_on",
        "schedule": crontab(hour=3, minute=45),
    },
    # At night: anonymise what has passed its retention period, remove expired audit lines.
    "apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    # Monday morning: last week's unusual access, for the privacy officer.
    "review-access": {
        "task": "privacy.tasks.review_access",
        "schedule": crontab(hour=6, minute=0, day_of_week=1),
    },
}
# Long jobs (meldpunt.jobs): a running job writes a heartbeat this often; one silent for
# longer than the bound lost its worker and is resumed while it has attempts left.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "15"))
JOB_STALLED_AFTER_SECONDS = float(os.environ.get("JOB_STALLED_AFTER_SECONDS", "120"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "2"))
# NEN 7513: audit lines are kept at least five years; the database refuses less.
AUDIT_RETENTION_MONTHS = int(os.environ.get("AUDIT_RETENTION_MONTHS", "60"))
# Reading the audit log needs a second factor no older than this (seconds).
PRIVACY_SECOND_FACTOR_MAX_AGE = 300
# A request never waits for an unreachable broker: the outbox retries later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}

# JSON lines in production, plain text on a developer machine; never personal data in either.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "meldpunt.logs.PersonalDataFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "meldpunt.logs.JsonLogFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["no_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and its font library log every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if not DEBUG:
    # No SECURE_PROXY_SSL_HEADER: Django would believe it from anyone. gunicorn sets the
    # scheme from X-Forwarded-Proto only for a peer in TRUSTED_PROXIES.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True


def refuse_insecure_production() -> None:
    problems = []
    if len(SECRET_KEY) < 50 or SECRET_KEY == INSECURE_DEV_SECRET or len(set(SECRET_KEY)) < 5:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if DEMO_MODE:
        problems.append("DEMO_MODE lets demo accounts skip MFA and is refused without DEBUG")
    if not FIELD_ENCRYPTION_KEYS:
        problems.append("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key")
    if len(BLIND_INDEX_KEY) < 32:
        problems.append("BLIND_INDEX_KEY must be set to a random value of at least 32 characters")
    if len(MATCHING_KEY) < 32 or MATCHING_KEY == BLIND_INDEX_KEY:
        problems.append(
            "MATCHING_KEY must be set to a random value of at least 32 characters,"
            " other than BLIND_INDEX_KEY"
        )
    if BASE_DOMAIN in {"localhost", ""}:
        problems.append("BASE_DOMAIN must be the public domain of the platform")
    if AUDIT_RETENTION_MONTHS < 60:
        problems.append("AUDIT_RETENTION_MONTHS must be at least 60 (NEN 7513: five years)")
    if PUBLIC_URL_SCHEME != "https":
        problems.append("PUBLIC_URL_SCHEME must be https")
    if SECURE_SSL_REDIRECT and not TRUSTED_PROXIES:
        problems.append(
            "TRUSTED_PROXIES must name the TLS-terminating proxy: without it every request"
            " through the proxy is redirected to HTTPS again and all clients share its address"
            " (set SECURE_SSL_REDIRECT=0 only where no proxy is in front)"
        )
    if problems:
        raise ImproperlyConfigured("Insecure production settings: " + "; ".join(problems))


if not DEBUG:
    refuse_insecure_production()

init_sentry(os.environ.get("SENTRY_DSN", ""), environment="development" if DEBUG else "production")
