"""An application's steps under the 2019 条例: receive, register, supplement, consult a third party,
charge a fee, extend, draft / approve / send the reply, archive, withdraw. Each step checks the state
and the actor, changes the row and writes its event in one transaction, with the row locked: of two
staff acting at once, one wins and the other is told."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure.files import AttachmentRefused, accept_upload
from portal.text import clean_text, has_nul
from portal.workdays import (
    add_working_days,
    add_working_days_with_flag,
    calendar_overrides,
    is_working_day,
    working_days_between,
)

from . import letters, permissions
from .models import (
    CORRECTION_REQUIREMENTS,
    REPLY_LETTER_KINDS,
    REPLY_REQUIREMENTS,
    Application,
    ApplicationCounter,
    ApplicationEvent,
    Consultation,
    CorrectionOutcome,
    LetterKind,
    ReplyType,
)

State = Application.State
Action = ApplicationEvent.Action

REPLY_DAYS = 20  # 条例第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款
SUPPLEMENT_NOTICE_DAYS = 7  # 条例第三十条
MAX_THIRD_PARTY_DAYS = 15  # 条例第三十二条
# 条例第三十五条 leaves the longer period to the agency ("合理期限"); past this a typo is more likely.
MAX_LONGER_PERIOD_DAYS = 60
# The 2019 条例 took effect on 2019-05-15: no date this workflow counts from lies before it. It also
# keeps a mistyped year (0226 for 2026) out of the working-day calendar, which cannot count it.
EARLIEST_DATE = datetime.date(2019, 5, 15)


class WorkflowError(Exception):
    """A step that is not allowed now or not to this person; the message is for people."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# 条例第三十一条第（三）项: applications over the internet and by fax (e-mail is an internet channel)
# count from the day both sides confirm them; one rule for the three.
CONFIRMED_CHANNELS = (Application.Channel.ONLINE, Application.Channel.FAX, Application.Channel.EMAIL)


def receipt_date_for(channel, arrived_on):
    """条例第三十一条: the day the application counts as received, from how it came and when it arrived
    (in person: that day; registered post: the day signed for; ordinary mail: the day the office got it;
    online, fax, e-mail: the day both sides confirmed it; for online applications the receipt we send
    is the confirmation). A confirmation on a day off counts from the next working day when
    ONLINE_RECEIPT_NEXT_WORKING_DAY is on, for all three alike."""
    if channel in CONFIRMED_CHANNELS and settings.ONLINE_RECEIPT_NEXT_WORKING_DAY and not is_working_day(arrived_on):
        return add_working_days(arrived_on, 1)
    return arrived_on


def receipt_note(application):
    """How the application came; for the confirmed channels also the day both sides confirmed it
    (the online form's receipt is that confirmation), as 第三十一条 counts from it."""
    note = application.get_channel_display()
    if application.channel in CONFIRMED_CHANNELS:
        note += f"（双方确认日：{application.arrived_on:%Y年%-m月%-d日}"
        if application.receipt_date != application.arrived_on:
            note += f"，非工作日，自{application.receipt_date:%Y年%-m月%-d日}起算"
        note += "）"
    return note


def supplement_period_days(organisation):
    """The working days an applicant is given to supplement (条例第三十条 合理的补正期限)."""
    reply_settings = getattr(organisation, "reply_settings", None)
    if reply_settings is not None and reply_settings.supplement_period_days:
        return reply_settings.supplement_period_days
    return settings.SUPPLEMENT_PERIOD_DAYS


def compute_due_date(application, overrides=None):
    """(due date, provisional?) from the clock's facts; (None, False) while the clock is stopped.
    `overrides` (calendar_overrides for a range covering the count) saves a query per application."""
    if application.clock_start is None or application.state in (State.SUPPLEMENT_REQUESTED, State.FEE_NOTIFIED):
        return None, False
    days = (
        REPLY_DAYS + application.extension_days + application.longer_period_days
        + application.third_party_paused_days + application.fee_paused_days
    )
    if application.state == State.THIRD_PARTY:
        # Until the third party or the other agency answers, assume it takes all the time it has
        # (条例第三十二条、第三十四条: 15 working days, 第三十三条第三款: not counted).
        days += MAX_THIRD_PARTY_DAYS
    return add_working_days_with_flag(application.clock_start, days, overrides)


def _refresh_due_date(application, overrides=None):
    application.due_date, application.due_date_is_provisional = compute_due_date(application, overrides)


def _locked(application):
    return Application.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=application.pk)


def _record(application, action, *, from_state, by, on=None, note=""):
    """Write one event of the timeline; every step's event is written here."""
    return ApplicationEvent.objects.create(
        application=application, action=action, from_state=from_state, to_state=application.state, actor=by,
        on=on or timezone.localdate(), note=note, due_date=application.due_date,
    )


def _move(application, to_state, action, *, by, on=None, note=""):
    """Change state, refresh the due date, save, and write the event: the shape of every step."""
    from_state = application.state
    application.state = to_state
    _refresh_due_date(application)
    application.save()
    _record(application, action, from_state=from_state, by=by, on=on, note=note)
    return application


def _require(condition, message, field=None):
    if not condition:
        raise WorkflowError(message, field)


def _text(value, field):
    """Text typed into a step, by portal.text's rule: a NUL is refused (PostgreSQL cannot store it)."""
    _require(not has_nul(value), "内容中含有无法保存的空字符（NUL），请删除后重新填写", field)
    return clean_text(value).strip()


def check_date(value, field, label, *, not_before=None, previous=""):
    """A date a step took place on: not before the previous step (named by `previous`), not before
    the 条例 took effect, not after today."""
    today = timezone.localdate()
    _require(isinstance(value, datetime.date), f"请填写{label}", field)
    _require(value <= today, f"{label}不能晚于今天（{today:%Y-%m-%d}）", field)
    _require(value >= EARLIEST_DATE, f"{label}不能早于{EARLIEST_DATE:%Y-%m-%d}（现行条例施行之日），请检查年份", field)
    if not_before is not None:
        _require(value >= not_before, f"{label}不能早于{previous}（{not_before:%Y-%m-%d}）", field)


def _next_tracking_number(year):
    counter, _ = ApplicationCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return f"YSQ-{year}-{counter.last_serial:05d}"


@transaction.atomic
def receive(application, *, by=None, submission_key=None):
    """Save a new application: online (by=None, from the public form) or entered by a clerk from
    paper, post, fax or e-mail (then it is registered at once). A repeated submission of the same
    form returns the application the first one created."""
    if submission_key is not None:
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if by is not None:
        _require(permissions.can_handle(by, application), "只能登记本单位收到的申请")
    check_date(application.arrived_on, "arrived_on", "送达日期")
    application.drop_fields_of_other_kind()
    # 条例第四十一条: 有证据证明 (the database holds it too; this says it to a person).
    _require(not application.is_correction or application.supporting_file,
             "申请更正须有证据证明（条例第四十一条），请上传证明该信息记录不准确的材料", "supporting_file")
    application.receipt_date = receipt_date_for(application.channel, application.arrived_on)
    application.clock_start = application.receipt_date
    application.tracking_number = _next_tracking_number(application.receipt_date.year)
    application.submission_key = submission_key
    application.state = State.RECEIVED
    _refresh_due_date(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        if submission_key is None:
            raise
        return Application.objects.get(submission_key=submission_key)
    _record(application, Action.RECEIVED, from_state="", by=by, on=application.receipt_date,
            note=receipt_note(application))
    if by is not None:
        _register(application, by=by, note="工作人员录入并登记")
    return application


def _register(application, *, by, note):
    """Registered; an application that did not come through the online form (whose receipt page is
    the confirmation) gets a 登记回执 with its number and query code."""
    if application.channel != Application.Channel.ONLINE:
        letter = letters.acknowledgement(application, by=by)
        note = "；".join(part for part in (note, _sent(letter)) if part)
    return _move(application, State.REGISTERED, Action.REGISTERED, by=by, note=note)


def _sent(letter):
    return f"{letter.get_kind_display()}（{letter.number}）"


@transaction.atomic
def register(application, *, by, note=""):
    application = _locked(application)
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以登记申请")
    _require(application.state == State.RECEIVED, f"该申请当前状态为“{application.get_state_display()}”，不能登记")
    return _register(application, by=by, note=note)


@transaction.atomic
def request_supplement(application, *, by, note, on=None):
    """条例第三十条: one notice, within 7 working days of receipt, saying what to supplement. The
    clock stops until the supplement arrives."""
    application = _locked(application)
    on = on or timezone.localdate()
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以告知补正")
    _require_disclosure(application, "告知补正")
    _require(application.state == State.REGISTERED, f"该申请当前状态为“{application.get_state_display()}”，不能告知补正")
    _require(not application.events.filter(action=Action.SUPPLEMENT_REQUESTED).exists(), "补正只能告知一次")
    check_date(on, "on", "告知补正日期", not_before=application.receipt_date, previous="收到申请之日")
    _require(
        on <= add_working_days(application.receipt_date, SUPPLEMENT_NOTICE_DAYS),
        "告知补正应当在收到申请之日起7个工作日内一次性作出，已超过期限", "on",
    )
    _require(note, "请写明需要补正的事项", "note")
    days = supplement_period_days(application.organisation)
    application.supplement_due = add_working_days(on, days)
    letter = letters.make_letter(application, LetterKind.SUPPLEMENT, by=by, dated=on, context={
        "matters": letters.as_paragraphs(note), "supplement_days": days,
        "supplement_due": letters.chinese_date(application.supplement_due),
    })
    note = f"{note}\n补正期限：{application.supplement_due:%Y年%-m月%-d日}前（{days}个工作日）；{_sent(letter)}"
    return _move(application, State.SUPPLEMENT_REQUESTED, Action.SUPPLEMENT_REQUESTED, by=by, on=on, note=note)


@transaction.atomic
def record_supplement(application, *, by, received_on, note=""):
    """The supplement arrived: the 20 working days start again from that day."""
    application = _locked(application)
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以登记补正")
    _require(application.state == State.SUPPLEMENT_REQUESTED, "该申请不在待补正状态")
    requested = application.events.filter(action=Action.SUPPLEMENT_REQUESTED).latest("pk").on
    check_date(received_on, "received_on", "补正材料收到日期", not_before=requested, previous="告知补正日期")
    application.clock_start = received_on
    return _move(application, State.REGISTERED, Action.SUPPLEMENT_RECEIVED, by=by, on=received_on, note=note)


def _consult(application, kind, *, by, sent_on, consultee, contact, matter, reasons):
    """Open a consultation (条例第三十二条、第三十四条), send its letter and stop the clock."""
    noun = "第三方" if kind == Consultation.Kind.THIRD_PARTY else "其他行政机关"
    consultee, contact = _text(consultee, "consultee"), _text(contact, "contact")
    matter, reasons = _text(matter, "matter"), _text(reasons, "reasons")
    _require(permissions.can_handle(by, application), f"只有受理机关的发布员可以征求{noun}意见")
    _require(application.state == State.REGISTERED, f"该申请当前状态为“{application.get_state_display()}”，不能征求{noun}意见")
    answered = application.consultations.exclude(answered_on=None).order_by("-pk").values_list("answered_on", flat=True).first()
    if answered is None:  # consultations answered before this table existed left only their event
        answered = application.events.filter(action=Action.THIRD_PARTY_ANSWERED).order_by("-pk").values_list("on", flat=True).first()
    if answered is not None and answered > application.clock_start:
        check_date(sent_on, "sent_on", "征求意见发出日期", not_before=answered, previous="上次收到意见的日期")
    else:
        check_date(sent_on, "sent_on", "征求意见发出日期", not_before=application.clock_start, previous="计时起算日")
    _require(consultee, f"请填写征求意见的{noun}名称", "consultee")
    _require(len(consultee) <= 100, f"{noun}名称不能超过100个字", "consultee")
    _require(len(contact) <= 200, "地址或联系方式不能超过200个字", "contact")
    _require(matter, "请写明征求意见的事项（涉及的政府信息内容）", "matter")
    if kind == Consultation.Kind.THIRD_PARTY:
        _require(reasons, "请写明公开可能损害第三方合法权益的情况（条例第三十二条）", "reasons")
    consultation = Consultation(
        application=application, kind=kind, consultee=consultee, contact=contact, matter=matter,
        reasons=reasons, sent_on=sent_on, reply_by=add_working_days(sent_on, Consultation.REPLY_DAYS),
    )
    consultation.letter = letters.consultation_letter(consultation, by=by)
    consultation.save()
    application.third_party_sent_on = sent_on
    action = Action.THIRD_PARTY_CONSULTED if kind == Consultation.Kind.THIRD_PARTY else Action.AGENCY_CONSULTED
    note = f"征求{consultee}意见：{matter}\n答复期限：{consultation.reply_by:%Y年%-m月%-d日}前（15个工作日）；{_sent(consultation.letter)}"
    return _move(application, State.THIRD_PARTY, action, by=by, on=sent_on, note=note)


def open_consultation(application):
    return application.consultations.filter(answered_on=None).first()


def _record_answer(application, kind, *, by, answered_on, outcome, opinion, note):
    """The consultee answered, or its 15 working days passed without an opinion: the clock runs again,
    the working days it was stopped (at most 15) added to the answer period (第三十三条第三款)."""
    noun = "第三方" if kind == Consultation.Kind.THIRD_PARTY else "其他行政机关"
    opinion, note = _text(opinion, "opinion"), _text(note, "note")
    _require(permissions.can_handle(by, application), f"只有受理机关的发布员可以登记{noun}意见")
    consultation = open_consultation(application) if application.state == State.THIRD_PARTY else None
    _require(consultation is not None and consultation.kind == kind, f"该申请未在征求{noun}意见")
    label = f"{noun}答复日期" if outcome != Consultation.Outcome.NO_OPINION else "登记日期"
    check_date(answered_on, "answered_on", label, not_before=application.third_party_sent_on, previous="征求意见发出日期")
    _require(outcome in Consultation.Outcome.values, f"请选择{noun}的意见", "outcome")
    if outcome == Consultation.Outcome.NO_OPINION:
        _require(
            answered_on > consultation.reply_by,
            f"{noun}提出意见的期限至{consultation.reply_by:%Y年%-m月%-d日}届满，届满前不能按“逾期未提出意见”登记",
            "outcome",
        )
    elif outcome == Consultation.Outcome.OBJECTED:
        _require(opinion, f"请填写{noun}不同意公开的理由（摘要）", "opinion")
    consultation.answered_on, consultation.outcome, consultation.opinion = answered_on, outcome, opinion
    consultation.save()
    # A consultation cannot have been sent before the clock started. Rows written before sent_on was
    # checked may hold a mistyped year (0226) that the calendar cannot count from: count from the clock's start.
    sent_on = max(application.third_party_sent_on, application.clock_start)
    paused = min(working_days_between(sent_on, answered_on), MAX_THIRD_PARTY_DAYS)
    application.third_party_paused_days += paused
    application.third_party_sent_on = None
    words = consultation.outcome_display
    if consultation.deemed_consent:
        words = "逾期未提出意见，视为同意公开（条例第三十四条）"
    parts = [f"{consultation.consultee}：{words}", opinion, note, f"不计入答复期限的工作日：{paused}日"]
    action = Action.THIRD_PARTY_ANSWERED if kind == Consultation.Kind.THIRD_PARTY else Action.AGENCY_ANSWERED
    return _move(application, State.REGISTERED, action, by=by, on=answered_on, note="；".join(p for p in parts if p))


@transaction.atomic
def consult_third_party(application, *, by, sent_on, consultee, matter, reasons, contact=""):
    """条例第三十二条: information whose disclosure may harm a third party's rights: the third party is
    asked in writing (政府信息公开征求第三方意见书) and has 15 working days; that time is not counted."""
    application = _locked(application)
    return _consult(application, Consultation.Kind.THIRD_PARTY, by=by, sent_on=sent_on, consultee=consultee,
                    contact=contact, matter=matter, reasons=reasons)


@transaction.atomic
def record_third_party_answer(application, *, by, answered_on, outcome, opinion="", note=""):
    """The third party consented or objected, or let its 15 working days pass (then the agency decides)."""
    application = _locked(application)
    return _record_answer(application, Consultation.Kind.THIRD_PARTY, by=by, answered_on=answered_on,
                          outcome=outcome, opinion=opinion, note=note)


def _require_within_period(application, on, field):
    # 条例第三十三条: an extension is decided within the answer period, not to rescue an overdue one.
    _require(
        application.due_date is not None and on <= application.due_date,
        f"答复期限已于{application.due_date:%Y年%-m月%-d日}届满，不能再延长；延长答复期限须在期限届满前决定并告知申请人"
        if application.due_date else "该申请当前不在计时中，不能延期", field,
    )


@transaction.atomic
def propose_extension(application, *, by, days, note, on=None):
    """条例第三十三条: the clerk asks for more time (at most 20 working days, once), with the reason, for
    the disclosure office head to decide."""
    application = _locked(application)
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以提出延期申请")
    _require(application.state in (State.REGISTERED, State.THIRD_PARTY), f"该申请当前状态为“{application.get_state_display()}”，不能延期")
    _require(application.extension_days == 0, "答复期限只能延长一次")
    _require(not application.extension_proposed_days, "已提出延期申请，等待负责人决定")
    on = on or timezone.localdate()
    check_date(on, "on", "提出日期", not_before=application.receipt_date, previous="收到申请之日")
    _require_within_period(application, on, "days")
    _require(isinstance(days, int) and 1 <= days <= MAX_EXTENSION_DAYS, "延长的期限最长不得超过20个工作日", "days")
    _require(note, "请写明延期理由", "note")
    application.extension_proposed_days, application.extension_reason = days, note
    return _move(application, application.state, Action.EXTENSION_PROPOSED, by=by, on=on,
                 note=f"申请延长{days}个工作日：{note}")


def _require_extension_decider(application, by):
    _require(application.extension_proposed_days > 0, "没有待决定的延期申请：须先由经办人提出")
    _require(by.pk not in permissions.extension_proposers(application), "不能决定本人提出的延期申请，须由本单位其他审核员决定")
    _require(permissions.can_decide_extension(by, application), "延长答复期限须经政府信息公开工作机构负责人（审核员）同意")


@transaction.atomic
def extend(application, *, by, on=None, note=""):
    """条例第三十三条: the disclosure office head agrees to the proposed extension; the applicant is sent
    a 延期答复告知书 (and the event is public)."""
    application = _locked(application)
    note = _text(note, "note")
    _require_extension_decider(application, by)
    _require(application.state in (State.REGISTERED, State.THIRD_PARTY), f"该申请当前状态为“{application.get_state_display()}”，不能延期")
    # `on` is the day it was decided, when recorded afterwards (default today).
    on = on or timezone.localdate()
    proposed = application.events.filter(action=Action.EXTENSION_PROPOSED).latest("pk").on
    check_date(on, "on", "同意延期日期", not_before=proposed, previous="提出延期申请的日期")
    _require_within_period(application, on, "on")
    days, reason = application.extension_proposed_days, application.extension_reason
    application.extension_days = days
    application.extension_proposed_days, application.extension_reason = 0, ""
    _refresh_due_date(application)
    letter = letters.make_letter(application, LetterKind.EXTENSION, by=by, dated=on, context={
        "days": days, "reason": letters.clause(reason), "due_date": letters.chinese_date(application.due_date),
    })
    note = "；".join(part for part in (f"延长{days}个工作日：{reason}", note, _sent(letter)) if part)
    return _move(application, application.state, Action.EXTENDED, by=by, on=on, note=note)


@transaction.atomic
def refuse_extension(application, *, by, note):
    """The head does not agree: the answer period stays; the clerk may propose again within it."""
    application = _locked(application)
    note = _text(note, "note")
    _require_extension_decider(application, by)
    _require(note, "请写明不同意延期的理由", "note")
    application.extension_proposed_days, application.extension_reason = 0, ""
    return _move(application, application.state, Action.EXTENSION_REFUSED, by=by, note=note)


@transaction.atomic
def request_reasons(application, *, by, on, note):
    """条例第三十五条: a request whose number or frequency clearly exceeds what is reasonable; the
    agency may ask the applicant to state the reasons. The clock runs on."""
    application = _locked(application)
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以要求申请人说明理由")
    _require_disclosure(application, "要求说明理由")
    _require(application.state == State.REGISTERED, f"该申请当前状态为“{application.get_state_display()}”，不能要求说明理由")
    _require(not application.events.filter(action=Action.REASONS_REQUESTED).exists(), "已要求申请人说明理由，不能重复要求")
    check_date(on, "on", "要求说明理由日期", not_before=application.receipt_date, previous="收到申请之日")
    _require(note, "请写明申请的数量、频次明显超过合理范围的情况，以及请申请人说明的事项", "note")
    letter = letters.make_letter(application, LetterKind.REASONS, by=by, dated=on, context={
        "matters": letters.as_paragraphs(note), "due_date": letters.chinese_date(application.due_date),
    })
    return _move(application, application.state, Action.REASONS_REQUESTED, by=by, on=on, note=f"{note}；{_sent(letter)}")


@transaction.atomic
def set_longer_period(application, *, by, days, note):
    """条例第三十五条: the applicant's reasons are reasonable but the answer cannot be given within
    第三十三条's period: the disclosure office's head sets a longer reasonable period, told to the
    applicant (the event is public). Decided within the period, like an extension."""
    application = _locked(application)
    note = _text(note, "note")
    _require(permissions.can_extend(by, application), "确定延迟答复期限须经政府信息公开工作机构负责人（审核员）同意")
    _require(application.state in (State.REGISTERED, State.THIRD_PARTY), f"该申请当前状态为“{application.get_state_display()}”，不能确定延迟答复期限")
    _require(
        application.events.filter(action=Action.REASONS_REQUESTED).exists(),
        "须先要求申请人说明理由（条例第三十五条），认为理由合理的，才能确定延迟答复期限", "days",
    )
    _require(application.longer_period_days == 0, "延迟答复期限已确定，不能再次确定", "days")
    _require(1 <= days <= MAX_LONGER_PERIOD_DAYS, f"延迟答复的期限应为1至{MAX_LONGER_PERIOD_DAYS}个工作日", "days")
    today = timezone.localdate()
    _require(
        application.due_date is not None and today <= application.due_date,
        "答复期限已届满，不能再确定延迟答复期限", "days",
    )
    _require(note, "请写明申请理由合理、但无法按期答复的情况", "note")
    application.longer_period_days = days
    _refresh_due_date(application)
    letter = letters.make_letter(application, LetterKind.LONGER_PERIOD, by=by, dated=today, context={
        "days": days, "reason": letters.clause(note), "due_date": letters.chinese_date(application.due_date),
    })
    return _move(application, application.state, Action.LONGER_PERIOD_SET, by=by,
                 note=f"延迟{days}个工作日答复：{note}；{_sent(letter)}")


@transaction.atomic
def open_proactive_draft(application, *, by, document_title, topic):
    """条例第四十四条: information that many people ask for may be published proactively. Opens a
    主动公开 draft in the organisation's documents, linked to every application that asks for it (the
    queue's 多人申请 group); the draft then goes through review like any other document."""
    from disclosure import workflow as disclosure_workflow
    from disclosure.models import Document

    from .selectors import same_subject

    application = _locked(application)
    title = _text(document_title, "document_title")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以将申请的信息转为主动公开")
    _require_disclosure(application, "转为主动公开")
    _require(application.proactive_document_id is None, "该申请的信息已转为主动公开，请在政府信息中继续办理")
    group = list(same_subject(application).select_for_update().order_by("pk"))
    _require(group, "申请同一信息的申请不足3件，不能按“多人申请”转为主动公开")
    _require(title, "请填写拟主动公开信息的标题", "document_title")
    _require(topic is not None and topic.is_leaf_node(), "请选择具体的二级主题分类", "topic")
    numbers = "、".join(member.tracking_number for member in group)
    document = disclosure_workflow.create(Document(
        title=title, organisation=application.organisation, topic=topic, written_date=timezone.localdate(),
        attribute=Document.Attribute.PROACTIVE,
        body=f"<p>根据{len(group)}件政府信息公开申请（{numbers}）转为主动公开（《政府信息公开条例》第四十四条）。</p>",
    ), by=by)
    for member in group:
        member.proactive_document = document
        member.save(update_fields=["proactive_document"])
        _record(member, Action.PROACTIVE_DRAFT_OPENED, from_state=member.state, by=by,
                note=f"已建主动公开草稿《{title}》，{len(group)}件申请同一信息")
    return Application.objects.get(pk=application.pk)


@transaction.atomic
def notify_fee(application, *, by, method, pages=None, on, payment_instructions=""):
    """条例第四十二条 and 国办函〔2020〕109号: a 收费通知 stating the amount, its basis and method, and
    the payment period (20 working days from receiving it). The clock stops until payment."""
    from .fees import active_schedule, compute_fee, plain

    application = _locked(application)
    payment_instructions = _text(payment_instructions, "payment_instructions")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以发出收费通知")
    _require_disclosure(application, "收取信息处理费")
    _require(application.state == State.REGISTERED, f"该申请当前状态为“{application.get_state_display()}”，不能发出收费通知")
    _require(not application.events.filter(action=Action.FEE_NOTIFIED).exists(), "收费通知已发出，同一申请只能收费一次")
    _require(method in Application.FeeMethod.values, "请选择计收方式（按件或按量）", "method")
    check_date(on, "on", "收费通知日期", not_before=application.receipt_date, previous="收到申请之日")
    if method == Application.FeeMethod.BY_QUANTITY:
        _require(isinstance(pages, int) and not isinstance(pages, bool), "按量计收请填写提供信息的页数（整数）", "pages")
        _require(pages >= 0, "页数不能为负数", "pages")
    schedule = active_schedule()
    amount, computation = compute_fee(application, method, pages, schedule)
    _require(amount > 0, f"未超过收费标准，不得收费（{computation}）", "pages" if method == Application.FeeMethod.BY_QUANTITY else "method")
    application.fee_method = method
    application.fee_amount = amount
    application.fee_computation = computation
    application.fee_notified_on = on
    application.fee_due = add_working_days(on, schedule.payment_days)
    application.fee_paid_on = None
    letter = letters.fee_letter(application, schedule, by=by, payment_instructions=payment_instructions)
    note = (
        f"{Application.FeeMethod(method).label}，信息处理费{plain(amount)}元（{computation}）；"
        f"请于{application.fee_due:%Y年%-m月%-d日}前缴纳（{schedule.payment_days}个工作日），"
        f"缴费前的期间不计入答复期限，逾期未缴纳的不再处理该申请；{_sent(letter)}"
    )
    return _move(application, State.FEE_NOTIFIED, Action.FEE_NOTIFIED, by=by, on=on, note=note)


@transaction.atomic
def record_payment(application, *, by, paid_on):
    """The applicant paid: the working days from the notice to payment are not counted (办法第八条)."""
    from .fees import plain

    application = _locked(application)
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以登记缴费")
    _require(application.state == State.FEE_NOTIFIED, "该申请不在待缴费状态")
    check_date(paid_on, "paid_on", "缴费日期", not_before=application.fee_notified_on, previous="收费通知日期")
    paused = working_days_between(application.fee_notified_on, paid_on)
    application.fee_paused_days += paused
    application.fee_paid_on = paid_on
    return _move(
        application, State.REGISTERED, Action.FEE_PAID, by=by, on=paid_on,
        note=f"已缴纳信息处理费{plain(application.fee_amount)}元（不计入答复期限的工作日：{paused}日）",
    )


def fee_overdue(application, today=None):
    """办法第八条: the payment period of a fee notice passed without payment. From the facts, not the
    state, so a 逾期未缴费 reply the reviewer returned can be drafted again."""
    today = today or timezone.localdate()
    return application.fee_due is not None and application.fee_paid_on is None and today > application.fee_due


def reply_problems(reply_type, fields):
    """What the chosen reply type still needs, as field → message (REPLY_REQUIREMENTS)."""
    return {
        field: message for field, message in REPLY_REQUIREMENTS.get(ReplyType(reply_type), {}).items()
        if not fields.get(field)
    }


def supplement_overdue(application, today=None):
    """条例第三十条: the applicant let the 补正期限 pass without supplementing."""
    today = today or timezone.localdate()
    return (
        application.state == State.SUPPLEMENT_REQUESTED
        and application.supplement_due is not None
        and today > application.supplement_due
    )


def _require_supplement_facts(application, reply_type):
    """Replies that rest on an earlier step need it to have happened (条例第三十条、第三十五条)."""
    if reply_type == ReplyType.OTHER_NO_SUPPLEMENT:
        _require(
            supplement_overdue(application),
            f"补正期限（{application.supplement_due:%Y年%-m月%-d日}）尚未届满，不能按“逾期不补正”处理"
            if application.supplement_due else "未告知补正并给出补正期限的申请，不能按“逾期不补正”处理",
            "reply_type",
        )
    if reply_type == ReplyType.OTHER_FEE_UNPAID:
        # 国办函〔2020〕109号第八条: only a notice whose payment period passed without payment.
        _require(
            fee_overdue(application),
            f"缴费期限（{application.fee_due:%Y年%-m月%-d日}）尚未届满，不能按“逾期未缴纳信息处理费”处理"
            if application.fee_due and application.fee_paid_on is None
            else "未发出收费通知或申请人已缴费的申请，不能按“逾期未缴纳信息处理费”处理",
            "reply_type",
        )
    if reply_type == ReplyType.NOT_PROCESSED_EXCESSIVE:
        # 条例第三十五条: 不予处理 only once the applicant was asked for reasons.
        _require(
            application.events.filter(action=Action.REASONS_REQUESTED).exists(),
            "须先要求申请人说明理由（条例第三十五条），理由不合理的，才能告知不予处理", "reply_type",
        )
    if reply_type == ReplyType.UNAVAILABLE_UNCLEAR:
        _require(
            application.events.filter(action=Action.SUPPLEMENT_RECEIVED).exists(),
            "申请人尚未补正，不能答复“补正后申请内容仍不明确”：请先告知补正", "reply_type",
        )


def _accepted(upload, field, **options):
    """The uploaded file checked and cleaned as attachments are (disclosure.files.accept_upload), so an
    applicant never gets a file that is not what it claims, nor a clerk's name in its properties."""
    if upload is None:
        return None
    try:
        return accept_upload(upload, **options).content
    except AttachmentRefused as exc:
        raise WorkflowError(str(exc), field) from None


@transaction.atomic
def draft_reply(application, *, by, reply_type, reply_text="", where_public="", responsible_body="",
                information_file=None, redacted_file=None, on=None):
    """Write the reply and generate its letter (政府信息公开申请答复告知书) for the reviewer, dated the
    day it is drafted (`on`, when a reply drafted on paper is recorded afterwards; default today)."""
    application = _locked(application)
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以拟定答复")
    _require(not application.is_correction, CORRECTION_NOT_A_REPLY_TYPE, "reply_type")
    _require(reply_type in ReplyType.values, "请选择答复类型", "reply_type")
    allowed = application.state == State.REGISTERED or (
        application.state == State.SUPPLEMENT_REQUESTED and reply_type == ReplyType.OTHER_NO_SUPPLEMENT
    ) or (application.state == State.FEE_NOTIFIED and reply_type == ReplyType.OTHER_FEE_UNPAID)
    _require(allowed, f"该申请当前状态为“{application.get_state_display()}”，不能拟定此类答复")
    _require_supplement_facts(application, reply_type)
    reply_text, where_public = _text(reply_text, "reply_text"), _text(where_public, "where_public")
    responsible_body = _text(responsible_body, "responsible_body")
    information_file = _accepted(information_file, "information_file")
    redacted_file = _accepted(redacted_file, "redacted_file")
    fields = {
        "reply_text": reply_text, "where_public": where_public, "responsible_body": responsible_body,
        "redacted_file": redacted_file or application.redacted_file,
    }
    problems = reply_problems(reply_type, fields)
    if problems:
        field, message = next(iter(problems.items()))
        raise WorkflowError(message, field)
    application.reply_type = reply_type
    application.reply_text = fields["reply_text"]
    application.where_public = fields["where_public"]
    application.responsible_body = responsible_body
    if information_file is not None:
        application.information_file = information_file
    if redacted_file is not None:
        application.redacted_file = redacted_file
    on = on or timezone.localdate()
    check_date(on, "on", "答复拟定日期", not_before=application.receipt_date, previous="收到申请之日")
    letter = letters.draft_reply_letter(application, by=by, dated=on)
    return _move(application, State.REPLY_DRAFTED, Action.REPLY_DRAFTED, by=by,
                 note=f"{ReplyType(reply_type).label}；{letter.get_kind_display()}（{letter.number}，待审批）")


@transaction.atomic
def replace_letter(application, *, by, letter):
    """Staff may edit the generated letter and upload it again before it is approved."""
    application = _locked(application)
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以修改答复告知书")
    _require(application.state == State.REPLY_DRAFTED, "只有待审批的答复可以更换告知书")
    _require(letter is not None, "请上传修改后的答复告知书（.docx）", "letter")
    data = _accepted(letter, "letter", allowed_kinds={"docx"})
    letters.replace_draft(draft_letter(application), data.read(), by=by)
    _record(application, Action.LETTER_REPLACED, from_state=application.state, by=by, note="上传修改后的答复告知书")
    return application


def draft_letter(application):
    return application.letters.get(kind=REPLY_LETTER_KINDS[application.kind], issued_at__isnull=True)


def _require_second_pair_of_eyes(application, by, verb):
    _require(by.pk not in permissions.reply_authors(application), f"不能{verb}本人拟定的答复，须由本单位其他审核员{verb}")
    _require(
        permissions.can_approve(by, application),
        f"只有本单位审核员可以{verb}答复；本单位没有其他审核员的，由县政府办公室{verb}",
    )


@transaction.atomic
def approve_reply(application, *, by, note=""):
    """Four eyes: approved by a reviewer who did not write the reply (see permissions.can_approve)."""
    application = _locked(application)
    note = _text(note, "note")
    _require_second_pair_of_eyes(application, by, "审批")
    _require(application.state == State.REPLY_DRAFTED, f"该申请当前状态为“{application.get_state_display()}”，没有待审批的答复")
    # From here the letter is what the applicant gets, whatever changes in the organisation's data.
    letter = letters.issue(draft_letter(application), by=by)
    note = f"{note}；签发{_sent(letter)}".lstrip("；")
    return _move(application, State.REPLY_APPROVED, Action.REPLY_APPROVED, by=by, note=note)


@transaction.atomic
def return_reply(application, *, by, note):
    """The reviewer sends the draft reply back to the clerk."""
    application = _locked(application)
    note = _text(note, "note")
    _require_second_pair_of_eyes(application, by, "退回")
    _require(application.state == State.REPLY_DRAFTED, "没有待审批的答复")
    _require(note, "请写明退回意见", "note")
    return _move(application, State.REGISTERED, Action.REPLY_RETURNED, by=by, note=f"退回修改：{note}")


@transaction.atomic
def send_reply(application, *, by, sent_on=None, note=""):
    application = _locked(application)
    sent_on = sent_on or timezone.localdate()
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以送达答复")
    _require(application.state == State.REPLY_APPROVED, "答复尚未审批，不能送达")
    approved = application.events.filter(action=Action.REPLY_APPROVED).latest("pk").on
    check_date(sent_on, "sent_on", "送达日期", not_before=max(approved, application.receipt_date), previous="答复审批日期")
    _require_disclosure_notices(application)
    application.replied_on = sent_on
    return _move(application, State.REPLIED, Action.REPLIED, by=by, on=application.replied_on, note=note)


@transaction.atomic
def archive(application, *, by, note=""):
    application = _locked(application)
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以归档")
    _require(application.state == State.REPLIED, "只有已答复的申请可以归档")
    return _move(application, State.ARCHIVED, Action.ARCHIVED, by=by, note=note)


@transaction.atomic
def withdraw(application, *, by, note):
    """The applicant withdrew the application (recorded by a clerk). Applications are never deleted."""
    application = _locked(application)
    note = _text(note, "note")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以登记撤回")
    _require(application.is_open, "该申请已办结，不能撤回")
    _require(note, "请写明撤回的方式和时间（如申请人书面撤回）", "note")
    return _move(application, State.WITHDRAWN, Action.WITHDRAWN, by=by, note=note)


@transaction.atomic
def recompute_due_dates(*, by):
    """After the working-day calendar changed: recompute every open application's due date and
    note each change in its timeline. Returns how many changed."""
    changed = 0
    open_applications = list(Application.objects.select_for_update().filter(state__in=Application.OPEN_STATES))
    starts = [a.clock_start for a in open_applications if a.clock_start]
    # 20 + 20 + 15 + 15 working days fit in 200 calendar days whatever the holidays: one query for all.
    overrides = calendar_overrides(min(starts), max(starts) + datetime.timedelta(days=200)) if starts else {}
    for application in open_applications:
        before = (application.due_date, application.due_date_is_provisional)
        _refresh_due_date(application, overrides)
        if (application.due_date, application.due_date_is_provisional) != before:
            application.save(update_fields=["due_date", "due_date_is_provisional"])
            _record(
                application, Action.DUE_DATE_RECOMPUTED, from_state=application.state, by=by,
                note=f"答复期限：{before[0] or '—'} → {application.due_date or '—'}",
            )
            changed += 1
    return changed


# --- 条例第三十四条: other agencies; 第三十二条: disclosing over a third party's objection ----------

@transaction.atomic
def consult_agency(application, *, by, sent_on, consultee, matter, contact=""):
    """条例第三十四条: information made jointly with other agencies; the leading agency may ask them
    (政府信息公开征求意见书). 15 working days, not counted; no opinion in time is deemed consent."""
    application = _locked(application)
    return _consult(application, Consultation.Kind.AGENCY, by=by, sent_on=sent_on, consultee=consultee,
                    contact=contact, matter=matter, reasons="")


@transaction.atomic
def record_agency_answer(application, *, by, answered_on, outcome, opinion="", note=""):
    application = _locked(application)
    return _record_answer(application, Consultation.Kind.AGENCY, by=by, answered_on=answered_on,
                          outcome=outcome, opinion=opinion, note=note)


DISCLOSING_REPLIES = (ReplyType.DISCLOSED, ReplyType.PARTIALLY_DISCLOSED)


def objections_to_notify(application):
    """条例第三十二条: third parties that objected and have not been told of the decision to disclose,
    when the approved reply discloses (all, or the part that can be)."""
    if application.reply_type not in DISCLOSING_REPLIES:
        return application.consultations.none()
    return application.consultations.filter(
        kind=Consultation.Kind.THIRD_PARTY, outcome=Consultation.Outcome.OBJECTED, disclosure_notice=None,
    ).order_by("pk")


def _require_disclosure_notices(application):
    waiting = list(objections_to_notify(application).values_list("consultee", flat=True))
    _require(
        not waiting,
        f"第三方（{'、'.join(waiting)}）不同意公开，决定予以公开的，须先将决定公开的政府信息内容和理由书面告知第三方"
        "（发出政府信息决定公开告知书，条例第三十二条），才能送达答复", "sent_on",
    )


@transaction.atomic
def notify_disclosure(application, *, by, sent_on, content, reasons):
    """条例第三十二条: the agency decides to disclose over the third party's objection (不公开可能对公共利益
    造成重大影响): before disclosing, it tells the third party in writing what it discloses and why
    (政府信息决定公开告知书). One notice per objecting third party, oldest first."""
    application = _locked(application)
    content, reasons = _text(content, "content"), _text(reasons, "reasons")
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以书面告知第三方")
    _require(application.state == State.REPLY_APPROVED, "答复审批后、送达前，才能书面告知第三方决定公开")
    consultation = objections_to_notify(application).first()
    _require(consultation is not None, "没有不同意公开、且须书面告知决定公开的第三方")
    approved = application.events.filter(action=Action.REPLY_APPROVED).latest("pk").on
    check_date(sent_on, "sent_on", "告知日期", not_before=approved, previous="答复审批日期")
    _require(content, "请写明决定公开的政府信息内容", "content")
    _require(reasons, "请写明决定公开的理由（如不公开可能对公共利益造成重大影响的情况）", "reasons")
    letter = letters.disclosure_decision_letter(consultation, by=by, dated=sent_on, content=content, reasons=reasons)
    consultation.disclosure_notice = letter
    consultation.save(update_fields=["disclosure_notice"])
    _record(application, Action.DISCLOSURE_NOTIFIED, from_state=application.state, by=by, on=sent_on,
            note=f"告知{consultation.consultee}决定公开：{content}；理由：{reasons}；{_sent(letter)}")
    return application


# --- correction requests (条例第四十一条) ----------------------------------------------------------
# A correction request goes the way of a disclosure application: registered, answered within the
# period of 第三十三条 (the 条例 sets none for 第四十一条), its answer drafted by a clerk and approved by
# another person (approve_reply, return_reply, send_reply). Only its answer is its own.

CORRECTION_NOT_A_REPLY_TYPE = "政府信息更正申请不能按政府信息公开申请的答复类型答复，请选择更正申请的处理结果"
DISCLOSURE_NOT_AN_OUTCOME = "政府信息公开申请不能按更正申请的处理结果答复，请选择政府信息公开申请的答复类型"


def _require_disclosure(application, step):
    """Steps the 条例 gives disclosure applications only (补正 第三十条, 第三十五条, fees 第四十二条, 第四十四条)."""
    _require(not application.is_correction, f"政府信息更正申请（条例第四十一条）不适用“{step}”")


def correction_problems(outcome, fields):
    """What the chosen outcome still needs, as field → message (CORRECTION_REQUIREMENTS)."""
    return {
        field: message for field, message in CORRECTION_REQUIREMENTS[CorrectionOutcome(outcome)].items()
        if not fields.get(field)
    }


@transaction.atomic
def draft_correction_reply(application, *, by, outcome, reply_text="", competent_body=""):
    """Write the answer to a correction request and generate its 政府信息更正申请答复书 for the reviewer."""
    application = _locked(application)
    _require(permissions.can_handle(by, application), "只有受理机关的发布员可以拟定答复")
    _require(application.is_correction, DISCLOSURE_NOT_AN_OUTCOME, "outcome")
    _require(outcome in CorrectionOutcome.values, "请选择处理结果", "outcome")
    _require(application.state == State.REGISTERED, f"该申请当前状态为“{application.get_state_display()}”，不能拟定答复")
    fields = {"reply_text": _text(reply_text, "reply_text"), "competent_body": _text(competent_body, "competent_body")}
    problems = correction_problems(outcome, fields)
    if problems:
        field, message = next(iter(problems.items()))
        raise WorkflowError(message, field)
    application.correction_outcome = outcome
    application.reply_text = fields["reply_text"]
    # Only the outcomes outside this body's functions name another body.
    names_body = "competent_body" in CORRECTION_REQUIREMENTS[CorrectionOutcome(outcome)]
    application.competent_body = fields["competent_body"] if names_body else ""
    letter = letters.draft_correction_reply_letter(application, by=by)
    return _move(application, State.REPLY_DRAFTED, Action.REPLY_DRAFTED, by=by,
                 note=f"{CorrectionOutcome(outcome).label}；{letter.get_kind_display()}（{letter.number}，待审批）")
