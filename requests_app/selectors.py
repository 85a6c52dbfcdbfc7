"""Read queries over applications shared by the admin and the reports."""

import datetime
import re
import unicodedata

from django.utils import timezone

from disclosure.models import normalise_document_number

from portal.workdays import calendar_overrides, working_days_between

from .models import REPLY_LETTER_KINDS, Application, Letter, LetterKind

FREQUENT_THRESHOLD = 3  # 依申请转主动: the same information asked for by 3+ applications in a year


def subject_key(document_number, description):
    """What two applications ask for, compared loosely: the document number when given, otherwise the
    description without spaces and punctuation."""
    if document_number.strip():
        return "文号:" + normalise_document_number(document_number)
    text = unicodedata.normalize("NFKC", description)
    return "描述:" + re.sub(r"[\W_]+", "", text)[:40]


def frequently_requested(applications, today=None):
    """Ids of the applications (of the last 365 days) whose subject 3 or more applications share."""
    today = today or timezone.localdate()
    rows = disclosure_applications(applications).filter(receipt_date__gt=today - datetime.timedelta(days=365)).values_list(
        "pk", "document_number_sought", "description"
    )
    groups = {}
    for pk, number, description in rows:
        groups.setdefault(subject_key(number, description), []).append(pk)
    return {pk for pks in groups.values() if len(pks) >= FREQUENT_THRESHOLD for pk in pks}


def same_subject(application, today=None):
    """The organisation's applications of the last 365 days that ask for what this one asks for, this
    one included, when there are enough of them to publish the information proactively (条例第四十四条);
    otherwise none."""
    today = today or timezone.localdate()
    key = subject_key(application.document_number_sought, application.description)
    rows = disclosure_applications().filter(
        organisation_id=application.organisation_id, receipt_date__gt=today - datetime.timedelta(days=365),
    ).values_list("pk", "document_number_sought", "description")
    group = [pk for pk, number, description in rows if subject_key(number, description) == key]
    return Application.objects.filter(pk__in=group) if len(group) >= FREQUENT_THRESHOLD else Application.objects.none()


def queue_calendar(today=None):
    """The calendar rows a queue page needs for its days-left column, read once for all rows."""
    today = today or timezone.localdate()
    return calendar_overrides(today - datetime.timedelta(days=400), today + datetime.timedelta(days=400))


def working_days_left(application, today=None, overrides=None):
    """Working days from today to the due date: negative when overdue, None when the clock is stopped."""
    if application.due_date is None or not application.is_open:
        return None
    today = today or timezone.localdate()
    if application.due_date >= today:
        return working_days_between(today, application.due_date, overrides)
    return -working_days_between(application.due_date, today, overrides)


def overdue(applications, today=None):
    today = today or timezone.localdate()
    return applications.filter(state__in=Application.OPEN_STATES, due_date__lt=today)


def due_this_week(applications, today=None):
    today = today or timezone.localdate()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    return applications.filter(state__in=Application.OPEN_STATES, due_date__gte=today, due_date__lte=sunday)


def letters_for_applicant(application):
    """The letters the applicant has been sent, oldest first: every issued letter to the applicant (not
    those to a third party or another agency), the reply only once it was delivered (it is issued at
    approval, some days before)."""
    from .letters import APPLICANT_LETTERS

    letters = Letter.objects.filter(
        application=application, issued_at__isnull=False, kind__in=APPLICANT_LETTERS,
    ).order_by("pk")
    if application.state not in (Application.State.REPLIED, Application.State.ARCHIVED):
        letters = letters.exclude(kind__in=REPLY_LETTER_KINDS.values())
    return letters


def disclosure_applications(applications=None):
    """政府信息公开申请 only. A correction request (条例第四十一条) is not one: it is neither asked for
    proactively nor counted in the annual report's table 三 (本年新收、办理结果、结转), which must read
    its applications through here."""
    applications = Application.objects.all() if applications is None else applications
    return applications.filter(kind=Application.Kind.DISCLOSURE)
