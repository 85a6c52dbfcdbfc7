"""The public side of 依申请公开: the online form, the printable receipt, and the status lookup."""

import logging
import smtplib
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache


from . import workflow
from .forms import ApplicationForm, StatusForm
from .letters import letter_filename
from .models import REPLY_LETTER_KINDS, Application
from .selectors import letters_for_applicant

logger = logging.getLogger(__name__)
LOOKUP_LIMIT = 30  # status lookups per address per 10 minutes: query codes cannot be guessed
SESSION_RECEIPT = "requests_app.receipt"
# The query code in plain, for the receipt page to show once; it is hashed everywhere else.
SESSION_RECEIPT_CODE = "requests_app.receipt_code"
SESSION_LOOKUP = "requests_app.lookup"


def client_address(request):
    # Behind one reverse proxy, the last X-Forwarded-For entry is the address the proxy itself saw;
    # earlier entries come from the client and can be forged to dodge the limit.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")


def _over_limit(key, limit, seconds):
    cache.add(key, 0, seconds)
    return cache.get(key, 0) >= limit


def _count(key, seconds):
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds)


@never_cache
def apply(request):
    rate_key = f"apply-rate:{client_address(request)}"
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        if _over_limit(rate_key, settings.APPLICATION_RATE_LIMIT, 3600):
            form.is_valid()
            form.refresh_challenge()
            return render(request, "requests_app/apply.html", {
                "form": form, "limited": True,
            }, status=429)
        if form.is_valid():
            key = form.cleaned_data["submission_key"]
            application = form.save(commit=False)
            application.channel = Application.Channel.ONLINE
            application.arrived_on = timezone.localdate()
            first_time = not Application.objects.filter(submission_key=key).exists()
            application = workflow.receive(application, submission_key=key)
            if first_time:
                _count(rate_key, 3600)
                _send_receipt(application)
                request.session[SESSION_RECEIPT_CODE] = application.query_code
            else:
                # A repeated submission: the code was shown and mailed the first time and is not kept.
                request.session.pop(SESSION_RECEIPT_CODE, None)
            request.session[SESSION_RECEIPT] = application.pk
            return redirect("requests_app:receipt")
        form.refresh_challenge()
        return render(request, "requests_app/apply.html", {"form": form}, status=400)
    form = ApplicationForm(initial={
        "kind": request.GET.get("kind") if request.GET.get("kind") in Application.Kind.values else Application.Kind.DISCLOSURE,
        "submission_key": uuid.uuid4(), "organisation": request.GET.get("organisation"),
        "applicant_kind": Application.ApplicantKind.PERSON, "id_type": Application.IdType.RESIDENT_ID,
    })
    return render(request, "requests_app/apply.html", {"form": form})


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
    rate_key = f"lookup-rate:{client_address(request)}"
    if request.method == "POST":
        if _over_limit(rate_key, LOOKUP_LIMIT, 600):
            return render(request, "requests_app/status.html", {"form": form, "limited": True}, status=429)
        _count(rate_key, 600)
        if form.is_valid():
            application = Application.objects.select_related("organisation").filter(
                tracking_number=form.cleaned_data["tracking_number"]
            ).first()
            code = form.cleaned_data["query_code"]
            if application is None:
                make_password(code)  # as long as checking a wrong code: the time tells no numbers apart
            elif not application.check_query_code(code):
                application = None
            not_found = application is None
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

