import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.settings import parse_database_url
from tests.factories import PRODUCTION_KEYS

ROOT = Path(settings.BASE_DIR)


def test_default_database_is_sqlite_under_var(tmp_path):
    config = parse_database_url("", var_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "portal.sqlite3")


def test_postgres_url_uses_the_postgresql_backend(tmp_path):
    config = parse_database_url("postgres://portal:secret@db.internal:5433/county", var_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.internal", 5433, "county", "portal")


@pytest.mark.parametrize("url", ["mysql://x@h/db", "not a url", "postgres://localhost", "postgres://u@h:notaport/db"])
def test_bad_database_url_is_refused_naming_the_variable(url, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url, var_dir=tmp_path)


def run_manage(*args, **env):
    excluded = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the browser tests set the last
    full_env = {k: v for k, v in os.environ.items() if k not in excluded}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_wrong_database_url_fails_at_start_with_one_clear_line(tmp_path):
    result = run_manage("check", DEBUG="1", DATABASE_URL="mysql://root@localhost/portal", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = run_manage("check", DEBUG="0", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_local_secret_key_is_generated_once_and_kept(tmp_path):
    first = run_manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", DEBUG="1", VAR_DIR=str(tmp_path))
    second = run_manage("shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", DEBUG="1", VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip() == (tmp_path / "secret_key").read_text().strip()
    assert len(first.stdout.strip()) >= 50


def test_deploy_check_is_clean_with_debug_off(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x7!" * 20 + "production-like-key", ALLOWED_HOSTS="xxgk.example.gov.cn", VAR_DIR=str(tmp_path),
        **PRODUCTION_KEYS,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_site_speaks_chinese_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_redis_url_selects_a_shared_cache(tmp_path):
    result = run_manage(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DEBUG="1", VAR_DIR=str(tmp_path), REDIS_URL="redis://cache.internal:6379/0",
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


def test_unreachable_database_fails_with_one_line_naming_the_variable(tmp_path):
    result = run_manage("migrate", DEBUG="1", VAR_DIR=str(tmp_path), DATABASE_URL="postgres://nobody@127.0.0.1:9/nodb")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "DATABASE_URL" in lines[0]


@pytest.mark.parametrize("threshold, options", [
    (None, "{'server_side_binding': True, 'prepare_threshold': 5}"),
    ("2", "{'server_side_binding': True, 'prepare_threshold': 2}"),
    ("0", "{}"),  # for a pooler that cannot keep prepared statements
])
def test_postgresql_queries_are_prepared_unless_turned_off(tmp_path, threshold, options):
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://portal@db.internal:5432/portal"}
    if threshold is not None:
        env["DATABASE_PREPARE_THRESHOLD"] = threshold
    show = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = run_manage("shell", "--no-imports", "-c", show, **env)
    assert result.stdout.strip() == options, result.stderr


def test_sqlite_has_no_prepared_statement_options(tmp_path):
    show = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = run_manage("shell", "--no-imports", "-c", show, DEBUG="1", VAR_DIR=str(tmp_path), DATABASE_PREPARE_THRESHOLD="5")
    assert "prepare_threshold" not in result.stdout and result.returncode == 0, result.stderr
