"""Settings, read from the environment. One file; see README "Settings" for each variable."""

import datetime
import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))


def envbool(name, default):
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} 的值 {value!r} 无效，应为 true/false/1/0")


def envint(name, default):
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} 的值 {value!r} 无效，应为整数") from None


def envlist(name, default):
    return [part.strip() for part in os.getenv(name, default).split(",") if part.strip()]


def parse_database_url(url, *, var_dir):
    """Turn DATABASE_URL into a DATABASES entry; only SQLite and PostgreSQL are supported."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(var_dir / "portal.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in ("sqlite", "postgres", "postgresql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL 无效：{url!r}，应以 sqlite:// 或 postgres:// 开头"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL 无效：{url!r}（{exc}）") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL 无效：{url!r} 缺少数据库名")
    if scheme == "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL 无效：{url!r} 缺少数据库文件路径")
    return config


def local_secret_key(var_dir):
    """A random key kept in var/ so that local sessions survive restarts."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def local_personal_data_key(var_dir, name):
    """DEBUG only: a random key kept in var/ (a Fernet key for PERSONAL_DATA_KEYS, a plain random one
    for the hash), so that a local database stays readable across restarts."""
    import base64

    path = var_dir / name
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


try:
    DEBUG = envbool("DEBUG", "false")
    SECRET_KEY = os.getenv("SECRET_KEY", "")
    if not SECRET_KEY:
        if not DEBUG:
            raise ImproperlyConfigured("SECRET_KEY 未设置：关闭 DEBUG 时必须通过环境变量提供 SECRET_KEY")
        SECRET_KEY = local_secret_key(VAR_DIR)
    # Applicants' ID numbers, phones, e-mail and addresses are encrypted with these (portal.crypto):
    # the first key encrypts, every key decrypts; rotate_personal_data_key moves all rows to the first.
    PERSONAL_DATA_KEYS = envlist("PERSONAL_DATA_KEYS", "")
    # The key of the HMAC that finds one applicant's applications; kept apart from the encryption keys.
    PERSONAL_DATA_HASH_KEY = os.getenv("PERSONAL_DATA_HASH_KEY", "")
    if not DEBUG and not PERSONAL_DATA_KEYS:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS 未设置：关闭 DEBUG 时必须通过环境变量提供加密申请人个人信息的密钥")
    if not DEBUG and not PERSONAL_DATA_HASH_KEY:
        raise ImproperlyConfigured("PERSONAL_DATA_HASH_KEY 未设置：关闭 DEBUG 时必须通过环境变量提供个人信息查重的密钥")
    PERSONAL_DATA_KEYS = PERSONAL_DATA_KEYS or [local_personal_data_key(VAR_DIR, "personal_data_key")]
    PERSONAL_DATA_HASH_KEY = PERSONAL_DATA_HASH_KEY or local_personal_data_key(VAR_DIR, "personal_data_hash_key")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": parse_database_url(os.getenv("DATABASE_URL", ""), var_dir=VAR_DIR)}
    # Persistent connections rather than psycopg's pool: a gunicorn sync worker serves one request at
    # a time, so one kept connection per worker is all a pool would give it, with nothing to install
    # or size. The health check re-tests a kept connection at the start of each request, so a database
    # that went away is reconnected (or /healthz answers 503), never used dead. 0 closes after each request.
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", "600")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Parameters bound by the server, and a query run DATABASE_PREPARE_THRESHOLD times on a kept
        # connection prepared, so PostgreSQL plans it once per connection: planning the document
        # page's five-table lookup took 0.8 ms a request at 10^6 documents, running it 0.05 ms.
        # 0 turns it off, for a pooler (PgBouncer before 1.21 in transaction mode) that cannot keep
        # prepared statements. After a migration, restart the workers (a deploy does), so that no
        # prepared statement outlives the table it was planned for.
        prepare_threshold = envint("DATABASE_PREPARE_THRESHOLD", "5")
        if prepare_threshold > 0:
            DATABASES["default"].setdefault("OPTIONS", {}).update(
                server_side_binding=True, prepare_threshold=prepare_threshold
            )
    # Where pg_dump and pg_restore of the server's major version are (manage.py backup / restore);
    # empty: /usr/lib/postgresql/<major>/bin, /usr/pgsql-<major>/bin, then PATH.
    POSTGRES_BIN_DIR = os.getenv("POSTGRES_BIN_DIR", "")
    # How long a rendered public page may be served from the cache. Publishing, withdrawing and every
    # other change the pages show invalidate them at once (portal.cache); this only bounds what a
    # change made outside those paths (a database edited by hand) can leave behind.
    PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "300")
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
except ImproperlyConfigured as exc:
    # One clear line instead of a traceback: this is an operator's mistake, not a bug.
    raise SystemExit(f"配置错误：{exc}") from None

INSTALLED_APPS = [
    # Django's admin with our site (portal.accounts.AdminSite): the second factor and our login pages.
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "mptt",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "portal",
    "catalog",
    "disclosure",
    "requests_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Stored public pages go out from here, past the rest (portal.cache).
    "portal.cache.PublicPageCacheMiddleware",
    # Before anything reads the query string or the body (CSRF reads the body).
    "portal.middleware.RequestTextMiddleware",
    # A session the database cannot save is logged, not a 500 (portal.faults).
    "portal.faults.FaultTolerantSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Innermost but for axes, so it sees what views raise first: database or storage faults become the 503 page.
    "portal.faults.FaultMiddleware",
    # Last, as django-axes requires: it turns a locked-out login attempt into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.site",
            ],
        },
    },
]

# Widgets may use templates from templates/ (the rich-text editor does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
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

# Several hosts: REDIS_URL, one cache for all (rate limits, rendered public pages). Without it the
# local-memory cache serves rate limits; rendered pages must not live in it outside DEBUG, because each
# gunicorn worker would keep its own copy and a withdrawal made through one would not reach the
# others: they go to files that every process of the host shares.
if os.getenv("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]},
    }
    CACHES["pages"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": (
            # No default timeout: the generation is kept until bumped; pages are stored with theirs.
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages", "TIMEOUT": None,
             "OPTIONS": {"MAX_ENTRIES": 5000}}
            if DEBUG
            else {
                "BACKEND": "portal.cache.PageFileCache",
                "LOCATION": str(VAR_DIR / "page-cache"),
                "TIMEOUT": None,
                "OPTIONS": {"MAX_ENTRIES": 5000},
            }
        ),
    }

LOGIN_URL = "admin:login"
# Where a login goes when `next` is missing or not one of our own paths (never /accounts/profile/).
LOGIN_REDIRECT_URL = "admin:index"

# ---------------------------------------------------------------- accounts (issue 19)
try:
    # The back office's path, e.g. "gl-7f3a/": not a secret, but it keeps the admin out of scanners' lists.
    ADMIN_PATH = os.getenv("ADMIN_PATH", "admin/")
    if not ADMIN_PATH.endswith("/") or ADMIN_PATH.startswith("/") or "//" in ADMIN_PATH:
        raise ImproperlyConfigured(f"ADMIN_PATH 的值 {ADMIN_PATH!r} 无效，应形如 admin/（不以 / 开头，以 / 结尾）")
    # 等保 2.0 level 3 asks for complex passwords; 12 characters for everyone who signs in (only staff do).
    PASSWORD_MIN_LENGTH = envint("PASSWORD_MIN_LENGTH", "12")
    # Lock-out (django-axes): this many failed passwords for one username, or from one address, lock
    # that username or that address for LOGIN_LOCKOUT_MINUTES, unless the county office unlocks it.
    LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
    LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", "30")
    # A signed-in session ends after this long without a request, and in any case this long after login.
    SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "30")
    SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", "12")
    # 网络安全法第二十一条: logs kept at least six months; prune_security_log refuses anything shorter.
    SECURITY_LOG_RETENTION_DAYS = envint("SECURITY_LOG_RETENTION_DAYS", "190")
    for _name in ("PASSWORD_MIN_LENGTH", "LOGIN_FAILURE_LIMIT", "LOGIN_LOCKOUT_MINUTES", "SESSION_IDLE_MINUTES",
                  "SESSION_MAX_HOURS"):
        if globals()[_name] < 1:
            raise ImproperlyConfigured(f"{_name} 的值 {globals()[_name]} 无效，应为正整数")
    if SECURITY_LOG_RETENTION_DAYS < 183:
        raise ImproperlyConfigured(
            f"SECURITY_LOG_RETENTION_DAYS 的值 {SECURITY_LOG_RETENTION_DAYS} 无效：网络安全法要求日志至少保存六个月（183天）"
        )
except ImproperlyConfigured as exc:
    raise SystemExit(f"配置错误：{exc}") from None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's Chinese catalogue leaves this one message in English; ours says it in Chinese.
    {"NAME": "portal.accounts.MinimumLengthValidator", "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: it refuses a locked-out username or address before the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: the account, and the address
AXES_CLIENT_IP_CALLABLE = "portal.net.client_address"  # TRUSTED_PROXIES decides, as for the rate limits
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout_response"
AXES_ENABLE_ADMIN = False  # portal.admin has the county office's own list, with unlocking recorded
AXES_DISABLE_ACCESS_LOG = True  # portal.SecurityEvent is the log
AXES_RESET_ON_SUCCESS = False  # one good password must not wipe an address's count of failures
AXES_VERBOSE = False
OTP_TOTP_ISSUER = os.getenv("SITE_NAME", "青禾县人民政府") + "政府信息公开管理后台"
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
CSRF_FAILURE_VIEW = "portal.accounts.csrf_failure"
# History is for reading: published information changes only through the workflows.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Security defaults when DEBUG is off. TLS is expected to end at a reverse proxy that sets
# X-Forwarded-Proto; SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS can be turned down there.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own files only, no inline script or style anywhere
# (tests/portal/test_headers.py scans templates/ for them), nobody frames us. data: images are the
# icons inside Swagger UI's stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# SECURE_HSTS_PRELOAD is a decision for the site's owner, not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# What the site shows about itself (header, footer). Defaults describe the demo county.
SITE_NAME = os.getenv("SITE_NAME", "青禾县人民政府")
SITE_SPONSOR = os.getenv("SITE_SPONSOR", "青禾县人民政府办公室")
SITE_CONTACT = os.getenv("SITE_CONTACT", "联系电话：0000-1234567　地址：青禾县人民路1号")
SITE_ICP = os.getenv("SITE_ICP", "示例ICP备00000000号")
SITE_PUBLIC_SECURITY_RECORD = os.getenv("SITE_PUBLIC_SECURITY_RECORD", "示例公网安备00000000000000号")
SITE_GOV_CODE = os.getenv("SITE_GOV_CODE", "0000000000")
# The site's public address, printed in letters on paper (e.g. where to look up an application).
SITE_URL = os.getenv("SITE_URL", "")

# 依申请公开: remedy bodies named in reply letters when an organisation has no ReplySettings row, and
# whether an online application sent on a non-working day counts as received on the next working day.
REMEDY_RECONSIDERATION_BODY = os.getenv("REMEDY_RECONSIDERATION_BODY", "青禾县人民政府")
REMEDY_COURT = os.getenv("REMEDY_COURT", "青禾县人民法院")
try:
    ONLINE_RECEIPT_NEXT_WORKING_DAY = envbool("ONLINE_RECEIPT_NEXT_WORKING_DAY", "true")  # online, fax and e-mail
    SUPPLEMENT_PERIOD_DAYS = envint("SUPPLEMENT_PERIOD_DAYS", "15")  # 补正期限 where an organisation sets none
    APPLICATION_RATE_LIMIT = envint("APPLICATION_RATE_LIMIT", "5")  # online applications per address per hour
except ImproperlyConfigured as exc:
    raise SystemExit(f"配置错误：{exc}") from None

# Limits that hold (requests_app.limits): counted in the database, which every worker and host shares.
# The client's address is the socket's, or, behind our own reverse proxies (TRUSTED_PROXIES: their
# addresses or CIDRs), the X-Forwarded-For entry they saw (portal.net.client_address).
try:
    TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
    for _proxy in TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(_proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES 中的 {_proxy!r} 不是有效的 IP 地址或网段") from None
    APPLICATION_FAILURE_LIMIT = envint("APPLICATION_FAILURE_LIMIT", "20")  # refused application forms per address per hour
    APPLICATION_CHALLENGE_MINUTES = envint("APPLICATION_CHALLENGE_MINUTES", "30")  # how long a form's question holds
    LOOKUP_LIMIT = envint("LOOKUP_LIMIT", "30")  # status lookups per address per 10 minutes
    LOOKUP_CODE_LIMIT = envint("LOOKUP_CODE_LIMIT", "10")  # wrong query codes per tracking number per hour
except ImproperlyConfigured as exc:
    raise SystemExit(f"配置错误：{exc}") from None
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "xxgk@example.gov.cn")

# The API (/api/v1/) is read-only and public. Staff signed in to the back office are not rate-limited;
# no password is ever sent to it (no Basic authentication).
try:
    API_ANON_RATE = os.getenv("API_ANON_RATE", "120/min")  # requests per address: N/sec, N/min, N/hour or N/day
    if not API_ANON_RATE.split("/")[0].isdigit() or API_ANON_RATE.split("/")[-1][:1] not in ("s", "m", "h", "d"):
        raise ImproperlyConfigured(f"API_ANON_RATE 的值 {API_ANON_RATE!r} 无效，应为 次数/时间单位，例如 120/min")
except ImproperlyConfigured as exc:
    raise SystemExit(f"配置错误：{exc}") from None
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME}政府信息公开数据接口",
    "DESCRIPTION": (
        "公开的只读数据接口：机构、公开领域、标准目录及其事项、主动公开的政府信息、政府公报、变更记录。"
        "各列表支持 format=csv 和 format=xlsx 导出（列名为中文）；响应带 ETag，可用 If-None-Match 条件请求；"
        "匿名访问按地址限速，超出时返回 429 和 Retry-After。"
        "各单位业务系统凭县政府办公室发放的令牌（Authorization: Bearer）经 /api/v1/push/ 报送本单位的信息草稿、上传附件并提交审核，"
        "不能发布；POST 可带 Idempotency-Key，重复提交返回首次结果。"
    ),
    "VERSION": "1.0.0",
    # Two models have a `status`: each its own enum, named for it.
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "disclosure.models.Document.Status",
        "AnnualReportStatusEnum": "disclosure.models.AnnualReport.Status",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from our own static files: the site needs no outside host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No "valid" badge: Swagger UI would send the schema to its public validator for it.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
