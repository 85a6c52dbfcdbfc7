from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from catalog.excel import ExcelRefused, check_upload_size, parse_catalogue
from catalog.models import Domain
from catalog.workflow import WorkflowError, import_items
from portal.models import Organisation


class Command(BaseCommand):
    help = (
        "把Excel标准目录导入某单位某领域的草稿（没有草稿则新建，已有草稿则替换其事项）。"
        " Import an .xlsx catalogue table into an organisation's draft for a domain."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel文件（.xlsx） / the .xlsx file")
        parser.add_argument("--organisation", required=True, help="单位全称或简称 / organisation name")
        parser.add_argument("--domain", required=True, help="领域名称，如“户籍管理” / domain name")
        parser.add_argument(
            "--user", default=None,
            help="记录为操作人的用户名，默认为第一个超级用户 / username recorded as the actor (default: first superuser)",
        )

    def handle(self, *args, file, organisation, domain, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        org = Organisation.objects.filter(name=organisation).first() or Organisation.objects.filter(
            short_name=organisation
        ).first()
        if org is None:
            raise CommandError(f"未知单位：{organisation}")
        dom = Domain.objects.filter(name=domain).first()
        if dom is None:
            raise CommandError(f"未知领域：{domain}（应为26个试点领域之一，如“户籍管理”）")
        actor = (
            User.objects.filter(username=user).first() if user
            else User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("找不到操作人：请用 --user 指定一个用户名，或先创建超级用户")
        try:
            check_upload_size(path.stat().st_size)  # before reading it into memory
            parsed = parse_catalogue(path.read_bytes(), domain=dom)
        except ExcelRefused as exc:
            raise CommandError(str(exc)) from None
        if parsed.problems:
            for problem in parsed.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"共 {len(parsed.problems)} 处错误，未导入任何内容")
        try:
            draft = import_items(org, dom, parsed, by=actor, filename=path.name)
        except WorkflowError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已导入 {draft}：一级事项 {len(parsed.items)} 个，"
            f"二级事项 {sum(len(top.children) for top in parsed.items)} 个。"
        )
        for top in parsed.items:
            self.stdout.write(f"  {top.name}" + (f"：{'、'.join(c.name for c in top.children)}" if top.children else ""))
