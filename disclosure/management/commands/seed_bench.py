import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from disclosure.models import Document, IndexCounter, Topic
from portal.models import Organisation


class Command(BaseCommand):
    help = (
        "为性能测试批量生成政府信息（默认10万件，九成主动公开）；需先运行 load_demo。"
        " Bulk-create documents for benchmarks (run load_demo first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=100_000, help="要生成的件数 / how many documents")
        parser.add_argument("--batch", type=int, default=5_000, help="每批写入件数 / rows per INSERT batch")

    def handle(self, *args, documents, batch, **options):
        rng = random.Random(1)
        organisations = list(Organisation.objects.filter(is_disclosure_body=True).exclude(credit_code=""))
        topics = list(Topic.objects.filter(parent__isnull=False))
        if not organisations or not topics:
            self.stderr.write("请先运行 load_demo")
            return
        creator_id = Document.objects.values_list("created_by_id", flat=True).first()
        serials = {(c.organisation_id, c.year): c.last_serial for c in IndexCounter.objects.all()}
        start = datetime.date(2015, 1, 1)
        made = 0
        while made < documents:
            rows = []
            for _ in range(min(batch, documents - made)):
                organisation = rng.choice(organisations)
                day = start + datetime.timedelta(days=rng.randint(0, 4300))
                key = (organisation.pk, day.year)
                serials[key] = serials.get(key, 0) + 1
                proactive = rng.random() < 0.9
                rows.append(Document(
                    title=f"{organisation.display_name}关于第{made + len(rows)}项工作的通知",
                    organisation=organisation,
                    index_number=f"{organisation.credit_code}/{day.year}-{serials[key]:05d}",
                    written_date=day, publish_date=day, topic=rng.choice(topics),
                    genre=Document.Genre.NOTICE, body="<p>性能测试正文。</p>",
                    attribute=Document.Attribute.PROACTIVE if proactive else Document.Attribute.WITHHELD,
                    ground="" if proactive else Document.Ground.INTERNAL_AFFAIRS,
                    ground_reason="" if proactive else "内部事务",
                    is_normative=rng.random() < 0.05, status=Document.Status.PUBLISHED, created_by_id=creator_id,
                ))
            with transaction.atomic():
                Document.objects.bulk_create(rows)
            made += len(rows)
            self.stdout.write(f"已生成 {made}/{documents}")
        with transaction.atomic():
            # Keep the counters ahead of every number handed out, so none is reused later.
            for (organisation_id, year), serial in serials.items():
                counter, _ = IndexCounter.objects.get_or_create(organisation_id=organisation_id, year=year)
                counter.last_serial = max(counter.last_serial, serial + 100_000)
                counter.save()
