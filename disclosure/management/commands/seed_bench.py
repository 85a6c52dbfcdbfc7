"""seed_bench: realistic data at benchmark size (10^5–10^6 documents) for bench/run.

Rows are written directly, not through the workflow functions (which take a row lock and write an
event and a history row per step, far too slow at this size), so this command itself keeps what
the workflows would: index numbers from IndexCounter, a 不公开依据 on every non-public item, an event
per document, and change-feed entries for exactly what is public. PostgreSQL gets COPY; SQLite
gets executemany of the same rows."""

import datetime
import itertools
import json
import random
import time
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from catalog.guidelines import load_guidelines
from catalog.models import Catalogue, CatalogueItem, Domain, ReviewStep
from disclosure import benchdata
from disclosure.demo import NUMBER_PREFIX
from disclosure.models import Attachment, Document, DocumentEvent, IndexCounter, Topic, publication_deadline
from disclosure.workflow import one_year_after
from portal.demo import load_demo as load_demo_county
from portal.models import CalendarDay, Organisation, PublicChange, credit_code_check_char, validate_credit_code

END = datetime.date(2026, 11, 30)
START = END.replace(year=END.year - 20)
# Publication runs until LAST_PUBLISHED; withdrawals and the catalogues' approval come after it, so
# the change feed's numbering (its order for mirrors) agrees with its times.
LAST_PUBLISHED = END - datetime.timedelta(days=10)
TZ = timezone.get_fixed_timezone(8 * 60)

# Departments and townships a county of this size has beyond the demo county's, with their 机关代字.
EXTRA_ORGANISATIONS = [
    ("青禾县科学技术局", "县科技局", "department", "青科发"), ("青禾县工业和信息化局", "县工信局", "department", "青工信发"),
    ("青禾县统计局", "县统计局", "department", "青统发"), ("青禾县审计局", "县审计局", "department", "青审发"),
    ("青禾县商务局", "县商务局", "department", "青商发"), ("青禾县林业局", "县林业局", "department", "青林发"),
    ("青禾县城市管理局", "县城管局", "department", "青城管发"), ("青禾县行政审批服务局", "县行政审批局", "department", "青审批发"),
    ("青禾县信访局", "县信访局", "department", "青信访发"), ("青禾县民族宗教事务局", "县民宗局", "department", "青民宗发"),
    ("青禾县体育发展中心", "县体育中心", "department", "青体发"), ("青禾县档案馆", "县档案馆", "department", "青档发"),
    ("青禾县粮食和物资储备局", "县粮储局", "department", "青粮发"), ("青禾县机关事务服务中心", "县机关事务中心", "department", "青机事发"),
    ("青禾县人民防空办公室", "县人防办", "department", "青人防发"), ("青禾县地方金融服务中心", "县金融中心", "department", "青金发"),
    ("青禾县数据局", "县数据局", "department", "青数据发"), ("青禾县残疾人联合会", "县残联", "department", "青残联发"),
    ("青禾县供销合作社联合社", "县供销社", "department", "青供销发"), ("青禾县气象局", "县气象局", "department", "青气发"),
    ("大河镇人民政府", "大河镇", "township", "大政发"), ("新集镇人民政府", "新集镇", "township", "新政发"),
    ("马庄镇人民政府", "马庄镇", "township", "马政发"), ("高庙乡人民政府", "高庙乡", "township", "高政发"),
    ("红岩乡人民政府", "红岩乡", "township", "红政发"), ("永安镇人民政府", "永安镇", "township", "永政发"),
    ("青山镇人民政府", "青山镇", "township", "青山政发"), ("双井乡人民政府", "双井乡", "township", "双政发"),
    ("三里河街道办事处", "三里河街道", "subdistrict", "三街发"), ("西城街道办事处", "西城街道", "subdistrict", "西街发"),
]

# Public documents by Genre value, with relative weights.
PUBLIC_GENRES = [
    ("notice", 30), ("plan", 10), ("publicity", 12), ("announcement", 8), ("notice_public", 6), ("statistics", 8),
    ("opinion", 6), ("report", 5), ("reply", 3), ("decision", 2), ("interpretation", 5), ("minutes", 1), ("other", 4),
]
G = Document.Ground
WITHHELD = [
    (G.PROCESS_INFORMATION, "属于研究讨论过程中的过程性信息，尚未形成正式决定。", "关于{s}有关问题的请示"),
    (G.INTERNAL_AFFAIRS, "属于本机关内部人事管理事务信息。", "{s}干部任免审批材料"),
    (G.INTERNAL_AFFAIRS, "属于本机关后勤管理等内部事务信息。", "关于{s}内部工作调整的通知"),
    (G.THIRD_PARTY, "涉及企业商业秘密，经征求第三方意见不同意公开。", "有关企业{s}经营情况的报告"),
    (G.ENFORCEMENT_FILE, "属于行政执法案卷信息。", "{s}执法案卷"),
    (G.PROCESS_INFORMATION, "属于讨论记录等过程性信息。", "{s}专题会议纪要"),
]
ON_REQUEST = [
    (G.SPECIFIC_PARTIES, "仅与特定申请人相关，依申请提供。", "关于{s}申请事项的答复"),
    (G.THIRD_PARTY, "涉及个人隐私，仅向权利人提供。", "{s}人员名册"),
]
RETURN_NOTES = ("文号与发文登记不一致，请核对后重新提交。", "请补充政策解读后重新提交。", "正文附表数据有误，请核对。")


class Writer:
    """Writes rows of one model: COPY on PostgreSQL, executemany on SQLite. Rows are tuples in `columns` order."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def moment(self, value):
        # SQLite stores naive UTC text, as Django writes it.
        return value if self.postgres else timezone.make_naive(value, datetime.timezone.utc)

    def uuid(self, value):
        return value if self.postgres else value.hex

    def skip_foreign_key_checks(self):
        """On PostgreSQL, for this session: every key written here names a row made or read by this command,
        and checking each one at commit (Django's deferred constraints) costs more than writing the rows.
        Needs a superuser (a throwaway benchmark cluster); otherwise the checks stay on."""
        if not self.postgres:
            return False
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        except DatabaseError:
            return False
        return True

    def restore_foreign_key_checks(self):
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("RESET session_replication_role")

    def write(self, model, columns, rows):
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)

    def reset_sequences(self, models):
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def model_columns(model, given):
    """Every concrete column of `model`, `given` first; a column added later by another app (a search
    vector, say) is filled with its field's default."""
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    # The primary key, when not given, comes from the table's sequence.
    extra = [f for f in fields if f.attname not in given and not f.primary_key]
    return [*given, *(f.column for f in extra)], tuple(f.get_default() for f in extra)


def next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def at(day, rng):
    return datetime.datetime.combine(day, datetime.time(8 + rng.randint(0, 9), rng.randint(0, 59)), tzinfo=TZ)


class Seeder:
    def __init__(self, rng, stdout):
        self.rng = rng
        self.stdout = stdout
        self.writer = Writer()
        self.words = benchdata.Vocabulary(rng)
        self.admin = User.objects.get(username="admin")
        # Four eyes: a county-office member approves, never the creator.
        self.approver = User.objects.get(username="xfb_fuhe")
        # Feed entries dated after the last publication: written after the documents' entries.
        self.late_changes = []

    # --- organisations, topics, catalogues -------------------------------------------------------

    def organisations(self):
        county = Organisation.objects.get(kind=Organisation.Kind.COUNTY_GOVERNMENT, parent=None, name="青禾县人民政府")
        existing = set(Organisation.objects.filter(parent=county).values_list("name", flat=True))
        with Organisation.objects.delay_mptt_updates():
            for number, (name, short, kind, _) in enumerate(EXTRA_ORGANISATIONS, start=1):
                if name in existing:
                    continue
                first17 = f"11379921004362{number:03d}"
                code = first17 + credit_code_check_char(first17)
                validate_credit_code(code)
                Organisation.objects.create(
                    name=name, short_name=short, kind=kind, parent=county, sequence=100 + number, credit_code=code,
                    address=f"青禾县{short.removeprefix('县')}路{number}号", postcode="379900", phone=f"0539-79{number:05d}",
                    office_hours="工作日上午8:30-12:00，下午14:00-17:30",
                )
        prefixes = {short: prefix for _, short, _, prefix in EXTRA_ORGANISATIONS} | NUMBER_PREFIX
        bodies = list(
            Organisation.objects.filter(is_disclosure_body=True).exclude(credit_code="").order_by("tree_id", "lft")
        )
        for organisation in bodies:
            short = organisation.short_name or organisation.name
            organisation.number_prefix = prefixes.get(short) or f"{short.removeprefix('县')[:2]}发"
        # The county government and the big departments publish most: Zipf over a fixed order.
        head, tail = bodies[:1], bodies[1:]
        self.rng.shuffle(tail)
        self.bodies = head + tail
        self.body_weights = benchdata.zipf_cum_weights(len(self.bodies), exponent=0.6, offset=4)

    def topics(self):
        path = settings.BASE_DIR / "fixtures" / "topics.json"
        for top in json.loads(path.read_text(encoding="utf-8")):
            parent, _ = Topic.objects.get_or_create(code=top["code"], defaults={"name": top["name"]})
            for child in top["children"]:
                Topic.objects.get_or_create(code=child["code"], defaults={"name": child["name"], "parent": parent})
        self.topic_ids = list(Topic.objects.filter(parent__isnull=False).order_by("code").values_list("pk", flat=True))
        self.rng.shuffle(self.topic_ids)
        self.topic_weights = benchdata.zipf_cum_weights(len(self.topic_ids), exponent=0.8)

    @transaction.atomic
    def catalogues(self, target):
        """Published catalogues copied from the national guidelines, organisation by organisation, until
        `target` items exist; MPTT columns are computed here, a tree per 一级事项 as the model keeps them."""
        guideline_items = {}
        for item in CatalogueItem.objects.filter(catalogue__is_guideline=True).order_by("tree_id", "lft"):
            guideline_items.setdefault(item.catalogue_id, []).append(item)
        guidelines = {c.domain_id: guideline_items.get(c.pk, []) for c in Catalogue.objects.filter(is_guideline=True)}
        taken = set(Catalogue.objects.filter(organisation__isnull=False).values_list("organisation_id", "domain_id"))
        domains = list(Domain.objects.filter(pk__in=guidelines).values_list("pk", flat=True))
        item_id, tree_id = next_id(CatalogueItem), (CatalogueItem.objects.aggregate(t=Max("tree_id"))["t"] or 0) + 1
        made = CatalogueItem.objects.filter(catalogue__is_guideline=False).count()
        columns, extra = model_columns(CatalogueItem, [
            "id", "catalogue_id", "parent_id", "key", "guideline_item_id", "name", "content", "basis", "deadline",
            "deadline_days", "owner", "channels", "audience", "method", "level_county", "level_township",
            "lft", "rght", "tree_id", "level",
        ])
        # Documents are filed under the leaf items (二级事项, or 一级事项 without any) of published catalogues.
        self.items_by_org = {}
        leaves = CatalogueItem.objects.filter(
            catalogue__state=Catalogue.State.PUBLISHED, catalogue__is_guideline=False, children__isnull=True
        )
        for organisation_id, pk in leaves.values_list("catalogue__organisation_id", "pk").order_by("pk"):
            self.items_by_org.setdefault(organisation_id, []).append(pk)
        catalogues, rows = 0, []
        pairs = [(o, d) for o in self.bodies for d in domains if (o.pk, d) not in taken]
        self.rng.shuffle(pairs)
        for organisation, domain_id in pairs:
            if made >= target:
                break
            township = organisation.kind in (Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT)
            level = "level_township" if township else "level_county"
            source = guidelines[domain_id]
            tops = [i for i in source if i.parent_id is None]
            children = {}
            for item in source:
                if item.parent_id and getattr(item, level):
                    children.setdefault(item.parent_id, []).append(item)
            tops = [t for t in tops if children.get(t.pk) or (not t.get_descendant_count() and getattr(t, level))]
            if not tops:
                continue
            moment = at(LAST_PUBLISHED + datetime.timedelta(days=self.rng.randint(1, 9)), self.rng)
            catalogue = Catalogue.objects.create(
                domain_id=domain_id, organisation=organisation, version=1, state=Catalogue.State.PUBLISHED,
                published_at=moment,
            )
            ReviewStep.objects.create(
                catalogue=catalogue, action=ReviewStep.Action.APPROVE, from_state=Catalogue.State.FIRST_REVIEWED,
                to_state=Catalogue.State.PUBLISHED, actor=self.approver, comment="复核通过。",
            )
            self.late_changes.append(("catalogue", catalogue.pk, "published", moment))
            catalogues += 1
            leaves = self.items_by_org.setdefault(organisation.pk, [])
            for top in tops:
                kids = children.get(top.pk, [])
                top_id = item_id
                rows.append(self._item_row(top_id, catalogue, None, top, organisation, 1, 2 * len(kids) + 2, tree_id, 0) + extra)
                item_id += 1
                if not kids:
                    leaves.append(top_id)
                for position, kid in enumerate(kids):
                    rows.append(self._item_row(item_id, catalogue, top_id, kid, organisation, 2 + 2 * position,
                                               3 + 2 * position, tree_id, 1) + extra)
                    leaves.append(item_id)
                    item_id += 1
                tree_id += 1
                made += 1 + len(kids)
        self.writer.write(CatalogueItem, columns, rows)
        self.stdout.write(f"公开事项 {made} 项（新增目录 {catalogues} 个）/ catalogue items")

    def _item_row(self, pk, catalogue, parent_id, source, organisation, lft, rght, tree_id, level):
        return (
            pk, catalogue.pk, parent_id, self.writer.uuid(uuid.UUID(int=self.rng.getrandbits(128))), source.pk,
            source.name, source.content, source.basis, source.deadline, source.deadline_days, organisation.name,
            json.dumps(source.channels), source.audience, source.method, source.level_county, source.level_township,
            lft, rght, tree_id, level,
        )

    # --- documents -------------------------------------------------------------------------------

    def documents(self, count, batch):
        rng, words, w = self.rng, self.words, self.writer
        if w.skip_foreign_key_checks():
            self.stdout.write("本会话不逐行检查外键 / foreign-key triggers off for this session")
        overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        deadline = lru_cache(maxsize=None)(lambda day: publication_deadline(day, overrides))
        doc_columns, doc_extra = model_columns(Document, [
            "id", "title", "organisation_id", "index_number", "document_number", "written_date", "formed_on",
            "publish_by", "publish_by_is_provisional", "publish_date", "topic_id", "genre", "catalogue_item_id", "body",
            "attribute", "ground", "ground_reason", "validity", "replaced_by_id", "is_normative", "is_disclosure_rule",
            "status", "next_assessment_date", "created_by_id", "created_at", "updated_at",
        ])
        event_columns, event_extra = model_columns(DocumentEvent, [
            "document_id", "action", "from_status", "to_status", "actor_id", "at", "note", "working_days_late",
        ])
        attachment_columns, attachment_extra = model_columns(Attachment, [
            "document_id", "file", "original_name", "kind", "size", "position", "uploaded_at",
        ])
        change_columns, change_extra = model_columns(PublicChange, ["kind", "object_id", "action", "at"])
        genres, genre_weights = zip(*PUBLIC_GENRES)
        genre_cum = list(itertools.accumulate(genre_weights))
        self.serials = {(c.organisation_id, c.year): c.last_serial for c in IndexCounter.objects.all()}
        number_serials = {}
        # Publication days in order, more in recent years (an archive grows): ids follow publication.
        span = (LAST_PUBLISHED - START).days
        days = sorted(int(span * (rng.random() if rng.random() < 0.3 else rng.random() ** 0.5)) for _ in range(count))
        withdrawals = []
        last_day, same_day = None, 0
        document_id = next_id(Document)
        media = Path(settings.MEDIA_ROOT)
        stats = {"public": 0, "non_public": 0, "unpublished": 0, "withdrawn": 0, "attachments": 0}
        started = time.monotonic()
        for offset in range(0, count, batch):
            documents, events, attachments, changes = [], [], [], []
            for position in range(offset, min(offset + batch, count)):
                pk = document_id + position
                organisation = benchdata.pick(self.body_weights, self.bodies, rng)
                published_on = START + datetime.timedelta(days=days[position])
                written = published_on - datetime.timedelta(days=rng.randint(0, 12))
                year = written.year
                r = rng.random()
                status = ("draft" if r < 0.015 else "submitted" if r < 0.022 else "returned" if r < 0.025
                          else "withdrawn" if r < 0.04 else "published")
                a = rng.random()
                attribute = "on_request" if a < 0.04 else "withheld" if a < 0.10 else "proactive"
                subject = words.subject()
                ground = ground_reason = ""
                if attribute == "proactive":
                    genre = benchdata.pick(genre_cum, genres, rng)
                    title, genre = benchdata.title(words, genre, organisation=organisation.name, county="青禾县", year=year)
                else:
                    ground, ground_reason, pattern = rng.choice(WITHHELD if attribute == "withheld" else ON_REQUEST)
                    title, genre = organisation.display_name + pattern.format(s=subject), "other"
                normative = genre in ("notice", "opinion", "decision") and organisation.kind != "township" and rng.random() < 0.12
                validity = "valid"
                if normative and year < 2022 and rng.random() < 0.35:
                    validity = rng.choice(("repealed", "expired", "amended"))
                number = ""
                if attribute == "proactive" and (normative or rng.random() < 0.6):
                    key = (organisation.number_prefix, year)
                    number_serials[key] = number_serials.get(key, 0) + rng.randint(1, 3)
                    number = f"{organisation.number_prefix}〔{year}〕{number_serials[key]}号"
                if status in ("draft", "submitted", "returned"):
                    # Work in hand is recent, whatever its place in the sequence.
                    written = END - datetime.timedelta(days=rng.randint(0, 60))
                    published_on = None
                formed_on = written
                publish_by, provisional = deadline(formed_on) if attribute == "proactive" else (None, False)
                index_number = next_assessment = None
                if published_on:
                    # Published in sequence, so the feed's numbers and times agree: seconds apart within a day.
                    same_day = same_day + 1 if published_on == last_day else 0
                    last_day = published_on
                    moment = datetime.datetime.combine(published_on, datetime.time(8), tzinfo=TZ) + datetime.timedelta(
                        seconds=same_day * 30 + rng.randint(0, 29)
                    )
                else:
                    moment = at(written, rng)
                if published_on:
                    serial_key = (organisation.pk, published_on.year)
                    self.serials[serial_key] = self.serials.get(serial_key, 0) + 1
                    index_number = f"{organisation.credit_code}/{published_on.year}-{self.serials[serial_key]:05d}"
                    if attribute == "withheld":
                        next_assessment = one_year_after(published_on)
                items = self.items_by_org.get(organisation.pk)
                item = rng.choice(items) if items and rng.random() < 0.35 else None
                topic = benchdata.pick(self.topic_weights, self.topic_ids, rng)
                body = benchdata.body_html(words, paragraphs=rng.randint(2, 6))
                documents.append((
                    pk, title[:300], organisation.pk, index_number, number, written, formed_on, publish_by, provisional,
                    published_on, topic, genre, item, body, attribute, ground, ground_reason, validity, None, normative,
                    False, status, next_assessment, self.admin.pk, w.moment(moment), w.moment(moment),
                ) + doc_extra)
                if published_on:
                    events.append((pk, "publish", "submitted", "published", self.approver.pk, w.moment(moment), "", None)
                                  + event_extra)
                    if attribute == "proactive":
                        changes.append(("document", pk, "published", w.moment(moment)) + change_extra)
                        stats["public" if status == "published" else "withdrawn"] += 1
                    else:
                        stats["non_public"] += 1
                    if status == "withdrawn":
                        withdrawals.append((pk, attribute == "proactive"))
                else:
                    stats["unpublished"] += 1
                    action, before, note = {
                        "draft": ("create", "", ""), "submitted": ("submit", "draft", ""),
                        "returned": ("return", "submitted", rng.choice(RETURN_NOTES)),
                    }[status]
                    actor = self.approver.pk if status == "returned" else self.admin.pk
                    events.append((pk, action, before, status, actor, w.moment(moment), note, None) + event_extra)
                if rng.random() < 0.02:
                    name = f"attachments/{written.year}/{uuid.UUID(int=rng.getrandbits(128)).hex}.docx"
                    data = benchdata.docx_bytes([title, *benchdata.attachment_lines(words, rng.randint(2, 5))])
                    path = media / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    attachments.append((pk, name, f"{subject[:40]}.docx", "docx", len(data), 0, w.moment(moment))
                                       + attachment_extra)
                    stats["attachments"] += 1
            with transaction.atomic():
                w.write(Document, doc_columns, documents)
                w.write(DocumentEvent, event_columns, events)
                w.write(Attachment, attachment_columns, attachments)
                w.write(PublicChange, change_columns, changes)
            done = min(offset + batch, count)
            rate = done / max(time.monotonic() - started, 0.001)
            self.stdout.write(f"已生成 {done}/{count} 件（{rate:.0f} 件/秒）/ documents written")
        self._withdraw(withdrawals, event_columns, event_extra, change_columns, change_extra)
        self._counters()
        w.reset_sequences([Document, DocumentEvent, Attachment, PublicChange, CatalogueItem])
        w.restore_foreign_key_checks()
        self.stats = stats

    def _withdraw(self, withdrawals, event_columns, event_extra, change_columns, change_extra):
        """Withdrawals happen after the last publication, so each feed entry is numbered in time order."""
        rng, w = self.rng, self.writer
        events, changes = [], list(self.late_changes)
        for pk, was_public in withdrawals:
            moment = at(LAST_PUBLISHED + datetime.timedelta(days=rng.randint(1, 9)), rng)
            events.append((pk, "withdraw", "published", "withdrawn", self.admin.pk, w.moment(moment), "信息有误，撤回更正。", None)
                          + event_extra)
            if was_public:
                changes.append(("document", pk, "withdrawn", moment))
        changes.sort(key=lambda row: row[3])
        changes = [(*row[:3], w.moment(row[3])) + change_extra for row in changes]
        with transaction.atomic():
            w.write(DocumentEvent, event_columns, events)
            w.write(PublicChange, change_columns, changes)

    @transaction.atomic
    def _counters(self):
        # Every number handed out here is below its counter, so the workflow never hands it out again.
        for (organisation_id, year), serial in self.serials.items():
            counter, _ = IndexCounter.objects.get_or_create(organisation_id=organisation_id, year=year)
            if counter.last_serial < serial:
                counter.last_serial = serial
                counter.save(update_fields=["last_serial"])


class Command(BaseCommand):
    help = (
        "生成性能测试数据：六十余个机构、标准目录公开事项、二十年的政府信息（正文取自按齐普夫分布抽取的政务词汇，"
        "约一成依申请公开或不予公开，部分撤回、草稿和附件），并写入变化记录和搜索索引。可在空库或 load_demo 之后运行。"
        " Seed benchmark data: 60+ organisations, catalogue items, 20 years of documents with Zipf-distributed "
        "government vocabulary (about 10% non-public, some withdrawn, drafts, attachments), the change feed and the "
        "search index. Runs on an empty database or after load_demo; deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=100_000, help="政府信息件数 / how many documents")
        parser.add_argument("--items", type=int, default=10_000, help="公开事项总数 / catalogue items in published catalogues")
        parser.add_argument("--batch", type=int, default=20_000, help="每批写入件数 / rows per write")
        parser.add_argument("--seed", type=int, default=1, help="随机数种子 / random seed")

    def handle(self, *args, documents, items, batch, seed, **options):
        if documents < 0 or items < 0 or batch < 1:
            raise CommandError("件数不能为负数，每批至少1件 / counts must not be negative")
        started = time.monotonic()
        load_demo_county()
        load_guidelines()
        seeder = Seeder(random.Random(seed), self.stdout)
        seeder.organisations()
        seeder.topics()
        seeder.catalogues(items)
        seeder.documents(documents, batch)
        s = seeder.stats
        self.stdout.write(
            f"主动公开 {s['public']} 件，依申请公开或不予公开 {s['non_public']} 件，已撤回 {s['withdrawn']} 件，"
            f"未发布 {s['unpublished']} 件，附件 {s['attachments']} 个；用时 {time.monotonic() - started:.0f} 秒"
        )
        self.rebuild_search()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM also sets the visibility map, for index-only scans; it cannot run in a transaction.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(
            f"完成，共用时 {time.monotonic() - started:.0f} 秒（本进程CPU {time.process_time():.0f} 秒）/ done: wall and CPU seconds"
        )

    def rebuild_search(self):
        # The index is portal's (design §2: disclosure may read portal).
        from portal import search

        started = time.monotonic()
        search.rebuild(progress=lambda count: self.stdout.write(f"  搜索索引 {count} 条 / entries indexed"))
        self.stdout.write(f"搜索索引已重建，用时 {time.monotonic() - started:.0f} 秒 / search index rebuilt")
