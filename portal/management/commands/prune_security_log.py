import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.models import SecurityEvent

# 网络安全法第二十一条: network logs are kept no less than six months.
MINIMUM_DAYS = 183


class Command(BaseCommand):
    help = (
        "删除保存期限（SECURITY_LOG_RETENTION_DAYS，默认190天，不得少于183天）之前的安全事件；"
        "只在运行本命令时删除，从不自动删除。"
        " Delete security events older than SECURITY_LOG_RETENTION_DAYS (default 190, at least 183:"
        " 网络安全法 art. 21 keeps logs six months). Nothing is ever deleted except by running this."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None,
            help="保留最近多少天（默认取 SECURITY_LOG_RETENTION_DAYS，不得少于183）。"
                 " Days to keep (default SECURITY_LOG_RETENTION_DAYS; at least 183).",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="只显示将删除多少条，不删除。 Only count what would be deleted.",
        )

    def handle(self, *args, days, dry_run, **options):
        days = settings.SECURITY_LOG_RETENTION_DAYS if days is None else days
        if days < MINIMUM_DAYS:
            raise CommandError(f"保存期限 {days} 天太短：网络安全法要求日志至少保存六个月（{MINIMUM_DAYS}天）")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = SecurityEvent.objects.filter(at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"将删除 {old.count()} 条 {cutoff:%Y-%m-%d %H:%M} 之前的安全事件（未删除）")
            return
        deleted, _ = old.delete()
        self.stdout.write(f"已删除 {deleted} 条 {cutoff:%Y-%m-%d %H:%M} 之前的安全事件")
