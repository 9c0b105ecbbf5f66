"""Settings for the DER-integration initiative platform, all read from the environment.

One module for every deployment: `make run` relies on the embedded defaults (SQLite, an embedded SQLite
Celery broker, the database cache), docker-compose and CI set DATABASE_URL and REDIS_URL. Nothing here
reads another module's settings at import time.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from initiative.broker import embedded_broker

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ---------------------------------------------------------------------------------------------------
# CORE
# ---------------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or .env); only DEBUG=true runs without one."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/docs/, served as our own static files
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "axes",
    "initiative",
    "workstreams",
    "consultations",
    "webinars",
    "discovery",
]

MIDDLEWARE = [
    "initiative.middleware.RefuseMalformedRequestsMiddleware",
    "initiative.readcache.RequestScope",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "initiative.urls"
WSGI_APPLICATION = "initiative.wsgi.application"
ASGI_APPLICATION = "initiative.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "initiative.context_processors.site",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------------
# DATABASES
# ---------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Parameters bound by the server, and a statement run a few times on a connection prepared there
    # (psycopg's automatic preparation): PostgreSQL then parses and plans it once per connection, not
    # on every request — about a third of its CPU time per comment posted. Off behind a pooler in
    # transaction mode (PgBouncer without max_prepared_statements), which cannot keep them.
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env.int("DB_PREPARE_THRESHOLD", 5)
    if env.bool("DB_POOL", default=not DEBUG):
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 1, "max_size": env.int("DB_POOL_MAX", 10)}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the Celery worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------------
# CACHES
# ---------------------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Rate limits and log-in limits count in the cache, so it must be one that every process shares (a
# per-process local-memory cache lets each gunicorn worker count on its own): Redis, or else a table in
# the database (created by `migrate`, see initiative/apps.py). `check --deploy` warns about any other.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "initiative.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
# Reads every request makes that rarely change (the signed-in user and their roles, a review's questions,
# a deliverable's withheld words, a draft's versions) are kept in Redis and made stale by any write to
# their rows (initiative/readcache.py). A database cache would cost the query it saves, so not without
# Redis.
READ_CACHE_SECONDS = env.int("READ_CACHE_SECONDS", default=600 if REDIS_URL else 0)
# Sessions live in the database; with Redis they are also read through the cache (write-through), which
# saves a query on every signed-in request. A database cache would only add one, so not without Redis.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)

# ---------------------------------------------------------------------------------------------------
# AUTHENTICATION
# ---------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "initiative.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, reading the signed-in user through the shared read cache
    "initiative.auth.ModelBackend",
    "initiative.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "initiative:account"
LOGOUT_REDIRECT_URL = "initiative:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "initiative.forms.SignupProfileForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DER Initiative] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# allauth's log-in and sign-up limits count per client address: the same one as the rest of the site.
ACCOUNT_ADAPTER = "initiative.security.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}

# django-axes: lock a (username, IP) pair after repeated failures, never a username alone, so nobody can
# lock a victim out by guessing at their address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "initiative.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "initiative.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False

# ---------------------------------------------------------------------------------------------------
# MFA
# ---------------------------------------------------------------------------------------------------
# allauth's second factors: authenticator apps (TOTP), recovery codes and passkeys / security keys
# (WebAuthn). Required for the implementation team, the steering committee and admin users (the policy
# says who, `initiative.security.SecondFactorRequiredMiddleware` enforces it); optional for others.
INSTALLED_APPS.insert(INSTALLED_APPS.index("allauth.account") + 1, "allauth.mfa")
MIDDLEWARE.append("initiative.security.SecondFactorRequiredMiddleware")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "DER Initiative"
# a code typed as its 30 s period ends still counts (RFC 6238 §5.2: one period of delay); a used code is
# refused for the whole window all the same (allauth keeps it)
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False  # a passkey is a second factor here, not a password replacement
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 in `make run`
# Wrong codes count against allauth's "login_failed" limit (ACCOUNT_RATE_LIMITS above) per account:
# after 5 in 5 minutes even the right code is refused until the window passes.

# ---------------------------------------------------------------------------------------------------
# REST FRAMEWORK
# ---------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Programs send `Authorization: Bearer <token>` (personal tokens, initiative.ApiToken); the site's own
    # htmx keeps the session (with CSRF).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "initiative.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A read-scoped token is refused unsafe methods everywhere; views naming their own permission
    # classes use policy.PolicyPermission, which checks the same.
    "DEFAULT_PERMISSION_CLASSES": ["initiative.policy.TokenScopePermission"],
    "DEFAULT_PAGINATION_CLASS": "initiative.listing.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "initiative.api.errors.AutoSchema",
    "EXCEPTION_HANDLER": "initiative.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.ScopedRateThrottle",
        "initiative.tokens.TokenRateThrottle",
        "initiative.tokens.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "comments": "30/hour",
        "signups": "20/hour",
        "token": env.str("API_TOKEN_RATE", default="5000/hour"),
        "anonymous": env.str("API_ANONYMOUS_RATE", default="1000/hour"),
    },
}
KNOX_TOKEN_MODEL = "initiative.ApiToken"
# knox's own migrations create its (here swapped-out) AuthToken table regardless; as an unmigrated app it
# creates none, since Django skips swapped models.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_PREFIX": "der_",  # recognizable by secret scanners
    "AUTO_REFRESH": False,  # a token lives until the expiry its owner chose
}
API_TOKEN_LIFETIMES_DAYS = [30, 90, 365]
SPECTACULAR_SETTINGS = {
    "TITLE": "DER Integration Initiative API",
    "DESCRIPTION": "Tracks, workstreams, deliverables and consultations of the national initiative.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/: Swagger UI from the sidecar's static files; no validator badge (it would call
    # validator.swagger.io, which the CSP refuses anyway).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "displayOperationId": False},
    # One name for the review stages wherever they appear (a deliverable's stage, a transition's target).
    "ENUM_NAME_OVERRIDES": {
        "ReviewStageEnum": "workstreams.models.ReviewStage",
        "StakeholderTypeEnum": "initiative.models.StakeholderType",
        "StepStatusEnum": "workstreams.models.StepStatus",
        "RoundStatusEnum": "workstreams.models.RoundStatus",
        "SessionStatusEnum": "workstreams.models.WorkingSession.Status",
        "SessionKindEnum": "workstreams.models.SessionKind",
        "ActionItemStatusEnum": "workstreams.models.ActionItemStatus",
        "DeliverableKindEnum": "workstreams.models.DeliverableKind",
        "GlossaryTermKindEnum": "workstreams.models.GlossaryTerm.Kind",
        "GlossaryTermStatusEnum": "workstreams.models.TermStatus",
        "RegistrationStatusEnum": "webinars.models.Registration.Status",
        "WebinarStatusEnum": "webinars.models.Webinar.Status",
    },
}

# ---------------------------------------------------------------------------------------------------
# CELERY
# ---------------------------------------------------------------------------------------------------
# Redis when REDIS_URL is set; otherwise the embedded broker (initiative/broker.py): a SQLite file under
# var/celery/, which needs no server and is shared by every process on this machine.
if env.str("CELERY_BROKER_URL", default=""):
    # An explicit broker (the benchmark uses "memory://" so a burst leaves nothing queued behind it).
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
elif REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = embedded_broker(VAR_DIR / "celery")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {
        "task": "workstreams.expire_invitations",
        "schedule": crontab(minute="*/15"),
    },
    "close-prioritization-rounds": {
        "task": "workstreams.close_rounds",
        "schedule": crontab(minute="*/5"),
    },
    "action-item-reminders": {
        "task": "workstreams.send_action_item_reminders",
        "schedule": crontab(minute=7),
    },
    "track3-reevaluations": {
        "task": "workstreams.open_reevaluations",
        "schedule": crontab(minute=17, hour=12),
    },
    "deliverable-digests": {
        "task": "workstreams.send_deliverable_digests",
        "schedule": crontab(minute=0, hour=13, day_of_week=1),
    },
    "webinars-sweep": {
        "task": "webinars.sweep",
        "schedule": crontab(minute="*/5"),
    },
}
# One digest of new comments to staff, not one email per comment
CELERY_BEAT_SCHEDULE["consultations-comment-digest"] = {
    "task": "consultations.send_comment_digest",
    "schedule": crontab(minute=0),
}

# ---------------------------------------------------------------------------------------------------
# EMAIL
# ---------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # well under NOTIFICATION_CLAIM_LEASE_SECONDS
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DER Initiative <noreply@der-initiative.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------------------------------
# SECURITY
# ---------------------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the compose nginx (which overwrites X-Forwarded-For with the address it saw), the client's
# address is that header; without a proxy it must never be trusted (anyone could pick their own).
# initiative.ratelimit.client_address reads it, for the site's limits, axes and allauth alike.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health checks come over plain HTTP from inside the network
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # htmx adds its indicator styles inline; nothing else does.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

# ---------------------------------------------------------------------------------------------------
# INTERNATIONALIZATION
# ---------------------------------------------------------------------------------------------------
# English is the default (and what a request without Accept-Language, a cookie or an account preference
# gets); Spanish covers the public site and its emails. LocaleMiddleware reads the `django_language`
# cookie that `set_language` writes, then Accept-Language. Staff and committee pages stay English-only
# in their own strings (see docs/ARCHITECTURE.md, "i18n").
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Staff-written text (drafts, webinar descriptions, the report's text) may carry a Spanish version in
# `<field>_es` columns; English is the fallback when it is empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_AUTO_POPULATE = "default"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------------------------------
# STATIC AND MEDIA
# ---------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ---------------------------------------------------------------------------------------------------
# LOGGING
# ---------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# ---------------------------------------------------------------------------------------------------
# INITIATIVE
# ---------------------------------------------------------------------------------------------------
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=14)
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="der-initiative-demo")
# Webinar sign-ups allowed per client IP: "<count>/<s|m|h|d>". The benchmark raises it.
WEBINAR_SIGNUP_RATE = env.str("WEBINAR_SIGNUP_RATE", default="10/h")
# Mailing-list sign-ups (each sends a confirmation email): per client address, and per email address.
MAILING_LIST_SIGNUP_RATE = env.str("MAILING_LIST_SIGNUP_RATE", default="10/h")
MAILING_LIST_SIGNUP_RATE_PER_ADDRESS = env.str("MAILING_LIST_SIGNUP_RATE_PER_ADDRESS", default="3/h")
# A seat whose holder has not confirmed their address this long after getting it goes to the waitlist.
WEBINAR_CONFIRM_WITHIN_HOURS = env.int("WEBINAR_CONFIRM_WITHIN_HOURS", default=48)

# ---------------------------------------------------------------------------------------------------
# REVIEW WORKFLOW (consultations)
# ---------------------------------------------------------------------------------------------------
# Steering-committee votes: more than this fraction of the sitting members must vote (abstentions
# count toward the quorum); "simple" or "two_thirds" majority of the non-abstaining votes approves.
APPROVAL_QUORUM_FRACTION = env.float("APPROVAL_QUORUM_FRACTION", default=0.5)
APPROVAL_MAJORITY = env.str("APPROVAL_MAJORITY", default="simple")
APPROVAL_REMINDER_HOURS = env.int("APPROVAL_REMINDER_HOURS", default=48)
APPROVAL_VOTING_DAYS = env.int("APPROVAL_VOTING_DAYS", default=14)  # when staff give no voting deadline
# An outbox row claimed by a worker that died is taken again after this lease (longer than any SMTP
# send: EMAIL_TIMEOUT); with the sweep every minute, a fan-out finishes within ~3 minutes of a crash.
NOTIFICATION_CLAIM_LEASE_SECONDS = env.int("NOTIFICATION_CLAIM_LEASE_SECONDS", default=120)
NOTIFICATION_BATCH_PER_RUN = env.int("NOTIFICATION_BATCH_PER_RUN", default=500)
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {
    "task": "initiative.sweep_outbox",
    "schedule": crontab(minute="*"),
}
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {
    "task": "initiative.sweep_notifications",
    "schedule": crontab(minute="*/5"),
}
CELERY_BEAT_SCHEDULE["notifications-digest"] = {  # one email a day per person choosing the digest
    "task": "initiative.send_notification_digests",
    "schedule": crontab(minute=0, hour=env.int("NOTIFICATION_DIGEST_HOUR_UTC", default=12)),
}
CELERY_BEAT_SCHEDULE["consultations-sweep-reviews"] = {
    "task": "consultations.sweep_reviews",
    "schedule": crontab(minute="*/5"),
}
CELERY_BEAT_SCHEDULE["consultations-sweep-approvals"] = {
    "task": "consultations.sweep_approvals",
    "schedule": crontab(minute="*/5"),
}
# Remind invited organizations that have not answered, once, two days before a consultation closes
CELERY_BEAT_SCHEDULE["consultations-remind-outreach"] = {
    "task": "consultations.remind_outreach",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["initiative-sweep-document-approvals"] = {
    "task": "initiative.sweep_document_approvals",
    "schedule": crontab(minute="*/5"),
}
