"""The public side of 依申请公开: the online form, the printable receipt, and the status lookup."""

import hashlib
import json
import logging
import smtplib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal.net import client_address

from . import limits, workflow
from .forms import ApplicationForm, StatusForm
from .letters import letter_filename
from .models import REPLY_LETTER_KINDS, Application, ApplicationChallenge
from .selectors import letters_for_applicant

logger = logging.getLogger(__name__)
SESSION_RECEIPT = "requests_app.receipt"
# The query code in plain, for the receipt page to show once; it is hashed everywhere else.
SESSION_RECEIPT_CODE = "requests_app.receipt_code"
SESSION_LOOKUP = "requests_app.lookup"


def _show_receipt(request, application, query_code=None):
    """The receipt page, with the query code only for the sending that made the application: a repeated
    sending gets none (the code was shown and mailed the first time, and is not kept in plain)."""
    request.session[SESSION_RECEIPT] = application.pk
    if query_code:
        request.session[SESSION_RECEIPT_CODE] = query_code
    else:
        request.session.pop(SESSION_RECEIPT_CODE, None)
    return redirect("requests_app:receipt")


def _form_digest(request):
    """What a sending of the form said: its fields (not the CSRF token) and its file's name and size."""
    fields = sorted((name, value) for name, values in request.POST.lists() for value in values
                    if name != "csrfmiddlewaretoken")
    files = sorted((name, upload.name, upload.size) for name, upload in request.FILES.items())
    return hashlib.sha256(json.dumps([fields, files], ensure_ascii=False).encode()).hexdigest()


def _earlier_application(challenge, digest):
    """The application an answered challenge made, when the same form is being sent again (a browser
    retrying after a network error). Another form with that challenge gets none: it is refused."""
    if challenge is None or challenge.used_at is None or challenge.form_digest != digest:
        return None
    return Application.objects.filter(submission_key=challenge.submission_key).first()


def _refused(request, form, status, **context):
    form.refresh_challenge()
    return render(request, "requests_app/apply.html", {"form": form, **context}, status=status)


@never_cache
def apply(request):
    """The online form. Each question (ApplicationChallenge) takes one sending; the application it
    makes is saved under the submission_key the server chose, so sending the same form again shows
    the same receipt. Every sending from an address counts toward its limits, refused ones too."""
    if request.method != "POST":
        form = ApplicationForm(initial={
            "kind": request.GET.get("kind") if request.GET.get("kind") in Application.Kind.values else Application.Kind.DISCLOSURE,
            "organisation": request.GET.get("organisation"),
            "applicant_kind": Application.ApplicantKind.PERSON, "id_type": Application.IdType.RESIDENT_ID,
        })
        return render(request, "requests_app/apply.html", {"form": form})
    form = ApplicationForm(request.POST, request.FILES)
    challenges = ApplicationChallenge.objects.filter(pk=form.challenge_id())
    digest = _form_digest(request)
    earlier = _earlier_application(challenges.first(), digest)
    if earlier is not None:
        return _show_receipt(request, earlier)
    attempt = limits.begin_application(client_address(request))
    if attempt is None:
        return _refused(request, form, 429, limited=True)
    with transaction.atomic():
        # Locked: two sendings of one form at once run one after the other, the second finds the first's application.
        form.challenge_row = challenge = challenges.select_for_update().first()
        earlier = _earlier_application(challenge, digest)
        if earlier is not None:
            limits.finish(attempt, None)
            return _show_receipt(request, earlier)
        valid = form.is_valid()
        if challenge is not None and challenge.used_at is None:
            challenge.used_at, challenge.form_digest = timezone.now(), digest  # right or wrong, one answer per question
            challenge.save(update_fields=["used_at", "form_digest"])
        if valid:
            application = form.save(commit=False)
            application.channel = Application.Channel.ONLINE
            application.arrived_on = timezone.localdate()
            application = workflow.receive(application, submission_key=challenge.submission_key)
    if not valid:
        limits.finish(attempt, limits.Outcome.FAILED)
        return _refused(request, form, 400)
    limits.finish(attempt, limits.Outcome.SUCCEEDED)
    _send_receipt(application)
    return _show_receipt(request, application, application.query_code)


def _send_receipt(application):
    """The receipt by e-mail. A mail server that is down must not undo or hide a saved application:
    the receipt page shows the same number and code."""
    if not application.email:
        return
    try:
        _mail_receipt(application)
    except (OSError, smtplib.SMTPException):
        logger.warning("回执邮件发送失败：%s", application.tracking_number, exc_info=True)


def _mail_receipt(application):
    send_mail(
        f"{application.get_kind_display()}已收到（{application.tracking_number}）",
        f"{application.applicant_name}：\n\n您向{application.organisation.name}提出的{application.get_kind_display()}已收到。\n"
        f"申请编号：{application.tracking_number}\n查询码：{application.query_code}\n"
        f"收到申请之日：{application.receipt_date:%Y年%m月%d日}\n"
        f"请凭申请编号和查询码在{settings.SITE_NAME}网站“政府信息公开—依申请公开—办理进度查询”查看办理情况。\n",
        None, [application.email],
    )


@never_cache
def receipt(request):
    pk = request.session.get(SESSION_RECEIPT)
    application = Application.objects.select_related("organisation").filter(pk=pk).first() if pk else None
    if application is None:
        return redirect("requests_app:apply")
    # Shown once: the first display takes the code out of the session (the receipt mail has it too).
    query_code = request.session.pop(SESSION_RECEIPT_CODE, None)
    return render(request, "requests_app/receipt.html", {"application": application, "query_code": query_code})


@never_cache
def status(request):
    """Number + query code → the public view of the application. A wrong code reads exactly like an
    unknown number."""
    application = None
    not_found = False
    status_code = 200
    form = StatusForm(request.POST or None)
    if request.method == "POST":
        if not limits.lookup_allowed(client_address(request)):
            return render(request, "requests_app/status.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            attempt = limits.begin_code(form.cleaned_data["tracking_number"])
            if attempt is None:
                return render(request, "requests_app/status.html", {"form": form, "number_limited": True}, status=429)
            application = Application.objects.select_related("organisation").filter(
                tracking_number=form.cleaned_data["tracking_number"]
            ).first()
            code = form.cleaned_data["query_code"]
            if application is None:
                make_password(code)  # as long as checking a wrong code: the time tells no numbers apart
            elif not application.check_query_code(code):
                application = None
            not_found = application is None
            limits.finish(attempt, limits.Outcome.FAILED if not_found else limits.Outcome.SUCCEEDED)
            status_code = 404 if not_found else 200
            request.session[SESSION_LOOKUP] = application.pk if application else None
        else:
            status_code = 400
    elif request.session.get(SESSION_LOOKUP):
        application = Application.objects.select_related("organisation").filter(pk=request.session[SESSION_LOOKUP]).first()
    context = {"form": form, "application": application, "not_found": not_found}
    if application is not None:
        context["events"] = [event for event in application.events.all() if event.is_public]
        context["replied"] = application.state in (Application.State.REPLIED, Application.State.ARCHIVED)
        context["letters"] = list(letters_for_applicant(application))
        # The reply as it was approved and sent: the letter's own text, never rebuilt from today's data.
        context["reply_letter"] = next((l for l in reversed(context["letters"]) if l.kind == REPLY_LETTER_KINDS[application.kind]), None)
    return render(request, "requests_app/status.html", context, status=status_code)


def _looked_up(request):
    pk = request.session.get(SESSION_LOOKUP)
    return Application.objects.filter(pk=pk).first() if pk else None


@never_cache
def status_information(request):
    """The information provided, for the application looked up in this session, once replied. The
    original of partially disclosed information is never offered."""
    application = _looked_up(request)
    if application is None or application.state not in (Application.State.REPLIED, Application.State.ARCHIVED):
        raise Http404
    if not application.redacted_file:
        raise Http404
    file = application.redacted_file
    return FileResponse(file.open("rb"), as_attachment=True, filename=f"{application.tracking_number}提供的信息{Path(file.name).suffix}")


@never_cache
def status_letter(request, pk):
    """A letter the applicant of the application looked up in this session was sent, as sent."""
    application = _looked_up(request)
    letter = letters_for_applicant(application).filter(pk=pk).first() if application else None
    if letter is None:
        raise Http404
    return FileResponse(letter.file.open("rb"), as_attachment=True, filename=letter_filename(letter))

