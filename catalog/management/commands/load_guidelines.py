from django.core.management.base import BaseCommand

from catalog.guidelines import load_guidelines


class Command(BaseCommand):
    help = "载入26个试点领域及其国家标准指引目录（已存在的不变）。Load the 26 pilot domains and their guideline catalogues (idempotent)."

    def handle(self, *args, **options):
        domains, guidelines = load_guidelines()
        self.stdout.write(f"新增领域 {domains} 个，新增标准指引 {guidelines} 个。")
