"""Who sees an application (and the applicant's personal data), who may take each step, and which
steps a user may take on an application now."""

from django.utils import timezone

from portal.models import Staff
from portal.permissions import has_role_in, is_county_office, staff_of

from .models import Application, ApplicationEvent

CLERK, REVIEWER = Staff.Role.CLERK, Staff.Role.REVIEWER
State = Application.State
Action = ApplicationEvent.Action


def visible_applications(user):
    """Staff of the receiving organisation and the county office; nobody else."""
    if is_county_office(user):
        return Application.objects.all()
    staff = staff_of(user)
    if staff is None:
        return Application.objects.none()
    return Application.objects.filter(organisation_id=staff.organisation_id)


def can_view(user, application):
    """Seeing an application includes seeing the applicant's personal data, its files and its timeline."""
    return is_county_office(user) or has_role_in(user, application.organisation, CLERK, REVIEWER)


def can_handle(user, application):
    """Clerks of the receiving organisation register and handle applications."""
    return has_role_in(user, application.organisation, CLERK)


def can_extend(user, application):
    """条例第三十三条: an extension needs the disclosure office head's approval (the organisation's reviewer)."""
    return has_role_in(user, application.organisation, REVIEWER)


def extension_proposers(application):
    """Ids of who proposed the extension now awaiting a decision (nobody decides their own)."""
    actor = application.events.filter(action=Action.EXTENSION_PROPOSED).order_by("-pk").values_list("actor_id", flat=True).first()
    return {actor} - {None}


def can_decide_extension(user, application):
    """条例第三十三条: the disclosure office head (a reviewer of the organisation other than the proposer);
    where the organisation has no such reviewer, the county office, as for replies."""
    return _second_person(user, application, extension_proposers(application))


def reply_authors(application):
    """Ids of the people who wrote the reply now awaiting approval: its drafter and whoever replaced its letter."""
    authors = set()
    events = application.events.filter(action__in=(Action.REPLY_DRAFTED, Action.LETTER_REPLACED)).order_by("-pk")
    for action, actor_id in events.values_list("action", "actor_id"):
        authors.add(actor_id)
        if action == Action.REPLY_DRAFTED:
            break
    return authors - {None}


def _other_reviewers(organisation, authors):
    return Staff.objects.filter(organisation=organisation, is_reviewer=True).exclude(user_id__in=authors)


def can_approve(user, application):
    """Four eyes: a reviewer of the receiving organisation approves (or returns) a drafted reply, never
    one they wrote themselves. Where the organisation has no reviewer but the reply's authors (a
    township whose one staff member is both clerk and reviewer), the county office approves."""
    return _second_person(user, application, reply_authors(application))


def _second_person(user, application, authors):
    """A reviewer of the organisation who is not one of `authors`; the county office where the
    organisation has no such reviewer."""
    if user.pk in authors:
        return False
    if has_role_in(user, application.organisation, REVIEWER):
        return True
    return is_county_office(user) and not _other_reviewers(application.organisation, authors).exists()


# Each step: the states it may be taken in, and who may take it. The order is the page's.
STEP_RULES = {
    "register": ((State.RECEIVED,), can_handle),
    "request_supplement": ((State.REGISTERED,), can_handle),
    "consult_third_party": ((State.REGISTERED,), can_handle),
    "consult_agency": ((State.REGISTERED,), can_handle),
    "draft_reply": ((State.REGISTERED,), can_handle),
    "record_supplement": ((State.SUPPLEMENT_REQUESTED,), can_handle),
    "draft_no_supplement_reply": ((State.SUPPLEMENT_REQUESTED,), can_handle),
    "record_third_party_answer": ((State.THIRD_PARTY,), can_handle),
    "record_agency_answer": ((State.THIRD_PARTY,), can_handle),
    "notify_fee": ((State.REGISTERED,), can_handle),
    "record_payment": ((State.FEE_NOTIFIED,), can_handle),
    "draft_fee_unpaid_reply": ((State.FEE_NOTIFIED,), can_handle),
    "propose_extension": ((State.REGISTERED, State.THIRD_PARTY), can_handle),
    "extend": ((State.REGISTERED, State.THIRD_PARTY), can_decide_extension),
    "refuse_extension": ((State.REGISTERED, State.THIRD_PARTY), can_decide_extension),
    "request_reasons": ((State.REGISTERED,), can_handle),
    "set_longer_period": ((State.REGISTERED, State.THIRD_PARTY), can_extend),
    "replace_letter": ((State.REPLY_DRAFTED,), can_handle),
    "approve_reply": ((State.REPLY_DRAFTED,), can_approve),
    "return_reply": ((State.REPLY_DRAFTED,), can_approve),
    "notify_disclosure": ((State.REPLY_APPROVED,), can_handle),
    "send_reply": ((State.REPLY_APPROVED,), can_handle),
    "archive": ((State.REPLIED,), can_handle),
    "withdraw": (Application.OPEN_STATES, can_handle),
    "open_proactive_draft": (tuple(Application.State.values), can_handle),
    "draft_correction_reply": ((State.REGISTERED,), can_handle),
}

# Steps of one kind of application only: a correction request (条例第四十一条) is answered with a
# CorrectionOutcome, and 补正 (第三十条), 第三十五条, fees (第四十二条) and 第四十四条 are the disclosure
# application's.
DISCLOSURE_ONLY_STEPS = (
    "request_supplement", "record_supplement", "draft_no_supplement_reply", "draft_reply", "notify_fee",
    "record_payment", "draft_fee_unpaid_reply", "request_reasons", "set_longer_period", "open_proactive_draft",
)
CORRECTION_ONLY_STEPS = ("draft_correction_reply",)


def may_take(user, application, step):
    """Whether the user holds the role the step needs on this application, whatever its state now.
    (A step out of turn is the workflow's to refuse, with its message.)"""
    return step in STEP_RULES and STEP_RULES[step][1](user, application)


def _asked_by_many(application):
    from .selectors import same_subject

    return same_subject(application).exists()


def available_steps(user, application):
    """The steps this user may take on the application now: the role and the state both allow them."""
    steps = []
    approvable = None
    for step, (states, allowed) in STEP_RULES.items():
        if application.state not in states:
            continue
        if allowed is can_approve:
            # approve and return share one answer: work out the reply's authors once.
            approvable = can_approve(user, application) if approvable is None else approvable
            if approvable:
                steps.append(step)
        elif allowed(user, application):
            steps.append(step)
    pending = application.extension_proposed_days > 0
    for step in ("extend", "refuse_extension"):
        if step in steps and not pending:
            steps.remove(step)  # 条例第三十三条: the head decides what the clerk proposed
    if "propose_extension" in steps and (application.extension_days or pending):
        steps.remove("propose_extension")  # 条例第三十三条: once
    if "request_supplement" in steps and application.events.filter(action=Action.SUPPLEMENT_REQUESTED).exists():
        steps.remove("request_supplement")  # 条例第三十条: one notice
    today = timezone.localdate()
    within_period = application.due_date is not None and today <= application.due_date
    for step in ("propose_extension", "extend"):
        if step in steps and not within_period:
            steps.remove(step)  # 条例第三十三条: within the answer period only
    if {"request_reasons", "set_longer_period"} & set(steps):
        asked = application.events.filter(action=Action.REASONS_REQUESTED).exists()
        if asked and "request_reasons" in steps:
            steps.remove("request_reasons")  # 条例第三十五条: asked once
        if "set_longer_period" in steps and not (asked and within_period and not application.longer_period_days):
            steps.remove("set_longer_period")  # 条例第三十五条: after the reasons, once, within the period
    if "open_proactive_draft" in steps and (application.proactive_document_id or not _asked_by_many(application)):
        steps.remove("open_proactive_draft")  # 条例第四十四条: once, for what 3 or more applications ask for
    if "draft_no_supplement_reply" in steps and not (application.supplement_due and today > application.supplement_due):
        steps.remove("draft_no_supplement_reply")  # 条例第三十条: only once the 补正期限 has passed
    if "notify_fee" in steps and application.events.filter(action=Action.FEE_NOTIFIED).exists():
        steps.remove("notify_fee")  # one fee notice per application
    if "draft_fee_unpaid_reply" in steps and not (application.fee_due and today > application.fee_due):
        steps.remove("draft_fee_unpaid_reply")  # 国办函〔2020〕109号第八条: only once the payment period has passed
    _consultation_steps(application, steps)
    other_kind = DISCLOSURE_ONLY_STEPS if application.kind == Application.Kind.CORRECTION else CORRECTION_ONLY_STEPS
    return [step for step in steps if step not in other_kind]


def _consultation_steps(application, steps):
    """条例第三十二条、第三十四条: the answer step of the open consultation's kind; the notice to an
    objecting third party only when the approved reply discloses over its objection."""
    from .models import Consultation
    from .workflow import objections_to_notify

    if {"record_third_party_answer", "record_agency_answer"} & set(steps):
        open_kind = application.consultations.filter(answered_on=None).values_list("kind", flat=True).first()
        if open_kind != Consultation.Kind.THIRD_PARTY and "record_third_party_answer" in steps:
            steps.remove("record_third_party_answer")
        if open_kind != Consultation.Kind.AGENCY and "record_agency_answer" in steps:
            steps.remove("record_agency_answer")
    if "notify_disclosure" in steps and not objections_to_notify(application).exists():
        steps.remove("notify_disclosure")
