import time

from django.core.management.base import BaseCommand

from portal import search


class Command(BaseCommand):
    help = (
        "重建站内搜索索引：清空后重新切分所有公开的政府信息、公开事项、机构和政府公报（在一个事务中完成，"
        "完成前搜索使用旧索引）。更换jieba版本或修改词典（fixtures中的领域和指引事项名称）后须运行。"
        " Rebuild the site search index from everything public, in one transaction (searches use the old"
        " index until it commits). Run after upgrading jieba or changing its dictionary (the fixtures'"
        " domain and guideline item names)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=None,
            help="切分词语的进程数（默认每个CPU核心一个）。 Processes that cut words (default: one per core).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000,
            help="每批读取和写入的政府信息件数。 Documents read and written per batch.",
        )

    def handle(self, *args, workers, batch_size, **options):
        started = time.monotonic()

        def progress(count):
            if count % (batch_size * 25) == 0:
                self.stdout.write(f"已索引 {count} 件政府信息（{time.monotonic() - started:.0f} 秒）")

        total = search.rebuild(workers=workers, batch_size=batch_size, progress=progress)
        self.stdout.write(f"搜索索引已重建：共 {total} 条，用时 {time.monotonic() - started:.1f} 秒。")
