from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "从 manage.py backup 做的备份恢复到空数据库（DATABASE_URL）和空的上传文件目录（MEDIA_ROOT）："
        "先核对每个文件的校验和，备份有损坏时不恢复任何内容；不覆盖已有数据。"
        " Restore a backup made by manage.py backup into an empty database and an empty MEDIA_ROOT;"
        " every checksum is verified first and a damaged backup restores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="备份文件夹（portal-backup-…）。 The backup folder (portal-backup-…).")
        parser.add_argument(
            "--check", action="store_true",
            help="只核对备份是否完整，不恢复。 Only verify the backup; restore nothing.",
        )

    def handle(self, *args, backup, check, **options):
        try:
            manifest = verify(backup) if check else restore(backup)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = len(manifest["files"])
        if check:
            self.stdout.write(f"备份完整：{files} 个文件的校验和全部相符（{manifest['created_at']} 备份）。")
        else:
            self.stdout.write(
                f"恢复完成：数据库和 {files - 1} 个上传文件（{manifest['created_at']} 备份）；页面缓存已作废。"
                "请运行 manage.py migrate（备份若来自较早的版本）后启动网站。"
            )
