"""A document's life: create, submit, publish (the reviewer), return, withdraw, change validity, and the
yearly re-assessment of 不予公开 information. The attribute is decided at the source (公开属性源头认定):
nothing is published without one, nor without the 条例 ground when it is not 主动公开."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal import changes, search
from portal.workdays import add_working_days, calendar_overrides

from . import permissions
from .files.pdf import PDF_CLEANING_VERSION
from .models import Document, DocumentEvent, GazetteIssue, GazettePdf, IndexCounter, publication_deadline

# The to-do list warns of a 公开时限 this many working days ahead.
PUBLISH_BY_WARNING_DAYS = 5


class WorkflowError(Exception):
    """A step that is not allowed now or not to this person; the message is for people."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _locked(document):
    return Document.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=document.pk)


def _record(document, action, from_status, *, by, note="", working_days_late=None):
    return DocumentEvent.objects.create(
        document=document, action=action, from_status=from_status, to_status=document.status, actor=by, note=note,
        working_days_late=working_days_late,
    )


def _feed(document, action, event):
    """The mirrors' change feed: `document` became public, changed or stopped being public. Only
    steps that touch public information call this, so a draft's or a 不予公开 item's life never shows."""
    changes.record(changes.Kind.DOCUMENT, document.pk, action, at=event.at)
    # The search index in the same transaction: a withdrawn document is out of search at commit.
    search.index_document(document)
    # A public document names its replacement only while that one is public (the API's replaced_by):
    # those documents changed too.
    for pk in permissions.public_documents().filter(replaced_by=document).values_list("pk", flat=True):
        changes.record(changes.Kind.DOCUMENT, pk, changes.Action.CHANGED, at=event.at)


def one_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_index_number(organisation, year):
    """`<credit code>/<year>-<5-digit serial>`; the counter row is locked, so two publishers at once
    get two numbers, and it only grows, so a number is never handed out twice."""
    if not organisation.credit_code:
        raise WorkflowError(f"{organisation.name}尚未登记统一社会信用代码，无法生成索引号", field="organisation")
    counter, _ = IndexCounter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return f"{organisation.credit_code}/{year}-{counter.last_serial:05d}"


@transaction.atomic
def create(document, *, by):
    """Save a new draft written by a clerk of its organisation."""
    if not permissions.can_compile(by, document.organisation):
        raise WorkflowError("只能以本单位名义创建政府信息", field="organisation")
    document.status = Document.Status.DRAFT
    document.created_by = by
    if document.formed_on is None:
        document.formed_on = document.written_date  # 形成日期: as a rule the day it was written
    document.save()
    _record(document, DocumentEvent.Action.CREATE, "", by=by)
    return document


def _check_attribute(document):
    errors = document.attribute_errors()
    if errors:
        field, message = next(iter(errors.items()))
        raise WorkflowError(message, field=field)
    # The dates themselves are checked where they are typed (Document.check_formed_on); here only
    # that 条例第二十六条 has a day to count from.
    if document.attribute == Document.Attribute.PROACTIVE and document.formed_on is None:
        raise WorkflowError("主动公开的信息须填写形成或变更日期（条例第二十六条据此计算公开时限）", field="formed_on")


@transaction.atomic
def submit(document, *, by, note=""):
    document = _locked(document)
    if not permissions.can_edit(by, document):
        raise WorkflowError("只有本单位发布员可以提交本单位的草稿")
    _check_attribute(document)
    before = document.status
    document.status = Document.Status.SUBMITTED
    document.save(update_fields=["status", "updated_at"])
    _record(document, DocumentEvent.Action.SUBMIT, before, by=by, note=note)
    return document


def _check_reviewer(by, document, step):
    if permissions.can_publish(by, document):
        return
    if permissions.is_own_submission(by, document):
        raise WorkflowError(f"不能{step}自己提交的信息：须由本单位另一名审核员审核；本单位没有其他审核员的，由县政府办公室审核")
    raise WorkflowError(f"只有本单位审核员可以{step}待审核的信息")


@transaction.atomic
def publish(document, *, by, note="", on=None):
    """The reviewer's approval. 主动公开 information goes public now; the rest is kept, with its ground,
    and 不予公开 information gets its first yearly assessment date. `on` is the publication date when
    information published earlier elsewhere is brought in (default: today)."""
    document = _locked(document)
    _check_reviewer(by, document, "审核发布")
    _check_attribute(document)
    today = on or timezone.localdate()
    if not document.index_number:
        document.index_number = next_index_number(document.organisation, today.year)
    # 条例第二十六条 does not forbid late publication; the event records by how many working days.
    timeliness = document.timeliness(today)
    late = timeliness.days_late if timeliness else None
    document.publish_date = today
    document.status = Document.Status.PUBLISHED
    if document.attribute == Document.Attribute.WITHHELD:
        document.next_assessment_date = one_year_after(today)
    document.save(update_fields=["index_number", "publish_date", "status", "next_assessment_date", "updated_at"])
    event = _record(
        document, DocumentEvent.Action.PUBLISH, Document.Status.SUBMITTED, by=by, note=note, working_days_late=late
    )
    if document.is_public:
        _feed(document, changes.Action.PUBLISHED, event)
    return document


@transaction.atomic
def return_to_draft(document, *, by, note):
    """The reviewer sends the document back with a comment; it is 已退回 until the clerk resubmits."""
    document = _locked(document)
    _check_reviewer(by, document, "退回")
    if not note.strip():
        raise WorkflowError("退回时必须填写退回意见", field="note")
    document.status = Document.Status.RETURNED
    document.save(update_fields=["status", "updated_at"])
    _record(document, DocumentEvent.Action.RETURN, Document.Status.SUBMITTED, by=by, note=note.strip())
    return document


@transaction.atomic
def withdraw(document, *, by, note):
    """Take published information down. It keeps its index number; the public gets 404."""
    document = _locked(document)
    if not permissions.can_withdraw(by, document):
        raise WorkflowError("只有本单位发布员或审核员可以撤回已发布的信息")
    if not note.strip():
        raise WorkflowError("撤回时必须写明原因", field="note")
    was_public = document.is_public
    document.status = Document.Status.WITHDRAWN
    document.save(update_fields=["status", "updated_at"])
    event = _record(document, DocumentEvent.Action.WITHDRAW, Document.Status.PUBLISHED, by=by, note=note.strip())
    if was_public:
        _feed(document, changes.Action.WITHDRAWN, event)
    return document


@transaction.atomic
def change_validity(document, *, by, validity, replaced_by=None, note=""):
    document = _locked(document)
    if not permissions.can_change_validity(by, document):
        raise WorkflowError("只有本单位发布员或审核员可以变更已发布信息的有效性")
    validity = Document.Validity(validity)
    if validity == Document.Validity.VALID:
        replaced_by = None
    if replaced_by is not None and (replaced_by.pk == document.pk or not replaced_by.is_public):
        raise WorkflowError("替代文件必须是另一件已公开发布的文件", field="replaced_by")
    before = document.get_validity_display()
    document.validity = validity
    document.replaced_by = replaced_by
    document.save(update_fields=["validity", "replaced_by", "updated_at"])
    detail = f"有效性：{before} → {document.get_validity_display()}"
    if replaced_by is not None:
        detail += f"，由《{replaced_by.title}》替代"
    event = _record(
        document, DocumentEvent.Action.VALIDITY, document.status, by=by, note="；".join(filter(None, [detail, note]))
    )
    if document.is_public:
        _feed(document, changes.Action.CHANGED, event)
    return document


class Assessment:
    KEEP = "keep"
    DISCLOSE = "disclose"


@transaction.atomic
def record_assessment(document, *, by, outcome, reason):
    """The yearly re-assessment of 不予公开 information: it stays withheld until next year, or it
    becomes 主动公开 (and public at once) with the reason written down."""
    document = _locked(document)
    if not permissions.can_assess(by, document):
        raise WorkflowError("只有本单位审核员可以评估本单位不予公开的信息")
    if not reason.strip():
        raise WorkflowError("请写明评估理由", field="reason")
    today = timezone.localdate()
    if outcome == Assessment.KEEP:
        document.next_assessment_date = one_year_after(today)
        note = f"评估结论：继续不予公开（{document.get_ground_display()}）。理由：{reason.strip()}"
    elif outcome == Assessment.DISCLOSE:
        note = f"评估结论：转为主动公开。理由：{reason.strip()}；原依据：{document.get_ground_display()}"
        document.attribute = Document.Attribute.PROACTIVE
        document.ground, document.ground_reason = "", ""
        document.next_assessment_date = None
        # The information changed today (it became 主动公开) and is published the same day.
        document.formed_on = today
        document.set_publish_by()
        document.publish_date = today
    else:
        raise WorkflowError("未知的评估结论", field="outcome")
    document.save()
    event = _record(document, DocumentEvent.Action.ASSESS, document.status, by=by, note=note)
    if outcome == Assessment.DISCLOSE and document.is_public:
        # 不予公开 → 主动公开: for the public (and the mirrors) it is published today.
        _feed(document, changes.Action.PUBLISHED, event)
    return document


@transaction.atomic
def add_gazette_pdf(issue, *, by, content, note=""):
    """A new version of a gazette issue's PDF (`content`: a File whose metadata has been stripped).
    The issue serves it from now on; earlier versions stay on file and listed. A published issue is
    only corrected with a note saying what changed."""
    issue = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
    note = note.strip()
    if issue.is_published and issue.pdf and not note:
        raise WorkflowError("已发布的公报更换PDF须写明更正说明（更正了什么）", field="correction_note")
    if issue.pdf and not issue.pdf_versions.filter(file=issue.pdf.name).exists():
        # A file uploaded before versions were recorded: kept as the first version.
        GazettePdf.objects.create(issue=issue, file=issue.pdf.name, note="原始版本（版本记录启用前上传）")
    version = GazettePdf(issue=issue, uploaded_by=by, note=note)
    version.file.save(content.name, content, save=False)
    version.save()
    issue.pdf.name = version.file.name
    issue.cleaned_version = PDF_CLEANING_VERSION  # content came through accept_upload, as documented
    issue.save(update_fields=["pdf", "cleaned_version"])
    return version


def assessments_due(documents, today=None):
    """不予公开 information whose yearly assessment is due by `today`."""
    today = today or timezone.localdate()
    return documents.filter(
        status=Document.Status.PUBLISHED, attribute=Document.Attribute.WITHHELD, next_assessment_date__lte=today
    )


def publication_due_soon(documents, today=None):
    """Unpublished 主动公开 information whose 公开时限 is at most PUBLISH_BY_WARNING_DAYS working days
    away, or already passed."""
    today = today or timezone.localdate()
    cutoff = add_working_days(today, PUBLISH_BY_WARNING_DAYS)
    return documents.filter(
        status__in=Document.UNPUBLISHED, attribute=Document.Attribute.PROACTIVE, publish_by__lte=cutoff
    )


@transaction.atomic
def recompute_publish_by():
    """After the working-day calendar changed (portal.signals.calendar_changed): the 公开时限 of every
    unpublished 主动公开 document, one computation per formation date. Returns how many changed.
    Published documents keep the deadline they were published against."""
    unpublished = Document.objects.filter(
        status__in=Document.UNPUBLISHED, attribute=Document.Attribute.PROACTIVE, formed_on__isnull=False
    )
    days = sorted(set(unpublished.values_list("formed_on", flat=True)))
    if not days:
        return 0
    # 20 working days fit in 60 calendar days whatever the holidays: one query for every date.
    overrides = calendar_overrides(days[0], days[-1] + datetime.timedelta(days=60))
    changed = 0
    for day in days:
        publish_by, provisional = publication_deadline(day, overrides)
        changed += (
            unpublished.filter(formed_on=day)
            .exclude(Q(publish_by=publish_by) & Q(publish_by_is_provisional=provisional))
            .update(publish_by=publish_by, publish_by_is_provisional=provisional)
        )
    return changed
