"""Glimpse settings: one module, driven by environment variables.

With no variable set, the embedded default runs: SQLite, files on disk, an in-process cache,
jobs run eagerly in-process and an in-memory channel layer. Setting ``DATABASE_URL``,
``REDIS_URL`` and ``CELERY_BROKER_URL`` moves each part onto a real service, and
``GLIMPSE_ENV=production`` turns on the hardened production configuration.
"""

import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from glimpse.core.sentry import sentry_init

# Models, managers and admin classes name their type parameters (ModelAdmin[Post]), as the
# type checker asks; Django's own classes learn to accept them at run time here.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GLIMPSE_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable."""
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


GLIMPSE_ENV = os.environ.get("GLIMPSE_ENV", "development")
PRODUCTION = GLIMPSE_ENV == "production"
TESTING = env_bool("GLIMPSE_TESTING", "pytest" in sys.modules)

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (50+ random characters) in production.")
    # A development-only key, never used when GLIMPSE_ENV=production.
    SECRET_KEY = "glimpse-development-key-not-for-production-" + "x" * 20

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, on a site whose log-in is the site's own (with its second step).
    "glimpse.accounts.admin_app.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Registers PostgreSQL's lookups (trigram_similar for search) on PostgreSQL connections
    # only; on SQLite it adds nothing.
    "django.contrib.postgres",
    "channels",
    "django_htmx",
    "ninja",
    "oauth2_provider",
    "glimpse.core",
    "glimpse.accounts",
    "glimpse.media",
    "glimpse.graph",
    "glimpse.posts",
    "glimpse.feeds",
    "glimpse.search",
    "glimpse.notifications",
    "glimpse.stories",
    "glimpse.push",
    "glimpse.messages",
    "glimpse.realtime",
    "glimpse.insights",
    "glimpse.moderation",
    "glimpse.privacy",
    "glimpse.imports",
    "glimpse.mastodon",
    "glimpse.federation",
    "glimpse.web",
    "glimpse.demo",
]

AUTHENTICATION_BACKENDS = ["glimpse.accounts.backends.UsernameOrEmailBackend"]

MIDDLEWARE = [
    "glimpse.core.metrics.MetricsMiddleware",
    "glimpse.core.request_id.RequestIdMiddleware",
    "glimpse.core.site.SiteUrlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "glimpse.core.security.SecurityHeadersMiddleware",
    # Browser apps (Phanpy, Elk) call the client API from their own origin.
    "glimpse.mastodon.cors.ClientApiCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "glimpse.core.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "glimpse.core.middleware.RefuseNulMiddleware",
    "glimpse.core.throttle.RequestThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "glimpse" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "glimpse.notifications.context_processors.notifications",
                "glimpse.messages.context_processors.messages_unread",
                "glimpse.moderation.context_processors.moderation",
                "glimpse.core.context_processors.site",
            ],
            # Tags every template may use without loading them.
            "builtins": ["glimpse.core.templatetags.icons", "glimpse.core.templatetags.paths"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's psycopg pool instead of persistent connections: under an ASGI server,
        # CONN_MAX_AGE opens a connection per request and can exhaust the server's slots.
        DATABASES["default"]["OPTIONS"] = {
            "pool": {
                "min_size": env_int("DATABASE_POOL_MIN", 1),
                "max_size": env_int("DATABASE_POOL_MAX", 10),
                # How long a request waits for a connection: short, so that requests fail
                # fast (503) while the database is down instead of piling up.
                "timeout": env_int("DATABASE_POOL_TIMEOUT", 3),
            },
            # No JIT compilation: on a query the planner thinks costly (a search's policy
            # check on a million posts) it spent 200 ms compiling what ran in less; web
            # reads are short, and JIT pays only on long reports.
            "options": "-c jit=off",
        }
        if env_bool("GLIMPSE_DB_PREPARE", True):
            # The hot reads' statements are prepared on the server on their first run
            # (glimpse/core/prepared.py); only their cursors bind on the server, so nothing
            # else is prepared. Off for a pooler that cannot keep prepared statements.
            DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 0
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite creates its file, not the folder
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "glimpse.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while a writer commits; IMMEDIATE avoids
                # "database is locked" upgrades from read to write locks.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too, not SQLite's shared in-memory database: there a write of
            # the browser tests' live server meets the test's own connection with "database
            # table is locked" at once, where a file waits its turn as in production.
            "TEST": {"NAME": str(DATA_DIR / "test-glimpse.sqlite3")},
        }
    }

# Read replicas (comma-separated URLs, with DATABASE_URL set): safe requests read from them,
# everything else uses the primary; docs/deployment.md.
GLIMPSE_DATABASE_REPLICAS: list[str] = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []) if DATABASE_URL else [], 1):
    alias = f"replica{number}"
    DATABASES[alias] = dj_database_url.parse(url, conn_max_age=0)
    DATABASES[alias]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}
    GLIMPSE_DATABASE_REPLICAS.append(alias)
GLIMPSE_REPLICA_LAG_SECONDS = env_int("GLIMPSE_REPLICA_LAG_SECONDS", 5)
if GLIMPSE_DATABASE_REPLICAS:
    sessions = MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    MIDDLEWARE.insert(sessions, "glimpse.core.db_router.ReplicaReadsMiddleware")
DATABASE_ROUTERS = ["glimpse.core.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache, channels, jobs ------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and TESTING and os.environ.get("PYTEST_XDIST_WORKER"):
    # Each parallel test worker gets a Redis database of its own, so that clearing the
    # cache in one test never touches another worker's keys.
    from urllib.parse import urlsplit, urlunsplit

    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    REDIS_URL = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{1 + _worker % 15}"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "glimpse.core.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("GLIMPSE_CACHE_PREFIX", "glimpse"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "glimpse.realtime.layers.InMemoryChannelLayer"}}
# Sessions are read from the cache and written through to the database. The in-process
# cache is only shared by one process: production without Redis reads them from the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL or not PRODUCTION
    else "django.contrib.sessions.backends.db"
)

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# Without a broker the embedded default runs every job in-process, right away.
# The test suite runs jobs eagerly too, whatever the broker, unless told otherwise.
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://" or TESTING
)
CELERY_TASK_EAGER_PROPAGATES = True
# Embedded default only: run eager jobs in a small in-process thread pool (set by `make run`).
GLIMPSE_JOBS_IN_THREADS = env_bool("GLIMPSE_JOBS_IN_THREADS", False)
CELERY_BEAT_SCHEDULE = {
    "media-requeue-stuck": {"task": "media.requeue_stuck", "schedule": 300.0},
    "media-delete-unattached": {"task": "media.delete_unattached", "schedule": 3600.0},
    "stories-expire": {"task": "stories.expire", "schedule": 300.0},
    "insights-flush": {"task": "insights.flush", "schedule": 60.0},
    "feeds-explore-refresh": {"task": "feeds.explore_refresh", "schedule": 60.0},
    "insights-rollup": {"task": "insights.rollup", "schedule": 3600.0},
    "moderation-end-suspensions": {"task": "moderation.end_suspensions", "schedule": 60.0},
    "privacy-accounts-purge": {"task": "privacy.accounts_purge", "schedule": 3600.0},
    "privacy-exports-expire": {"task": "privacy.exports_expire", "schedule": 3600.0},
    "imports-sweep": {"task": "imports.sweep", "schedule": 3600.0},
    "federation-deliveries-due": {"task": "federation.deliveries_due", "schedule": 60.0},
    "posts-publish-scheduled": {"task": "posts.publish_scheduled", "schedule": 60.0},
}
# Three queues, so that bulk work never holds up what a person waits for (docs/reliability.md):
# - `<queue>.interactive`: fan-out, notifications, announcements, the end of a suspension,
#   scheduled posts coming due; a worker of its own consumes it (the Procfile's
#   `interactive`), so a backlog elsewhere never delays a new post reaching its followers;
# - `<queue>.media`: media processing, heavy on the CPU (a pool of its own at scale);
# - `<queue>.federation`: delivery of activities to other servers, which waits on the network
#   (slow or dead servers): it never holds up fan-out, and bulk work never holds it up;
# - `<queue>`, the default: bulk and periodic work (insights, exports, purges, clean-ups).
# A worker started without `-Q` (the Procfile's `worker`) takes from all of them in turn.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("GLIMPSE_CELERY_QUEUE", "celery")
GLIMPSE_CELERY_INTERACTIVE_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.interactive"
GLIMPSE_CELERY_MEDIA_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.media"
GLIMPSE_CELERY_FEDERATION_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.federation"
CELERY_TASK_QUEUES = [
    Queue(CELERY_TASK_DEFAULT_QUEUE),
    Queue(GLIMPSE_CELERY_INTERACTIVE_QUEUE),
    Queue(GLIMPSE_CELERY_MEDIA_QUEUE),
    Queue(GLIMPSE_CELERY_FEDERATION_QUEUE),
]
# Every job is routed by name (tests/core/test_job_queues.py checks that none is left out).
CELERY_TASK_ROUTES = {
    **{
        name: {"queue": GLIMPSE_CELERY_INTERACTIVE_QUEUE}
        for name in (
            "feeds.fan_out",
            "feeds.rebuild",
            "notifications.sync",
            "push.send",
            "mastodon.push_send",
            "mastodon.stream_post",
            "messages.push",
            "stories.announce",
            "moderation.end_suspensions",
            "posts.publish_scheduled",  # a post due now goes out now, whatever the backlog
        )
    },
    "media.process": {"queue": GLIMPSE_CELERY_MEDIA_QUEUE},
    "federation.deliver": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    "federation.inbox_process": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    "federation.follow_send": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    "federation.reports_forward": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    "federation.send": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    "federation.remote_avatar": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    "federation.domain_block_apply": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    "federation.followers_move": {"queue": GLIMPSE_CELERY_FEDERATION_QUEUE},
    **{
        name: {"queue": CELERY_TASK_DEFAULT_QUEUE}
        for name in (
            "insights.flush",
            "insights.rollup",
            "feeds.explore_refresh",
            "feeds.explore_prepare",
            "media.requeue_stuck",
            "media.delete_unattached",
            "stories.expire",
            "privacy.export_build",
            "privacy.exports_expire",
            "privacy.accounts_purge",
            "imports.run",
            "imports.sweep",
            "federation.deliveries_due",
        )
    },
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# --- Accounts and passwords -----------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow by design; tests use the fast hasher unless they test hashing itself.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Glimpse <no-reply@glimpse.invalid>")

# --- Glimpse limits (DESIGN.md §6 and §8) ----------------------------------------------------

# The site's public address for links in emails and shared posts (https://glimpse.example);
# empty: the address each request reached the site at (glimpse/core/site.py).
GLIMPSE_SITE_URL = os.environ.get("GLIMPSE_SITE_URL", "").rstrip("/")

# --- Federation (docs/federation.md) ---------------------------------------------------------

# On where GLIMPSE_SITE_URL is https; GLIMPSE_FEDERATION=1 or 0 forces it (unset: None).
GLIMPSE_FEDERATION = (
    env_bool("GLIMPSE_FEDERATION", False) if os.environ.get("GLIMPSE_FEDERATION") else None
)

# How far, in seconds and either way, a signed request's Date (or its signature's created time)
# may stray from this server's clock: 12 hours, as Mastodon allows.
GLIMPSE_FEDERATION_SIGNATURE_SKEW = env_int("GLIMPSE_FEDERATION_SIGNATURE_SKEW", 12 * 3600)
# How long, in seconds, an account of another server is used as stored before its actor is
# fetched again: a day.
GLIMPSE_FEDERATION_ACTOR_TTL = env_int("GLIMPSE_FEDERATION_ACTOR_TTL", 24 * 3600)
# Requests to other servers (glimpse/federation/fetch.py): seconds allowed per connect and
# per read, seconds for a whole request with its redirects, and the largest document read
# (media fetches pass their own limit).
GLIMPSE_FEDERATION_FETCH_TIMEOUT = float(os.environ.get("GLIMPSE_FEDERATION_FETCH_TIMEOUT") or 10)
GLIMPSE_FEDERATION_FETCH_DEADLINE = float(os.environ.get("GLIMPSE_FEDERATION_FETCH_DEADLINE") or 30)
GLIMPSE_FEDERATION_FETCH_MAX_BYTES = env_int("GLIMPSE_FEDERATION_FETCH_MAX_BYTES", 1024 * 1024)
# Seconds a person's look-up of an account or a post of another server (search) may take in all.
GLIMPSE_FEDERATION_LOOKUP_SECONDS = float(os.environ.get("GLIMPSE_FEDERATION_LOOKUP_SECONDS") or 10)
# The largest activity an inbox takes, in bytes.
GLIMPSE_FEDERATION_INBOX_MAX_BYTES = env_int("GLIMPSE_FEDERATION_INBOX_MAX_BYTES", 1024 * 1024)
# How many posts or comments up a remote reply's thread are fetched to find the post it
# belongs to, before the reply is left alone.
GLIMPSE_FEDERATION_REPLY_DEPTH = env_int("GLIMPSE_FEDERATION_REPLY_DEPTH", 5)


def _loopback_allowance(value: str) -> bool | list[int]:
    """Read GLIMPSE_FEDERATION_ALLOW_LOOPBACK: on ("1"), off, or a list of ports ("8001,8002")."""
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.replace(",", "").replace(" ", "").isdigit():
        return [int(port) for port in value.split(",") if port.strip()]
    return False


# For tests and trials only, never in production: let federation reach this machine itself
# (loopback addresses, and plain http to them): on, or only the listed ports. Off by default.
GLIMPSE_FEDERATION_ALLOW_LOOPBACK = _loopback_allowance(
    os.environ.get("GLIMPSE_FEDERATION_ALLOW_LOOPBACK", "")
)
# For tests and trials only: host names federation resolves without DNS, to run two servers
# under two names on one machine ("alpha.test=127.0.0.1,beta.test=127.0.0.1"). The loopback
# rule above still applies to the addresses given.
GLIMPSE_FEDERATION_HOSTS: dict[str, str] = {
    name.strip().lower(): address.strip()
    for name, _, address in (
        item.partition("=") for item in env_list("GLIMPSE_FEDERATION_HOSTS", [])
    )
}

# Delivery of activities to other servers (docs/federation.md, "Delivery"). A failed attempt n
# waits min(RETRY_BASE * 2**n, RETRY_MAX) seconds (with jitter) before the next, until
# RETRY_DAYS have passed since the activity was sent; then the delivery fails for good.
GLIMPSE_FEDERATION_RETRY_BASE = env_int("GLIMPSE_FEDERATION_RETRY_BASE", 30)
GLIMPSE_FEDERATION_RETRY_MAX = env_int("GLIMPSE_FEDERATION_RETRY_MAX", 6 * 3600)
GLIMPSE_FEDERATION_RETRY_DAYS = float(os.environ.get("GLIMPSE_FEDERATION_RETRY_DAYS") or 7)
# A server that failed DOWN_FAILURES times in a row over at least DOWN_AFTER seconds is down:
# one delivery every PROBE_INTERVAL seconds is tried as a probe, the others wait for it.
GLIMPSE_FEDERATION_DOWN_FAILURES = env_int("GLIMPSE_FEDERATION_DOWN_FAILURES", 10)
GLIMPSE_FEDERATION_DOWN_AFTER = env_int("GLIMPSE_FEDERATION_DOWN_AFTER", 24 * 3600)
GLIMPSE_FEDERATION_PROBE_INTERVAL = env_int("GLIMPSE_FEDERATION_PROBE_INTERVAL", 24 * 3600)
# Seconds after which a queued delivery whose job never ran is presumed lost and queued again.
GLIMPSE_FEDERATION_REQUEUE_AFTER = env_int("GLIMPSE_FEDERATION_REQUEUE_AFTER", 300)

# --- OAuth 2 (docs/clients.md): apps sign in for an account with the scopes it grants -------


def _pkce_required(client_id: str) -> bool:
    """Tell whether an app must use PKCE (read when the provider asks, once apps are ready)."""
    from glimpse.accounts.oauth.validator import pkce_required

    return pkce_required(client_id)


# Named, not swapped: migrations that point at the provider's apps and tokens resolve them
# through these.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 - a model
OAUTH2_PROVIDER = {
    "OAUTH2_SERVER_CLASS": "glimpse.accounts.oauth.server.GlimpseServer",
    "OAUTH2_VALIDATOR_CLASS": "glimpse.accounts.oauth.validator.GlimpseOAuth2Validator",
    "SCOPES_BACKEND_CLASS": "glimpse.accounts.oauth.validator.GlimpseScopes",
    # Phone apps keep a token for months, as Mastodon's do: it lives until it is revoked
    # (from the app, or from the account settings), like a personal API token.
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("GLIMPSE_OAUTH_TOKEN_SECONDS", 10 * 365 * 24 * 3600),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Required of apps that hold no secret; optional for the others, as Mastodon's apps may
    # not send it. An app that starts PKCE is held to it, and only S256 is accepted.
    "PKCE_REQUIRED": _pkce_required,
    # The provider's own redirects; the addresses an app registers are checked when it
    # registers (https, its own scheme, or http to a loopback address: RFC 8252).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    # Every consent is asked again: an account sees what it grants each time.
    "REQUEST_APPROVAL_PROMPT": "force",
    # The recommendations of RFC 9700, enforced rather than warned about: no implicit or
    # password grant, no plain PKCE, tokens only in the Authorization header, and tokens
    # stored only as digests.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # Authorization responses name their issuer (RFC 9207), the metadata document's.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "OIDC_ISS_ENDPOINT": GLIMPSE_SITE_URL,
}

GLIMPSE_ID_SEQUENCE_FILE = DATA_DIR / "id-sequence"
GLIMPSE_USERNAME_MAX = 30
GLIMPSE_BIO_MAX = env_int("GLIMPSE_BIO_MAX", 150)
GLIMPSE_DISPLAY_NAME_MAX = 64
GLIMPSE_AVATAR_MAX_BYTES = env_int("GLIMPSE_AVATAR_MAX_BYTES", 10 * 1024 * 1024)
# Avatars are decoded in the request: besides the media limits on pixels and sides, a
# picture that cannot shrink on load (all but JPEG and HEIF) is refused when its decoded
# bitmap would pass this many bytes (a 50-megapixel greyscale PNG fits, a colour one not).
GLIMPSE_AVATAR_DECODE_MAX_BYTES = env_int("GLIMPSE_AVATAR_DECODE_MAX_BYTES", 64 * 1024 * 1024)
GLIMPSE_AVATAR_SIZES = (320, 150, 64)
# Media (DESIGN.md §6). Checked from headers, before anything is decoded.
GLIMPSE_PHOTO_MAX_BYTES = env_int("GLIMPSE_PHOTO_MAX_BYTES", 30 * 1024 * 1024)
GLIMPSE_PHOTO_MAX_PIXELS = env_int("GLIMPSE_PHOTO_MAX_PIXELS", 50_000_000)
GLIMPSE_PHOTO_MAX_SIDE = env_int("GLIMPSE_PHOTO_MAX_SIDE", 16_384)
GLIMPSE_VIDEO_MAX_BYTES = env_int("GLIMPSE_VIDEO_MAX_BYTES", 250 * 1024 * 1024)
GLIMPSE_VIDEO_MAX_SECONDS = env_int("GLIMPSE_VIDEO_MAX_SECONDS", 180)
GLIMPSE_VIDEO_MAX_SIDE = env_int("GLIMPSE_VIDEO_MAX_SIDE", 4096)  # 4K, either orientation
GLIMPSE_VIDEO_MAX_FPS = env_int("GLIMPSE_VIDEO_MAX_FPS", 60)
GLIMPSE_MEDIA_UNATTACHED_HOURS = env_int("GLIMPSE_MEDIA_UNATTACHED_HOURS", 24)
GLIMPSE_MEDIA_STUCK_MINUTES = env_int("GLIMPSE_MEDIA_STUCK_MINUTES", 15)
GLIMPSE_ALT_TEXT_MAX = 1500
# Posts and comments (DESIGN.md §6, docs/posts.md): lengths in characters, counts per post
# (hashtags and mentions distinct, people tags per item), pinned posts per profile, the
# nearby radius of a place page in km (default and most a client may ask for), and how many
# top posts head a hashtag or place page.
GLIMPSE_CAPTION_MAX = env_int("GLIMPSE_CAPTION_MAX", 2200)
GLIMPSE_COMMENT_MAX = env_int("GLIMPSE_COMMENT_MAX", 2200)
GLIMPSE_POST_ITEMS_MAX = env_int("GLIMPSE_POST_ITEMS_MAX", 20)
GLIMPSE_HASHTAGS_MAX = env_int("GLIMPSE_HASHTAGS_MAX", 30)
GLIMPSE_HASHTAG_LENGTH_MAX = env_int("GLIMPSE_HASHTAG_LENGTH_MAX", 100)
GLIMPSE_MENTIONS_MAX = env_int("GLIMPSE_MENTIONS_MAX", 20)
GLIMPSE_PEOPLE_TAGS_MAX = env_int("GLIMPSE_PEOPLE_TAGS_MAX", 20)
GLIMPSE_PINNED_POSTS_MAX = env_int("GLIMPSE_PINNED_POSTS_MAX", 3)
# Drafts and scheduled posts (docs/drafts.md): how many an account keeps (both together), and
# how far ahead a post may be scheduled: at least this many minutes, at most this many days.
GLIMPSE_DRAFTS_MAX = env_int("GLIMPSE_DRAFTS_MAX", 100)
GLIMPSE_SCHEDULE_MIN_MINUTES = env_int("GLIMPSE_SCHEDULE_MIN_MINUTES", 10)
GLIMPSE_SCHEDULE_MAX_DAYS = env_int("GLIMPSE_SCHEDULE_MAX_DAYS", 75)
# Reels (DESIGN.md §6, docs/reels.md): one video of at most this many seconds, no taller than
# 9:16. Within the video limit above, which every upload already meets; a lower value makes
# Reels shorter than other videos, a higher one changes nothing until the video limit rises.
GLIMPSE_REEL_MAX_SECONDS = env_int("GLIMPSE_REEL_MAX_SECONDS", 180)
GLIMPSE_COLLECTION_NAME_MAX = env_int("GLIMPSE_COLLECTION_NAME_MAX", 100)
GLIMPSE_PLACE_NAME_MAX = env_int("GLIMPSE_PLACE_NAME_MAX", 200)
GLIMPSE_PLACE_ADDRESS_MAX = env_int("GLIMPSE_PLACE_ADDRESS_MAX", 300)
GLIMPSE_PLACE_RADIUS_KM = env_int("GLIMPSE_PLACE_RADIUS_KM", 25)
GLIMPSE_PLACE_RADIUS_KM_MAX = env_int("GLIMPSE_PLACE_RADIUS_KM_MAX", 200)
GLIMPSE_TOP_POSTS = env_int("GLIMPSE_TOP_POSTS", 9)
GLIMPSE_PAGE_SIZE_DEFAULT = 20
# Stories: how long one shows (seconds), and the limits per account.
GLIMPSE_STORY_LIFETIME = env_int("GLIMPSE_STORY_LIFETIME", 24 * 60 * 60)
GLIMPSE_STORY_LIVE_MAX = env_int("GLIMPSE_STORY_LIVE_MAX", 100)
GLIMPSE_STORY_CAPTION_MAX = 2200
GLIMPSE_STORY_REPLY_MAX = 1000
GLIMPSE_HIGHLIGHT_MAX = env_int("GLIMPSE_HIGHLIGHT_MAX", 100)
GLIMPSE_HIGHLIGHT_TITLE_MAX = 30
GLIMPSE_HIGHLIGHT_STORIES_MAX = 100
# Direct messages: text length, group size, the edit window (seconds), how many new
# conversations with strangers (message requests) an account may start a day, how long a
# "typing" lasts (seconds).
GLIMPSE_MESSAGE_TEXT_MAX = 1000
GLIMPSE_MESSAGE_MEDIA_MAX = 10
GLIMPSE_GROUP_MEMBERS_MAX = env_int("GLIMPSE_GROUP_MEMBERS_MAX", 32)
GLIMPSE_GROUP_NAME_MAX = 60
GLIMPSE_MESSAGE_EDIT_WINDOW = 15 * 60
GLIMPSE_MESSAGE_REQUESTS_PER_DAY = env_int("GLIMPSE_MESSAGE_REQUESTS_PER_DAY", 50)
GLIMPSE_TYPING_TTL = 6
# People's own data (docs/your-data.md): days before a requested deletion is carried out,
# days a data archive can be downloaded, minutes after which a silent export job is lost.
GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS = env_int("GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS", 30)
GLIMPSE_EXPORT_DAYS = env_int("GLIMPSE_EXPORT_DAYS", 7)
GLIMPSE_EXPORT_STALE_MINUTES = env_int("GLIMPSE_EXPORT_STALE_MINUTES", 60)
# New data archives an account may ask for per day (each one copies all its files).
GLIMPSE_RATE_DATA_EXPORTS = (env_int("GLIMPSE_RATE_DATA_EXPORTS", 5), 24 * 60 * 60)
# Imports of archives (docs/imports.md): the largest archive taken, the most files read in
# one, the largest JSON document, the most a member may unpack to relative to its packed
# size (zip bombs), minutes after which a silent import is lost, imports per account a day.
GLIMPSE_IMPORT_MAX_BYTES = env_int("GLIMPSE_IMPORT_MAX_BYTES", 4 * 1024 * 1024 * 1024)
GLIMPSE_IMPORT_MAX_MEMBERS = env_int("GLIMPSE_IMPORT_MAX_MEMBERS", 50_000)
GLIMPSE_IMPORT_MAX_JSON_BYTES = env_int("GLIMPSE_IMPORT_MAX_JSON_BYTES", 64 * 1024 * 1024)
GLIMPSE_IMPORT_MAX_RATIO = env_int("GLIMPSE_IMPORT_MAX_RATIO", 200)
GLIMPSE_IMPORT_STALE_MINUTES = env_int("GLIMPSE_IMPORT_STALE_MINUTES", 120)
GLIMPSE_RATE_IMPORTS = (env_int("GLIMPSE_RATE_IMPORTS", 5), 24 * 60 * 60)
GLIMPSE_PAGE_SIZE_MAX = 100
# Real time (docs/realtime.md): replay buffers, how often a socket re-checks its credentials,
# and how long an open socket marks its account present for broadcasts (renewed each check).
GLIMPSE_REALTIME_BUFFER_SIZE = env_int("GLIMPSE_REALTIME_BUFFER_SIZE", 200)
GLIMPSE_REALTIME_BUFFER_SECONDS = env_int("GLIMPSE_REALTIME_BUFFER_SECONDS", 24 * 60 * 60)
GLIMPSE_REALTIME_RECHECK_SECONDS = env_int("GLIMPSE_REALTIME_RECHECK_SECONDS", 60)
GLIMPSE_REALTIME_PRESENCE_SECONDS = env_int("GLIMPSE_REALTIME_PRESENCE_SECONDS", 180)
# Open websockets per account; the next one is closed with 4429 (a slot of a crashed server's
# socket runs out after GLIMPSE_REALTIME_PRESENCE_SECONDS).
GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT = env_int("GLIMPSE_REALTIME_SOCKETS_PER_ACCOUNT", 20)
# Where pages open their websocket; empty: /ws/ on the page's own host (a load balancer routes
# it to the websocket processes). `manage.py serve` on one machine names its port.
GLIMPSE_WEBSOCKET_URL = os.environ.get("GLIMPSE_WEBSOCKET_URL", "")
# Seconds between two heartbeats (`:thump`) of the client API's server-sent events (Mastodon
# sends one every 15 s; docs/clients.md, "Streaming").
GLIMPSE_STREAMING_HEARTBEAT_SECONDS = float(
    os.environ.get("GLIMPSE_STREAMING_HEARTBEAT_SECONDS", "15")
)
# Home feeds (DESIGN.md §5): Redis sorted sets when a Redis is named, else the database.
GLIMPSE_FEED_REDIS_URL = os.environ.get("GLIMPSE_FEED_REDIS_URL", REDIS_URL)
GLIMPSE_FEED_KEY_PREFIX = os.environ.get("GLIMPSE_FEED_KEY_PREFIX", "glimpse:feed:")
GLIMPSE_FEED_MAX = env_int("GLIMPSE_FEED_MAX", 800)
GLIMPSE_FEED_FANOUT_BATCH = env_int("GLIMPSE_FEED_FANOUT_BATCH", 1000)
GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS = env_int("GLIMPSE_FEED_FANOUT_MAX_FOLLOWERS", 10_000)
# How long the followed celebrities of a viewer are cached (an account crossing the
# fan-out threshold is merged in at read time by every follower within this delay).
GLIMPSE_FEED_CELEBRITIES_TTL = env_int("GLIMPSE_FEED_CELEBRITIES_TTL", 300)
# Ranked feed: how many of the newest entries are re-ordered, and the score's weights
# (docs/feeds.md gives the formula).
GLIMPSE_FEED_RANK_CANDIDATES = env_int("GLIMPSE_FEED_RANK_CANDIDATES", 300)
GLIMPSE_FEED_RANK_HALF_LIFE_HOURS = float(os.environ.get("GLIMPSE_FEED_RANK_HALF_LIFE_HOURS", 12))
GLIMPSE_FEED_RANK_AFFINITY_WEIGHT = float(os.environ.get("GLIMPSE_FEED_RANK_AFFINITY_WEIGHT", 1.0))
GLIMPSE_FEED_RANK_ENGAGEMENT_WEIGHT = float(
    os.environ.get("GLIMPSE_FEED_RANK_ENGAGEMENT_WEIGHT", 0.5)
)
GLIMPSE_FEED_RANK_AFFINITY_DAYS = env_int("GLIMPSE_FEED_RANK_AFFINITY_DAYS", 30)
# Moderation (docs/moderation.md): content reported by this many distinct accounts within the
# window (seconds) is hidden until a moderator looks; images match a blocked one within this
# many differing bits of their 64-bit perceptual hash.
GLIMPSE_MODERATION_HIDE_REPORTS = env_int("GLIMPSE_MODERATION_HIDE_REPORTS", 5)
GLIMPSE_MODERATION_HIDE_WINDOW = env_int("GLIMPSE_MODERATION_HIDE_WINDOW", 3600)
# Only reporters in good standing count towards hiding: accounts at least this many days old,
# active, and with no upheld moderator action against them within the standing period (days).
GLIMPSE_REPORT_MIN_ACCOUNT_AGE_DAYS = env_int("GLIMPSE_REPORT_MIN_ACCOUNT_AGE_DAYS", 7)
GLIMPSE_REPORT_STANDING_DAYS = env_int("GLIMPSE_REPORT_STANDING_DAYS", 30)
GLIMPSE_MODERATION_PHASH_DISTANCE = env_int("GLIMPSE_MODERATION_PHASH_DISTANCE", 6)
# Cached cards of posts and accounts (dropped on change; the TTL bounds anything missed).
GLIMPSE_CARD_TTL = env_int("GLIMPSE_CARD_TTL", 3600)
# How many cards each process keeps in memory, served while their version is current
# (glimpse/core/cards.py).
GLIMPSE_CARD_NEAR = env_int("GLIMPSE_CARD_NEAR", 1000)
# How many rendered pieces of pages each process keeps, by what they show
# (glimpse/core/fragments.py).
GLIMPSE_FRAGMENTS_NEAR = env_int("GLIMPSE_FRAGMENTS_NEAR", 1000)
# How long the shared cache keeps a rendered piece (its key changes with what it shows).
GLIMPSE_FRAGMENTS_TTL = env_int("GLIMPSE_FRAGMENTS_TTL", 600)
# Cached unread count of the navigation's badge (dropped on change; the TTL bounds anything
# missed).
GLIMPSE_NOTIFICATIONS_UNREAD_TTL = env_int("GLIMPSE_NOTIFICATIONS_UNREAD_TTL", 600)
# Insights (docs/insights.md). The impression buffer's Redis (empty: REDIS_URL's); views
# moved from the buffer into the database per batch; the buffer asks for a flush once it
# holds so many (in-process: or its oldest is so many seconds old); at most one flush job
# waits at a time, a lost one freeing its place after so many seconds.
GLIMPSE_INSIGHTS_REDIS_URL = os.environ.get("GLIMPSE_INSIGHTS_REDIS_URL", "")
GLIMPSE_INSIGHTS_BATCH = env_int("GLIMPSE_INSIGHTS_BATCH", 5000)
GLIMPSE_INSIGHTS_FLUSH_AT = env_int("GLIMPSE_INSIGHTS_FLUSH_AT", 2000)
GLIMPSE_INSIGHTS_FLUSH_SECONDS = env_int("GLIMPSE_INSIGHTS_FLUSH_SECONDS", 60)
GLIMPSE_INSIGHTS_FLUSH_MARK_SECONDS = env_int("GLIMPSE_INSIGHTS_FLUSH_MARK_SECONDS", 300)
# A follow made this many seconds after a visit to the profile from a post is credited to it;
# a day is rolled up once it ended this many seconds ago (late batches have landed by then).
GLIMPSE_INSIGHTS_FOLLOW_WINDOW = env_int("GLIMPSE_INSIGHTS_FOLLOW_WINDOW", 3600)
GLIMPSE_INSIGHTS_ROLLUP_DELAY = env_int("GLIMPSE_INSIGHTS_ROLLUP_DELAY", 600)
# Web Push (docs/webapp.md). The VAPID key pair signs every push: made on first run and kept
# in the database, unless GLIMPSE_VAPID_PRIVATE_KEY gives it (base64url, the raw 32-byte
# P-256 scalar). The contact push services may write to (a mailto: or https: URL; empty: the
# site's https address, or else the sender address of its mail). Pushes go only to push
# services at these origins ("https://*.example" names every subdomain): a subscription is a
# URL our servers post to, and no other host may be named in one. How long a push service
# keeps a message for a device that is offline (seconds), the devices kept per account, how
# long one delivery may take (seconds), and how many failures in a row drop a device.
GLIMPSE_VAPID_PRIVATE_KEY = os.environ.get("GLIMPSE_VAPID_PRIVATE_KEY", "")
GLIMPSE_PUSH_CONTACT = os.environ.get("GLIMPSE_PUSH_CONTACT", "")
GLIMPSE_PUSH_SERVICES = env_list(
    "GLIMPSE_PUSH_SERVICES",
    [
        "https://fcm.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://web.push.apple.com",
        "https://*.push.apple.com",
        "https://*.notify.windows.com",
    ],
)
GLIMPSE_PUSH_TTL = env_int("GLIMPSE_PUSH_TTL", 24 * 60 * 60)
GLIMPSE_PUSH_DEVICES_MAX = env_int("GLIMPSE_PUSH_DEVICES_MAX", 20)
GLIMPSE_PUSH_TIMEOUT = env_int("GLIMPSE_PUSH_TIMEOUT", 10)
GLIMPSE_PUSH_FAILURES_MAX = env_int("GLIMPSE_PUSH_FAILURES_MAX", 10)
# Rate limits: (requests, window in seconds).
GLIMPSE_RATE_SIGNUP = (env_int("GLIMPSE_RATE_SIGNUP", 5), 30 * 60)
# Failed log-ins (docs/security.md): per account and address, per address across accounts,
# and per account across addresses (past which only addresses it logged in from before, and
# remembered for so many days, may still try).
GLIMPSE_RATE_LOGIN_FAILURES = (env_int("GLIMPSE_RATE_LOGIN_FAILURES", 10), 60 * 60)
GLIMPSE_RATE_LOGIN_FAILURES_ADDRESS = (
    env_int("GLIMPSE_RATE_LOGIN_FAILURES_ADDRESS", 50),
    60 * 60,
)
GLIMPSE_RATE_LOGIN_FAILURES_ACCOUNT = (
    env_int("GLIMPSE_RATE_LOGIN_FAILURES_ACCOUNT", 100),
    60 * 60,
)
GLIMPSE_LOGIN_KNOWN_ADDRESS_DAYS = env_int("GLIMPSE_LOGIN_KNOWN_ADDRESS_DAYS", 30)
# Two-factor sign-in (docs/two-factor.md): wrong codes per account and address, the minutes
# and tries a pending second step gets, and whether staff need a second factor for /admin/.
GLIMPSE_RATE_TWO_FACTOR_FAILURES = (env_int("GLIMPSE_RATE_TWO_FACTOR_FAILURES", 10), 60 * 60)
GLIMPSE_TWO_FACTOR_PENDING_SECONDS = env_int("GLIMPSE_TWO_FACTOR_PENDING_SECONDS", 5 * 60)
GLIMPSE_TWO_FACTOR_PENDING_ATTEMPTS = env_int("GLIMPSE_TWO_FACTOR_PENDING_ATTEMPTS", 5)
GLIMPSE_STAFF_REQUIRE_2FA = env_bool("GLIMPSE_STAFF_REQUIRE_2FA", False)
# API tokens: new ones per account per hour, and how many may be active at once.
GLIMPSE_RATE_TOKEN_CREATE = (env_int("GLIMPSE_RATE_TOKEN_CREATE", 10), 60 * 60)
GLIMPSE_MAX_TOKENS_PER_ACCOUNT = env_int("GLIMPSE_MAX_TOKENS_PER_ACCOUNT", 50)
GLIMPSE_RATE_UPLOADS = (env_int("GLIMPSE_RATE_UPLOADS", 30), 30 * 60)
GLIMPSE_RATE_PASSWORD_RESET = (env_int("GLIMPSE_RATE_PASSWORD_RESET", 5), 60 * 60)
# Look-ups of people and posts of other servers by handle or address (search), per account.
GLIMPSE_RATE_REMOTE_LOOKUPS = (env_int("GLIMPSE_RATE_REMOTE_LOOKUPS", 30), 15 * 60)
# Every request (DESIGN.md §8), per account (all its tokens and sessions together) or per
# address. The suite makes many requests from one client, so tests raise it (and lower it
# where they test it).
GLIMPSE_RATE_REQUESTS = (env_int("GLIMPSE_RATE_REQUESTS", 1_000_000 if TESTING else 300), 300)
# How many proxies in front of the app add themselves to X-Forwarded-For.
GLIMPSE_TRUSTED_PROXY_COUNT = env_int("GLIMPSE_TRUSTED_PROXY_COUNT", 0)
# Who may read /metrics (docs/operations.md): a bearer token when one is set, or a request
# from these addresses (or networks) that came through no proxy. Neither set: nobody (404).
# Never list the address of a proxy in front of the app: every visitor comes from it.
GLIMPSE_METRICS_ALLOWED_IPS = env_list("GLIMPSE_METRICS_ALLOWED_IPS", [])
GLIMPSE_METRICS_TOKEN = os.environ.get("GLIMPSE_METRICS_TOKEN", "")

# --- Files ----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "glimpse" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# The origin media are served from when not this site (a CDN, e.g. https://media.example):
# pages' content security policy lets images and videos load from it.
GLIMPSE_MEDIA_ORIGIN = os.environ.get("GLIMPSE_MEDIA_ORIGIN", "")
STORAGES: dict[str, dict[str, object]] = {
    # The local folder signs its URLs like the bucket does (glimpse/core/storage.py).
    "default": {"BACKEND": "glimpse.core.storage.SignedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Media in S3-compatible object storage when a bucket is named (docs/deployment.md), else in
# MEDIA_ROOT: either way every URL is signed for its path and expires after this many seconds,
# so a private account's files cannot be fetched by a link shared beyond the people who may
# see them. Signatures outlive the cached cards that hold them (GLIMPSE_CARD_TTL).
GLIMPSE_S3_BUCKET = os.environ.get("GLIMPSE_S3_BUCKET", "")
GLIMPSE_MEDIA_URL_SECONDS = env_int("GLIMPSE_MEDIA_URL_SECONDS", 3 * 60 * 60)
if GLIMPSE_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": GLIMPSE_S3_BUCKET,
            "endpoint_url": os.environ.get("GLIMPSE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("GLIMPSE_S3_REGION") or None,
            "access_key": os.environ.get("GLIMPSE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("GLIMPSE_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "querystring_expire": GLIMPSE_MEDIA_URL_SECONDS,
            "file_overwrite": True,
            "signature_version": "s3v4",
        },
    }
# The embedded default serves static files from the apps' folders directly; production
# serves the collected, compressed, hash-named copies.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False  # English only: no translation lookups for every number and date shown
USE_TZ = True

# --- Security -------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The health checks and the metrics answer plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "glimpse.core.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "glimpse.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            # One JSON object a line (with the request id) by default in production.
            "formatter": os.environ.get("GLIMPSE_LOG_FORMAT", "json" if PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GLIMPSE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},  # one line per job is noise in-process
        "kombu.connection": {"level": "ERROR"},
    },
}

sentry_init(environment=GLIMPSE_ENV)
