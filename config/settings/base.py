"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "common",
    "registry",
    "oversight",
    "partybuilding",
    "funding",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: Chinese is the product's language, not one negotiated with the
    # browser (an English Accept-Language must not turn the admin into English).
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
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
            ],
        },
    },
]

# Embedded default (SQLite) when no DATABASE_URL is set, so `make run` works with no services.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# 身份鉴别 (等保 2.0): length and complexity of passwords, lockout after repeated failures,
# idle sessions closed. docs/security.md explains each setting.
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "common.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "common.passwords.ComplexityValidator", "OPTIONS": {"min_classes": 3}},
]
# django-axes checks every login first (lockout per account and, separately, per address).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.audit.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "common/lockout.html"
AXES_VERBOSE = False
# Idle timeout: every request renews the session, which expires after this many minutes.
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Behind a reverse proxy that sets X-Forwarded-For, the number of proxies we run (0: trust
# only REMOTE_ADDR). The audit trail, the lockout and the API throttles read the same address.
AUDIT_TRUSTED_PROXIES = int(os.environ.get("AUDIT_TRUSTED_PROXIES", "0"))
# 安全审计: days of audit trail kept (never fewer than 180, common.audit).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Large changelists: the admin must never count a million rows twice per page.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Hostile spreadsheets are refused before parsing (common.excel): the uncompressed size of
# each part and of the whole package, and the number of shared strings.
EXCEL_MAX_PART_BYTES = int(os.environ.get("EXCEL_MAX_PART_BYTES", str(400 * 1024 * 1024)))
EXCEL_MAX_TOTAL_BYTES = int(os.environ.get("EXCEL_MAX_TOTAL_BYTES", str(512 * 1024 * 1024)))
EXCEL_MAX_SHARED_STRINGS = int(os.environ.get("EXCEL_MAX_SHARED_STRINGS", "3000000"))
# Changelist exports of more rows than this are written by a worker, offered by a link that
# only the requester can use and that expires (common.admin_export_jobs).
EXCEL_BACKGROUND_EXPORT_ROWS = int(os.environ.get("EXCEL_BACKGROUND_EXPORT_ROWS", "20000"))
EXCEL_EXPORT_LINK_SECONDS = int(os.environ.get("EXCEL_EXPORT_LINK_SECONDS", "3600"))
# Evidence files attached to records (common.uploads): PDF/OFD/JPG/PNG up to this size.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process (embedded default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Department users act for one supervising unit (common.DepartmentMembership); `common`
# names the model by this setting so it never imports a domain app (.importlinter).
SCOPE_UNIT_MODEL = "registry.SupervisingUnit"

# Django's cache: Redis when REDIS_URL is set (shared by every gunicorn worker, so the API
# throttle counts per token across processes), otherwise memory of the one process.
CACHES = {
    "default": (
        {"BACKEND": "common.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["common.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["common.api.permissions.ScopedModelPermissions"],
    "DEFAULT_THROTTLE_CLASSES": ["common.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_token": os.environ.get("API_THROTTLE_RATE", "1200/min"),
        # Failed authentications per client address (common.api.authentication).
        "api_auth_failure": os.environ.get("API_AUTH_FAILURE_RATE", "20/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.CursorOrPagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "common.api.filters.SearchFilter",
        "common.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "common.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "社会组织登记监管平台 API",
    "DESCRIPTION": (
        "供业务主管单位对接的 REST API。\n\n"
        "- 认证：请求头 `Authorization: Token <令牌>`；缺少、无效、过期或已吊销的令牌返回 401。\n"
        "- 范围：部门令牌只能看到本单位主管的社会组织及其相关记录；"
        "其他单位的记录与不存在的记录一样返回 404。\n"
        "- 列表分页：`count`、`next`、`previous`、`results`；`page_size` 最大 1000。\n"
        '- 错误：JSON。字段错误为 `{字段: [说明]}`，其他错误为 `{"detail": "说明"}`。\n'
        "- 限流：按令牌计数，超出返回 429 并带 `Retry-After` 头。"
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs are public (they describe, they do not disclose records).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.schema.drop_parameter_titles",
    ],
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayRequestDuration": True},
    # Tags name the modules of generated clients, so they are ASCII identifiers; what a
    # person reads is the Chinese description (tests/common/test_api_schema.py checks both).
    "TAGS": [
        {"name": "organizations", "description": "社会组织"},
        {"name": "supervising_units", "description": "业务主管单位"},
        {"name": "annual_reports", "description": "年度工作报告"},
        {"name": "inspections", "description": "双随机抽查"},
        {"name": "audits", "description": "审计"},
        {"name": "circulars", "description": "通报"},
        {"name": "credit_listings", "description": "信用名录"},
        {"name": "special_letters", "description": "专项信函"},
        {"name": "zombie_cases", "description": "僵尸型社会组织"},
        {"name": "zombie_flags", "description": "僵尸风险标记与认定"},
        {"name": "party_building", "description": "党建"},
        {"name": "grants", "description": "专项资金"},
        {"name": "ratings", "description": "等级评估"},
        {"name": "catalog", "description": "购买服务目录"},
        {"name": "statistics", "description": "统计"},
    ],
    # Several models have a field called `kind`; give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "SupervisingUnitKindEnum": "registry.choices.SupervisingUnitKind",
        "DrawKindEnum": "oversight.inspections.choices.DrawKind",
        "AuditKindEnum": "oversight.inspections.choices.AuditKind",
        "SupervisorOpinionEnum": "oversight.annual_reports.choices.SupervisorOpinion",
    },
}

# Domain parameters (DOMAIN.md marks these as local or unconfirmed: configurable, not constants).
REGISTRY_DIVISION_CODE = os.environ.get("REGISTRY_DIVISION_CODE", "440304")  # R-USCC-05
REGISTRY_AUTHORITY_NAME = os.environ.get("REGISTRY_AUTHORITY_NAME", "深圳市福田区民政局")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Legal periods (DOMAIN.md D4–D7, D11) are policy, not settings: common.policy.LegalPeriod,
# effective from a date and edited by staff, so every process decides with the same value.

# Large API counts are cached per scope; 0 makes every count exact (common.api.pagination).
API_COUNT_CACHE_SECONDS = int(os.environ.get("API_COUNT_CACHE_SECONDS", "60"))
API_COUNT_CACHE_MIN = int(os.environ.get("API_COUNT_CACHE_MIN", "10000"))
# Admin changelists of the register count exactly up to this many rows, and show the
# planner's estimate (marked 约) beyond it (common.admin_changelist).
ADMIN_EXACT_COUNT_LIMIT = int(os.environ.get("ADMIN_EXACT_COUNT_LIMIT", "50000"))

# Credit lists (DOMAIN.md §3): document numbers and the issuing authority. The periods are
# legal periods (common.policy).
# How many of the latest report cycles whose bureau deadline has passed the daily job checks
# for missing reports (R-CRD-02(1)); older cycles were checked when they were the latest.
CREDIT_REPORT_CYCLES_CHECKED = int(os.environ.get("CREDIT_REPORT_CYCLES_CHECKED", "2"))
CREDIT_DECISION_NO_PATTERN = os.environ.get(
    "CREDIT_DECISION_NO_PATTERN", "福民信〔{year}〕{seq:04d}号"
)
CREDIT_AUTHORITY = os.environ.get("CREDIT_AUTHORITY", REGISTRY_AUTHORITY_NAME)
