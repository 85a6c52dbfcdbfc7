from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份，网站运行时也可备份）和全部上传文件，"
        "写入 目录/portal-backup-日期-时间/，附每个文件的 SHA-256 校验和清单（manifest.json）。"
        " Back up the database and every uploaded file into FOLDER/portal-backup-<date>-<time>/, with a"
        " manifest of SHA-256 checksums; safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", help="存放备份的目录（不存在时创建）。 The folder that holds the backups (made if missing).",
        )

    def handle(self, *args, folder, **options):
        try:
            path = backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"备份完成：{path}")
