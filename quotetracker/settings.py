"""Django settings for QuoteTracker, read from the environment.

Every setting a deployment may change is an environment variable (README.md
lists them). Development needs none: SQLite under var/ and a Celery broker on
the filesystem; importing the settings creates no folder (the processes that use
var/ make it: quotetracker/local_dirs.py). With QUOTETRACKER_ENV=production the
settings refuse to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import datetime
import math
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QUOTETRACKER_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable: "1", "true", "yes" and "on" are true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_fraction(name: str, default: str) -> float:
    """Read a number from 0 to 1; anything else refuses to start, naming the variable."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:  # also false for NaN
        raise ImproperlyConfigured(f"{name} must be a number from 0 to 1")
    return value


def env_int(name: str, default: str, minimum: int) -> int:
    """Read a whole number of at least ``minimum``; anything else refuses to start, naming the variable."""
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}")
    return value


def env_positive_int(name: str, default: str) -> int:
    """Read a whole number of at least 1."""
    return env_int(name, default, 1)


PRODUCTION = os.environ.get("QUOTETRACKER_ENV", "development") == "production"

if PRODUCTION:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:  # what `check --deploy` asks of a key, in production
        raise ImproperlyConfigured("DJANGO_SECRET_KEY (50+ characters, 5 different) is required")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production")
    # No silent fallback to the development SQLite file and filesystem broker.
    for _name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        if not os.environ.get(_name):
            raise ImproperlyConfigured(f"{_name} is required in production")
    DEBUG = False
else:
    # A development-only key: production refuses to start without its own.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
    DEBUG = env_bool("DJANGO_DEBUG", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "quotes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in on the admin's login page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in lock-out (django-axes), on the admin's login page and /api/auth/token/: after
# LOGIN_FAILURE_LIMIT failed sign-ins for one account, or from one address, that account or
# address is refused (429, before any password hashing) for LOGIN_LOCKOUT_MINUTES; a
# successful sign-in clears its count. Counted in the database, so every web process shares it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "quotetracker.auth.ModelPermissionsBackend",  # ModelBackend, its permissions read in one query
]
AXES_FAILURE_LIMIT = env_positive_int("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_positive_int("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "quotetracker.client_address.client_address"
AXES_VERBOSE = False  # no banner on every manage.py command and worker start

if PRODUCTION:
    # The app serves its own static files (collectstatic's output), compressed, with
    # far-future cache headers on the hashed names: no separate web server needed.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# Benchmark mode (scripts/bench_scale.py): mounts /bench/bare/ and adds an X-Query-Count
# header to every response (quotetracker/bench.py). Off unless asked for.
BENCH_VIEWS = env_bool("QUOTETRACKER_BENCH", False)
if BENCH_VIEWS:
    MIDDLEWARE.insert(0, "quotetracker.bench.QueryCountMiddleware")  # outermost: counts every query

ROOT_URLCONF = "quotetracker.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "quotetracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A reused connection the database dropped (a restart, a failover) is noticed and
        # replaced at the start of the next request, not as an error in it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parallel query off by default: requests are short and many run at once, and a parallel
    # plan's start (launching its workers: ~10 ms here) costs more than it saves and takes the
    # cores other requests are using. A speaker's ranked search at 1M statements: 35 -> 25 ms
    # in one process. Commands that scan whole tables may ask for workers with this variable.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _parallel = env_int("DATABASE_PARALLEL_WORKERS", "0", 0)
    _parallel_option = f"-c max_parallel_workers_per_gather={_parallel}"
    _options["options"] = f"{_options.get('options', '')} {_parallel_option}".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write at once: wait for the lock instead of
    # failing, and take it at the start of each transaction to avoid deadlocks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
if PRODUCTION:
    # Hashed, compressed copies made by collectstatic; whitenoise serves them.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Request bodies: an article is at most ARTICLE_MAX_CHARS characters; the body
# limit leaves room for JSON escaping and metadata, and refuses anything larger.
ARTICLE_MAX_CHARS = int(os.environ.get("ARTICLE_MAX_CHARS", "200000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024)))

# The timeline hides machine-found statements below this confidence unless a
# person verified them (?show=all shows them); 0 hides nothing. The extractor's
# rules score 0.5-0.9, its learned models below 0.5.
TIMELINE_MIN_CONFIDENCE = env_fraction("TIMELINE_MIN_CONFIDENCE", "0.5")

# A page of one speaker's statements narrowed by what no index serves (kind, review state,
# confidence, words) reads at most this many of their links past its cursor (in each of the
# dated and undated parts of the record), then stops with a link to go on (quotes.keyset.Walk):
# a filter that matches one statement in ten thousand costs a leader's page what a common one does.
SPEAKER_WALK_LIMIT = env_positive_int("SPEAKER_WALK_LIMIT", "2000")

# Security headers, in every environment (so development shows what production refuses):
# X-Content-Type-Options: nosniff, Referrer-Policy, and a Content-Security-Policy (django-csp)
# that allows this site's own scripts, styles, images and fonts only. Inline styles are
# allowed (Swagger UI's page has a <style> block; the admin sets style attributes); inline
# scripts are not (the API docs load their script from a URL: SpectacularSwaggerSplitView).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "3600"))
    # Decided: HSTS for subdomains and the browsers' preload list bind every other service on
    # the domain, which is the deployer's call, not this app's: off unless asked for, and
    # `check --deploy`'s two warnings about them (W005, W021) silenced (README, "Serving").
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# One cache for every web process (the throttles' counters live there, so N processes allow
# the rate once, not N times): Redis when CACHE_URL (or REDIS_URL) names one, else a table in
# the database (made by the migrations: quotes/migrations/0010_cache_table.py). Waits on Redis
# are bounded, and a Redis outage lets requests through rather than failing them.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "quotetracker",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Without Redis, a table. Past MAX_ENTRIES (300 by default) every set deletes the expired rows,
# then a third of the others, first keys first (":1:fetch:..." before ":1:throttle_..."): the
# throttles' counters of a few hundred clients would free the fetchers' per-host slots. Each
# set counts the rows (about 2 ms at 20,000 on PostgreSQL), so not unbounded either.
DATABASE_CACHE = {"BACKEND": "quotetracker.cache.DatabaseCache", "LOCATION": "quotetracker_cache",
                  "OPTIONS": {"MAX_ENTRIES": 20_000}}
if not CACHE_URL:
    CACHES = {"default": DATABASE_CACHE}

REST_FRAMEWORK = {
    # Token first: DRF answers an unauthenticated request with 401 only when the
    # first class names a WWW-Authenticate scheme (Session has none, so it was a
    # 403). A request without a token header falls through to the session, which
    # still enforces CSRF for the admin and the browsable API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are open; every write needs a staff user with the model permission for it.
    "DEFAULT_PERMISSION_CLASSES": ["quotes.api.permissions.StaffWithModelPermissionsOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "quotes.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "quotes.api.throttles.SignedInRateThrottle",  # signed-in users; anonymous ones are anon's
    ],
    # Throttles count per client address: REMOTE_ADDR, or with NUM_PROXIES trusted proxies in
    # front the address the nearest of them saw (X-Forwarded-For); a header a client invents
    # changes nothing. 0 (the default) ignores X-Forwarded-For altogether.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", "0", 0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
        # Anonymous exports (quotes.api.export): each may stream 100,000 rows and more.
        "export": os.environ.get("API_THROTTLE_EXPORT", "10/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "quotes.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "quotes.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "QuoteTracker API",
    "DESCRIPTION": "Who said what, when, and where it was reported.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page serves Swagger UI from our static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets share the field name "kind": name their enums explicitly.
    # Every 400 and 404 the API answers, declared (quotes.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums", "quotes.api.schema.declare_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StatementKindEnum": "quotes.models.Statement.Kind",
        "AliasKindEnum": "quotes.models.SpeakerAlias.Kind",
    },
}

# Celery. With no CELERY_BROKER_URL the broker is kombu's filesystem transport:
# no server to run, yet a real worker process consumes the queue.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
# Every wait on the broker is bounded: a broker that refuses, or accepts and never answers,
# costs a request a few seconds (connect, one retry), then the article stays pending for the
# recovery sweep. Without these a hanging broker held a request for minutes.
BROKER_CONNECT_TIMEOUT = 2.0
BROKER_SOCKET_TIMEOUT = 3.0


def broker_transport_options(url: str) -> dict:
    """The transport options of the broker at ``url``: folders for the filesystem, timeouts for Redis."""
    if url.startswith("filesystem://"):
        broker_dir = VAR_DIR / "broker"  # made by manage.py, workers and beat: local_dirs.py
        return {
            "data_folder_in": str(broker_dir / "queue"),
            "data_folder_out": str(broker_dir / "queue"),
            "processed_folder": str(broker_dir / "processed"),
            "control_folder": str(broker_dir / "control"),
            "store_processed": False,
        }
    return {
        "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_keepalive": True,
        # Publishing: kombu's own reconnect loop is bounded too.
        "max_retries": 1,
    }


CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_BROKER_URL)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
# Sending a task: one quick retry, then the sender logs the outage (quotes.tasks) and moves on.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5,
                                    "interval_max": 0.5}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "quotetracker")
# The near-duplicate search is served after every extraction waiting on the queue (on Redis
# priority 0 is served first and 9 last; extractions carry none, which is 0): a reviewer's
# help may trail the statements it compares by seconds, it should not delay the next
# article's. The filesystem broker (development) ignores priorities.
CELERY_TASK_ROUTES = {"quotes.find_duplicates": {"queue": CELERY_TASK_DEFAULT_QUEUE, "priority": 9}}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connections before and after every task unless
# told to reuse them: a new PostgreSQL connection per task, twice. Reused instead, by Django's
# own rule (CONN_MAX_AGE, and a broken one dropped) at each task's start and end (quotes.tasks);
# the fixup then closes them only every CELERY_DB_REUSE_MAX tasks.
CELERY_DB_REUSE_MAX = 1000
# A pool process loads the extraction engine as it starts (quotes.tasks), a few seconds on a
# busy machine; Celery's default 4 s would kill it as "not up" and start another, forever.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60.0
# The extraction's limits, read by each worker from its own environment (quotes.tasks sends
# no limit in the message, so the web process's settings never override a worker's).
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Database timeouts of the workers (scale-ingest) -------------------------------------------
# Celery's soft time limit cannot interrupt a query blocked in the database, so a worker
# sets these on every connection it opens (PostgreSQL: quotes.tasks): a query running
# longer, or waiting for a lock longer, fails the attempt with OperationalError, which the
# task retries. Milliseconds; below the tasks' soft time limits. The web server, commands
# and migrations keep PostgreSQL's defaults (no limit): a migration may rightly take long.
DATABASE_STATEMENT_TIMEOUT_MS = env_positive_int("DATABASE_STATEMENT_TIMEOUT_MS", "60000")
DATABASE_LOCK_TIMEOUT_MS = env_positive_int("DATABASE_LOCK_TIMEOUT_MS", "10000")
# The near-duplicate search of one article's statements (quotes.find_duplicates).
DUPLICATES_SOFT_TIME_LIMIT = env_positive_int("DUPLICATES_SOFT_TIME_LIMIT", "120")
_soft_limit_ms = 1000 * min(CELERY_TASK_SOFT_TIME_LIMIT, DUPLICATES_SOFT_TIME_LIMIT)
if _soft_limit_ms <= DATABASE_STATEMENT_TIMEOUT_MS:
    raise ImproperlyConfigured("DATABASE_STATEMENT_TIMEOUT_MS must be below the tasks' soft time limits")
if DATABASE_LOCK_TIMEOUT_MS > DATABASE_STATEMENT_TIMEOUT_MS:
    raise ImproperlyConfigured("DATABASE_LOCK_TIMEOUT_MS must not exceed DATABASE_STATEMENT_TIMEOUT_MS")
# ------------------------------------------------------------------------ end of database timeouts

# Recovery of extractions a broker outage or a dead worker left pending or running:
# Celery beat sends the sweep every EXTRACTION_REQUEUE_INTERVAL seconds, and it queues
# again the articles untouched for EXTRACTION_STALE_MINUTES.
EXTRACTION_REQUEUE_INTERVAL = env_positive_int("EXTRACTION_REQUEUE_INTERVAL", "300")
EXTRACTION_STALE_MINUTES = env_positive_int("EXTRACTION_STALE_MINUTES", "15")
if EXTRACTION_STALE_MINUTES * 60 <= CELERY_TASK_TIME_LIMIT:
    # Shorter, and an extraction still within its time limit would be queued a second time.
    raise ImproperlyConfigured("EXTRACTION_STALE_MINUTES must be longer than CELERY_TASK_TIME_LIMIT")
# A timed-out extraction is queued again by the sweep this many times in a row (after
# EXTRACTION_STALE_MINUTES, then twice that, ...), then left failed with the reason.
EXTRACTION_TIMEOUT_RETRIES = env_int("EXTRACTION_TIMEOUT_RETRIES", "2", 0)
# An extraction left running (its worker killed, out of memory...) is sent again this many
# times in a row (by the sweep, or by the broker handing its job back), then failed as
# worker_lost: an article that kills its worker stops.
EXTRACTION_LOST_RETRIES = env_int("EXTRACTION_LOST_RETRIES", "2", 0)
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-extractions": {
        "task": "quotes.requeue_stale_extractions",
        "schedule": float(EXTRACTION_REQUEUE_INTERVAL),
        # A sweep nobody ran before the next is due is dropped, not piled up behind a stopped worker.
        "options": {"expires": EXTRACTION_REQUEUE_INTERVAL},
    },
}
# Articles from URLs and feeds (issue #14) ----------------------------------------------------
# What a fetch may connect to, despite the rules against private, loopback, link-local...
# addresses (quotes.fetching.addresses): comma-separated addresses, CIDR networks or host
# names, for an intranet or a local test server; the port rule is waived for them too.
FETCH_ALLOW_NETWORKS = env_list("FETCH_ALLOW_NETWORKS")
FETCH_ALLOWED_PORTS = env_list("FETCH_ALLOWED_PORTS", "80,443")
if not all(p.isdigit() and 0 < int(p) < 65536 for p in FETCH_ALLOWED_PORTS):
    raise ImproperlyConfigured("FETCH_ALLOWED_PORTS must be port numbers, comma-separated")
FETCH_ALLOWED_PORTS = [int(p) for p in FETCH_ALLOWED_PORTS]
FETCH_MAX_BYTES = env_positive_int("FETCH_MAX_BYTES", str(5 * 1024 * 1024))
FETCH_TIMEOUT = env_positive_int("FETCH_TIMEOUT", "20")  # seconds, the whole fetch
# The User-Agent names the project and how to reach its operator (a URL or an e-mail address).
FETCH_CONTACT = os.environ.get("FETCH_CONTACT", "")
FETCH_PER_HOST_CONCURRENCY = env_positive_int("FETCH_PER_HOST_CONCURRENCY", "2")
FETCH_PER_HOST_DELAY_MS = env_positive_int("FETCH_PER_HOST_DELAY_MS", "1000")  # between two starts
FETCH_RESPECT_ROBOTS = env_bool("FETCH_RESPECT_ROBOTS", True)
# A feed is polled every FEED_POLL_INTERVAL seconds unless it says otherwise; a failing one
# waits twice as long after each failure, up to a day. Beat looks for due feeds every
# FEEDS_POLL_EVERY seconds.
FEED_POLL_INTERVAL = env_positive_int("FEED_POLL_INTERVAL", "900")
FEEDS_POLL_EVERY = env_positive_int("FEEDS_POLL_EVERY", "60")
CELERY_BEAT_SCHEDULE["poll-due-feeds"] = {
    "task": "quotes.poll_due_feeds",
    "schedule": float(FEEDS_POLL_EVERY),
    "options": {"expires": FEEDS_POLL_EVERY},
}
# ------------------------------------------------------------------------ end of feeds

# Beat remembers when it last sent each entry; like the other local state, under var/.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
