"""Backups of the database and the uploaded files (MEDIA_ROOT), and their restore into an empty
database and an empty media folder: `manage.py backup` and `manage.py restore`.

One backup is one folder, portal-backup-<YYYYmmdd-HHMMSS>/, holding the database (database.dump,
pg_dump's custom format, or database.sqlite3, a copy made through SQLite's online backup API), the
uploaded files under media/ as they are in MEDIA_ROOT, and manifest.json naming every file with its
size and SHA-256. A folder rather than a .tar: the files are copied once (no second copy to pack,
no unpacking before the check), a copy program (rsync, restic) sends off-site only what changed
since the last backup, and one damaged file is named and the others stay readable. The folder is
written as .<name>.partial and renamed when its manifest is complete, so a backup cut short by a
full disk or a crash never looks like a backup."""

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteCreation
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "portal-backup"
VERSION = 1
MANIFEST = "manifest.json"
PREFIX = "portal-backup-"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message (Chinese) says why and what to do."""


def engine_of(database):
    engine = database["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"不支持的数据库类型：{engine}（只支持 PostgreSQL 和 SQLite）")


@contextmanager
def _writing(path):
    """An OSError while writing as a message an operator can act on."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or path
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise BackupError(f"磁盘空间不足，无法写入 {where}，请清理磁盘或换一个有足够空间的位置") from None
        raise BackupError(f"无法写入 {where}：{exc.strerror or exc}") from None


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source, target):
    """Copy one file, returning what the manifest says of it (hashed from the bytes written)."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as reader, open(target, "xb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _media_files(root):
    """Every regular file under root, as (path, name relative to root with /), in a stable order."""
    if not root.exists():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


# PostgreSQL ------------------------------------------------------------------------------------

def _pg_environment(database):
    """libpq's variables for the command-line tools: the password never appears in a process list."""
    environment = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            environment[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return environment


def _pg_connect(database):
    import psycopg

    try:
        return psycopg.connect(
            dbname=database["NAME"], host=database.get("HOST") or None, port=database.get("PORT") or None,
            user=database.get("USER") or None, password=database.get("PASSWORD") or None,
            sslmode=database.get("OPTIONS", {}).get("sslmode"), connect_timeout=10, autocommit=True,
        )
    except psycopg.Error as exc:
        raise BackupError(f"无法连接数据库 {_describe(database)}：{str(exc).strip()}") from None


def _describe(database):
    if engine_of(database) == "sqlite":
        return str(database["NAME"])
    return f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}/{database['NAME']}"


def _pg_tool(name, major):
    """pg_dump or pg_restore of the server's major version: pg_dump refuses a server newer than itself,
    and a dump made by a newer pg_dump is refused by an older pg_restore."""
    candidates = []
    if settings.POSTGRES_BIN_DIR:
        candidates.append(Path(settings.POSTGRES_BIN_DIR) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))  # Debian's layout
    candidates.append(Path(f"/usr/pgsql-{major}/bin/{name}"))  # the PGDG packages on RHEL
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(name)
    if found:
        version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
        # "pg_dump (PostgreSQL) 16.4": a newer client serves an older server, never the reverse.
        number = version.split()[-1].split(".")[0] if version.split() else ""
        if number.isdigit() and int(number) >= major:
            return found
    raise BackupError(
        f"找不到与数据库服务器版本（PostgreSQL {major}）相符的 {name}：请安装 postgresql-client-{major}，"
        f"或用环境变量 POSTGRES_BIN_DIR 指明其所在目录"
    )


def _run(command, database, what):
    result = subprocess.run(command, env=_pg_environment(database), capture_output=True, text=True)
    if result.returncode != 0:
        message = result.stderr.strip()
        if "No space left" in message or "could not write" in message:
            raise BackupError(f"磁盘空间不足，{what}未完成：{message}")
        raise BackupError(f"{what}失败（{Path(command[0]).name} 退出码 {result.returncode}）：{message}")


def _dump_postgresql(connection, path):
    major = connection.pg_version // 10000
    _run([_pg_tool("pg_dump", major), "--format=custom", f"--file={path}", connection.settings_dict["NAME"]],
         connection.settings_dict, "数据库备份")
    return {"server_version": major}


def _require_empty_postgresql(database):
    with _pg_connect(database) as connection:
        count = connection.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
        ).fetchone()[0]
        major = connection.info.server_version // 10000
    if count:
        name = database["NAME"]
        raise BackupError(
            f"目标数据库 {_describe(database)} 不是空的（已有 {count} 个表、索引或序列），恢复只写入空数据库，"
            f"不覆盖现有数据。请新建一个空数据库（例如 createdb {name}_restored）并让 DATABASE_URL 指向它；"
            f"确认旧数据不再需要时，也可 dropdb {name} 后 createdb {name} 再恢复。"
        )
    return major


def _restore_postgresql(database, dump, major):
    # One transaction: a restore that fails half-way leaves the database as empty as it was. No
    # owner and no grants: the objects belong to the user the site connects as, on any server.
    _run([_pg_tool("pg_restore", major), "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
          f"--dbname={database['NAME']}", str(dump)], database, "数据库恢复")


# SQLite ----------------------------------------------------------------------------------------

def _dump_sqlite(connection, path):
    # The online backup API copies a consistent snapshot while the site goes on writing (WAL readers
    # do not block writers); copying the file itself could catch a write half-done.
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file: no -wal beside it to forget.
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        if "full" in str(exc):
            raise BackupError(f"磁盘空间不足，无法写入 {path}，请清理磁盘或换一个有足够空间的位置") from None
        raise BackupError(f"数据库备份失败：{exc}") from None
    finally:
        target.close()
    return {"sqlite_version": sqlite3.sqlite_version}


def _require_empty_sqlite(database):
    name = database["NAME"]
    if SQLiteCreation.is_in_memory_db(name):
        raise BackupError("目标数据库是内存数据库，不能恢复到其中：请让 DATABASE_URL 指向一个新的 SQLite 文件")
    path = Path(name)
    if not path.parent.is_dir():
        raise BackupError(f"无法连接数据库 {name}：目录 {path.parent} 不存在")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
            count = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开数据库 {name}：{exc}") from None
    if count:
        raise BackupError(
            f"目标数据库 {name} 不是空的（已有 {count} 个表或索引），恢复只写入空数据库，不覆盖现有数据。"
            f"请让 DATABASE_URL 指向一个新的文件路径；确认旧数据不再需要时，也可先把该文件移走再恢复。"
        )


def _restore_sqlite(database, dump):
    # Through the backup API again, page by page into the target in one transaction: a failure
    # leaves it empty, and whatever journal the empty target had is handled by SQLite itself.
    source = sqlite3.connect(f"{Path(dump).resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(database["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
    except sqlite3.Error as exc:
        if "full" in str(exc):
            raise BackupError(f"磁盘空间不足，无法写入 {database['NAME']}") from None
        raise BackupError(f"数据库恢复失败：{exc}") from None
    finally:
        source.close()


# Backup ----------------------------------------------------------------------------------------

def backup(destination, *, using="default", media_root=None):
    """Write one backup into the folder `destination` (made if missing) and return its path."""
    connection = connections[using]
    engine = engine_of(connection.settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    destination = Path(destination)
    name = f"{PREFIX}{timezone.localtime():%Y%m%d-%H%M%S}"
    target = destination / name
    partial = destination / f".{name}.partial"
    if target.exists():
        raise BackupError(f"备份目标已存在：{target}（同一秒内已做过一次备份），请稍后再试")
    if destination.exists() and not destination.is_dir():
        raise BackupError(f"备份位置 {destination} 不是文件夹")
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(f"无法连接数据库 {_describe(connection.settings_dict)}：{str(exc).strip()}") from None
    with _writing(destination):
        destination.mkdir(parents=True, exist_ok=True)
        try:
            # Personal data: readable by the backup's owner only.
            partial.mkdir(mode=0o700)
        except FileExistsError:
            raise BackupError(f"另一个备份正在写入 {partial}；若它已中断，请删除该文件夹后重试") from None
    try:
        with _writing(partial):
            dump = partial / DUMP_NAMES[engine]
            details = (_dump_postgresql if engine == "postgresql" else _dump_sqlite)(connection, dump)
            files = {dump.name: {"sha256": _sha256(dump), "size": dump.stat().st_size}}
            # After the database: each file a row names was written before that row committed, so it
            # is here; a file uploaded meanwhile comes along unnamed and does no harm.
            for path, relative in _media_files(media_root):
                try:
                    files[f"media/{relative}"] = _copy(path, partial / "media" / relative)
                except FileNotFoundError as exc:
                    if exc.filename != str(path):
                        raise
                    # Deleted since the walk began (a replaced draft's file): no row of the dump names it.
                    continue
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.localtime().isoformat(),
                "engine": engine,
                **details,
                "migrations": sorted(f"{app}.{migration}" for app, migration in
                                     MigrationRecorder(connection).applied_migrations()),
                "files": files,
            }
            (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


# Restore ---------------------------------------------------------------------------------------

def verify(path):
    """Read a backup's manifest and check every file against it; return the manifest. Touches nothing."""
    path = Path(path)
    if not path.is_dir():
        raise BackupError(f"找不到备份文件夹：{path}")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        engine, files = manifest["engine"], manifest["files"]
        if manifest["format"] != FORMAT or engine not in DUMP_NAMES or not all(
            isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("size"), int)
            for entry in files.values()
        ):
            raise ValueError(manifest["format"])
    except FileNotFoundError:
        raise BackupError(f"{path} 不是完整的备份：缺少 {MANIFEST}（备份可能未写完）") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BackupError(f"备份已损坏：{path / MANIFEST} 无法读取") from None
    if manifest["version"] != VERSION:
        raise BackupError(f"备份格式版本 {manifest['version']} 不受本程序支持（支持版本 {VERSION}）")
    if DUMP_NAMES[engine] not in files:
        raise BackupError(f"备份已损坏：{MANIFEST} 中没有数据库文件 {DUMP_NAMES[engine]}")
    for name, expected in files.items():
        # A manifest names files inside the backup only: never ../ or an absolute path.
        parts = PurePosixPath(name).parts
        if name != DUMP_NAMES[engine] and (len(parts) < 2 or parts[0] != "media" or ".." in parts):
            raise BackupError(f"备份已损坏：{MANIFEST} 中的文件名 {name!r} 无效")
        file = path / name
        if not file.is_file():
            raise BackupError(f"备份已损坏：缺少文件 {name}，未恢复任何数据")
        if file.stat().st_size != expected["size"] or _sha256(file) != expected["sha256"]:
            raise BackupError(f"备份已损坏：文件 {name} 的校验和与清单不符，未恢复任何数据")
    listed = set(files) | {MANIFEST}
    for file in sorted(path.rglob("*")):
        if file.is_file() and file.relative_to(path).as_posix() not in listed:
            raise BackupError(f"备份中有清单未列出的文件：{file.relative_to(path).as_posix()}，未恢复任何数据")
    return manifest


def _require_empty_media(media_root):
    if media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir())):
        raise BackupError(
            f"上传文件目录 {media_root} 不是空的，恢复只写入空目录，不覆盖现有文件。"
            f"请让 MEDIA_ROOT 指向一个新的目录，或先把现有目录移走再恢复。"
        )


def restore(path, *, database=None, media_root=None):
    """Restore the backup at `path` into an empty database and an empty media folder; return its
    manifest. Every file is checked first; a refused backup changes nothing."""
    path = Path(path)
    database = database or connections["default"].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = verify(path)
    engine = engine_of(database)
    if manifest["engine"] != engine:
        theirs, ours = ENGINE_NAMES[manifest["engine"]], ENGINE_NAMES[engine]
        raise BackupError(
            f"这是 {theirs} 数据库的备份，不能恢复到 {ours} 数据库（DATABASE_URL 指向 {ours}）："
            f"两种数据库的文件互不相通。请让 DATABASE_URL 指向一个空的 {theirs} 数据库后再恢复。"
        )
    _require_empty_media(media_root)
    major = _require_empty_postgresql(database) if engine == "postgresql" else _require_empty_sqlite(database)

    # The files go to a hidden folder inside MEDIA_ROOT first (MEDIA_ROOT may be a mount point that
    # cannot be renamed), the database next, and the files into place only once it is in.
    staging = media_root / ".restoring"
    media = sorted(name for name in manifest["files"] if name.startswith("media/"))
    try:
        with _writing(media_root):
            media_root.mkdir(parents=True, exist_ok=True)
            for name in media:
                copied = _copy(path / name, staging / name.removeprefix("media/"))
                if copied["sha256"] != manifest["files"][name]["sha256"]:
                    raise BackupError(f"备份已损坏：文件 {name} 在恢复时读出的内容与清单不符，未恢复任何数据")
        dump = path / DUMP_NAMES[engine]
        if engine == "postgresql":
            _restore_postgresql(database, dump, major)
        else:
            _restore_sqlite(database, dump)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if staging.exists():
        for entry in staging.iterdir():
            entry.rename(media_root / entry.name)
        staging.rmdir()
    _forget_cached_pages()
    return manifest


def _forget_cached_pages():
    """Pages rendered from the data before the restore must not be served after it. The search
    index is in the database and came back with it."""
    from portal import cache

    try:
        cache.bump()
    except Exception as exc:
        raise BackupError(
            f"数据库和上传文件已恢复，但页面缓存无法作废（{exc}）：请先清空页面缓存（var/page-cache/ 或 Redis）再启动网站"
        ) from None
