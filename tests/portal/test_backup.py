"""manage.py backup and restore: the demo county backed up, restored into an empty database and an
empty media folder, and found intact row by row and byte by byte; a damaged backup restores nothing."""

import datetime
import hashlib
import io
import shutil
import socket
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, connections

from catalog.models import Catalogue, CatalogueItem
from disclosure.models import Attachment, Document, DocumentEvent
from portal import backup, cache
from requests_app.models import Application, ApplicationEvent, Letter

# Every column that names an uploaded file.
FILE_COLUMNS = [
    ("disclosure_attachment", "file"),
    ("disclosure_gazetteissue", "pdf"),
    ("disclosure_gazettepdf", "file"),
    ("requests_app_letter", "file"),
    ("requests_app_application", "supporting_file"),
    ("requests_app_application", "information_file"),
    ("requests_app_application", "redacted_file"),
]


@pytest.fixture(scope="module")
def demo_backup(demo_county, django_db_blocker, tmp_path_factory):
    """One backup of the demo county (tests/conftest.py's demo_county, committed: pg_dump sees only
    committed data), made once for this module."""
    with django_db_blocker.unblock():
        return backup.backup(tmp_path_factory.mktemp("backups"), media_root=demo_county.media), demo_county.media


@pytest.fixture
def empty_database(tmp_path):
    """Settings of a new, empty database beside the test database: a new SQLite file, or a database
    created on the same PostgreSQL cluster."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    import psycopg

    name = f"{source['NAME']}_restored"
    with psycopg.connect(dbname=source["NAME"], host=source["HOST"] or None, port=source["PORT"] or None,
                         user=source["USER"] or None, password=source["PASSWORD"] or None, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        yield {**source, "NAME": name}
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def open_database(settings_dict):
    """A connection of the test database's backend to another database, outside Django's aliases."""
    return type(connections["default"])(settings_dict, alias="restored")


def table_digests(database):
    """Every table's row count and a hash over its rows (sorted, so no column needs an ordering)."""
    digests = {}
    with database.cursor() as cursor:
        for table in database.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {database.ops.quote_name(table)}")
            rows = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                          for row in cursor.fetchall())
            digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests


def file_names(database):
    names = set()
    with database.cursor() as cursor:
        for table, column in FILE_COLUMNS:
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")
            names |= {name for (name,) in cursor.fetchall()}
    return names


def media_digests(root):
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in Path(root).rglob("*") if path.is_file()}


def table_count(database):
    with database.cursor() as cursor:
        return len(database.introspection.table_names(cursor))


def test_backup_of_the_demo_county_restores_into_an_empty_database_with_every_row_and_file_intact(
    demo_backup, db, empty_database, tmp_path
):
    path, source_media = demo_backup
    assert path.name.startswith("portal-backup-") and len(path.name) == len("portal-backup-20261202-013000")
    # What the demo holds, so that "intact" means something.
    for model in (Application, ApplicationEvent, Document, DocumentEvent, Attachment, Letter, Catalogue, CatalogueItem):
        assert model.objects.exists(), model
    assert Catalogue.objects.filter(version__gt=1).exists()
    generation = cache.generation()

    restored_media = tmp_path / "media"
    backup.restore(path, database=empty_database, media_root=restored_media)

    restored = open_database(empty_database)
    try:
        source_digests, restored_digests = table_digests(connection), table_digests(restored)
        for table in ("requests_app_application", "requests_app_applicationevent", "disclosure_document",
                      "disclosure_documentevent", "disclosure_attachment", "requests_app_letter",
                      "catalog_catalogue", "catalog_catalogueitem", "portal_searchentry"):
            assert source_digests[table][0] > 0, table
            assert restored_digests[table] == source_digests[table], table
        # Every other table too, the search index and the history among them.
        assert restored_digests == source_digests
        names = file_names(restored)
    finally:
        restored.close()

    # Every file a row names is there, byte for byte; and nothing else was added or lost.
    source_files, restored_files = media_digests(source_media), media_digests(restored_media)
    assert names and Attachment.objects.count() <= len(names)
    for name in names:
        assert restored_files[name] == source_files[name] == hashlib.sha256((source_media / name).read_bytes()).hexdigest()
    assert restored_files == source_files
    # Pages cached before the restore are stale after it.
    assert cache.generation() != generation

    # Restoring again over what is now there is refused.
    with pytest.raises(backup.BackupError, match="不是空的"):
        backup.restore(path, database=empty_database, media_root=tmp_path / "other-media")


@pytest.mark.parametrize("damaged", ["database", "attachment"])
def test_damaged_backup_is_refused_naming_the_file_and_nothing_is_restored(
    demo_backup, db, empty_database, tmp_path, settings, damaged
):
    path, _ = demo_backup
    copy = shutil.copytree(path, tmp_path / path.name)
    manifest = backup.verify(copy)
    name = (backup.DUMP_NAMES[manifest["engine"]] if damaged == "database"
            else next(name for name in manifest["files"] if name.startswith("media/attachments/")))
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / name).write_bytes(bytes(data))

    restored_media = tmp_path / "media"
    with pytest.raises(backup.BackupError, match=f"文件 {name} 的校验和与清单不符，未恢复任何数据"):
        backup.restore(copy, database=empty_database, media_root=restored_media)
    assert not restored_media.exists()
    restored = open_database(empty_database)
    try:
        assert table_count(restored) == 0
    finally:
        restored.close()

    settings.MEDIA_ROOT = restored_media
    with pytest.raises(CommandError, match=f"备份已损坏：文件 {name}"):
        call_command("restore", str(copy))
    assert not restored_media.exists()


def test_backup_with_a_file_the_manifest_does_not_name_is_refused(demo_backup, db, empty_database, tmp_path):
    path, _ = demo_backup
    copy = shutil.copytree(path, tmp_path / path.name)
    (copy / "media" / "extra.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(backup.BackupError, match="清单未列出的文件：media/extra.pdf"):
        backup.restore(copy, database=empty_database, media_root=tmp_path / "media")
    assert not (tmp_path / "media").exists()


def test_backup_of_one_engine_is_refused_by_the_other_with_the_reason(demo_backup, db, tmp_path):
    path, _ = demo_backup
    if connection.vendor == "sqlite":
        other = {"ENGINE": "django.db.backends.postgresql", "NAME": "portal"}
        message = "这是 SQLite 数据库的备份，不能恢复到 PostgreSQL 数据库"
    else:
        other = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "portal.sqlite3")}
        message = "这是 PostgreSQL 数据库的备份，不能恢复到 SQLite 数据库"
    with pytest.raises(backup.BackupError, match=message):
        backup.restore(path, database=other, media_root=tmp_path / "media")
    assert list(tmp_path.iterdir()) == []


def test_restore_into_an_unreachable_database_says_so(demo_backup, db, tmp_path):
    path, _ = demo_backup
    if connection.vendor == "sqlite":
        unreachable = {**connection.settings_dict, "NAME": str(tmp_path / "no-such-folder" / "portal.sqlite3")}
    else:
        with socket.socket() as probe:  # a port nothing listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        unreachable = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": port}
    with pytest.raises(backup.BackupError, match="无法连接数据库"):
        backup.restore(path, database=unreachable, media_root=tmp_path / "media")
    assert not (tmp_path / "media").exists()


def test_restore_into_a_media_folder_that_holds_files_is_refused(demo_backup, db, empty_database, tmp_path):
    path, _ = demo_backup
    media = tmp_path / "media"
    media.mkdir()
    (media / "old.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(backup.BackupError, match=f"上传文件目录 {media} 不是空的"):
        backup.restore(path, database=empty_database, media_root=media)
    assert [entry.name for entry in media.iterdir()] == ["old.pdf"]


@time_machine.travel(datetime.datetime(2026, 12, 2, 1, 30, tzinfo=datetime.UTC), tick=False)
def test_backup_refuses_a_target_that_exists_2026_12_02(db, tmp_path):
    (tmp_path / "portal-backup-20261202-093000").mkdir()  # 09:30 in Asia/Shanghai
    with pytest.raises(CommandError, match="备份目标已存在"):
        call_command("backup", str(tmp_path))
    assert [entry.name for entry in tmp_path.iterdir()] == ["portal-backup-20261202-093000"]


def test_verify_only_checks_and_restores_nothing(demo_backup, db, settings, tmp_path):
    path, _ = demo_backup
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("restore", str(path), "--check", stdout=out)
    assert "校验和全部相符" in out.getvalue()
    assert not (tmp_path / "media").exists()
