"""Signing in to the back office: the password (locked out by django-axes after repeated failures),
then the second factor (TOTP, django-otp) for whoever must have one, the session's idle and absolute
limits, and the pages shown when a sign-in or a form is refused. Every step writes its security event."""

import base64
import time

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import security_log
from .models import Staff
from .permissions import is_county_office, staff_of

# Session keys. PENDING holds a user who gave the right password but not yet the second factor: the
# session is not signed in until the code is right, so the password alone reaches nothing.
PENDING = "accounts_pending"
STARTED = "accounts_started"
LAST_SEEN = "accounts_last_seen"
EXPIRED = "accounts_expired"
PENDING_SECONDS = 5 * 60
# last-seen is written at most once a minute, so a page view does not always write the session.
LAST_SEEN_PRECISION = 60


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with the message in Chinese (its zh_Hans catalogue leaves this plural one English)."""

    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


# ---------------------------------------------------------------- who needs the second factor


def needs_second_factor(user):
    """The county office and whoever may publish or approve (reviewers, superusers) must sign in with
    a TOTP code; other staff may choose to (a confirmed device is then always asked for)."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return staff is not None and (staff.is_county_office or staff.is_reviewer)


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_satisfied(user):
    """Whether this signed-in session may use the back office: verified with a device, or of a user
    who needs none (and signed in without one; a user who enrols later verifies at once)."""
    return user.is_verified() or not needs_second_factor(user)


def secret_of(device):
    return base64.b32encode(device.bin_key).decode()


def can_manage_accounts(user):
    """The county office unlocks accounts and addresses, resets devices and reads the security log."""
    return user.is_authenticated and is_county_office(user)


# ---------------------------------------------------------------- the admin site


class AdminSite(admin.AdminSite):
    """Django's admin, signed in to through our pages; the password alone never opens it."""

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_satisfied(request.user)

    def get_urls(self):
        return [
            path("login/code/", self.admin_login_view(verify), name="login_verify"),
            path("login/enrol/", self.admin_login_view(enrol), name="login_enrol"),
            path("second-factor/", self.admin_view(enrol), name="second_factor"),
            *super().get_urls(),
        ]

    def admin_login_view(self, view):
        return never_cache(csrf_protect(sensitive_post_parameters()(view)))

    def login(self, request, extra_context=None):
        return login(request)

    def logout(self, request, extra_context=None):
        if request.method == "POST" and request.user.is_authenticated:
            security_log.record("logout", request=request)
        return super().logout(request, extra_context)


# ---------------------------------------------------------------- the login steps


def _next_url(request):
    """`next` only when it is one of our own paths; otherwise the admin home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _page(request, template, context, status=200):
    context = {**admin.site.each_context(request), "site_header": admin.site.site_header, **context}
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _start_session(request, user, backend, device=None):
    auth_login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    security_log.record("login", request=request, user=user, second_factor=device is not None)


def _timeout_message(request):
    reason = request.session.pop(EXPIRED, None)
    if reason == "idle":
        return f"您已超过 {settings.SESSION_IDLE_MINUTES} 分钟未操作，为保护账号安全已自动退出，请重新登录。"
    if reason == "max":
        return f"登录已满 {settings.SESSION_MAX_HOURS} 小时，为保护账号安全已自动退出，请重新登录。"
    return ""


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login(request):
    """Step one: username and password. Django's AuthenticationForm (through django-axes' backend,
    which refuses a locked-out username or address before the password is checked)."""
    next_url = _next_url(request)
    if request.user.is_authenticated and admin.site.has_permission(request):
        return redirect(next_url)
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_bound:
        if form.is_valid():
            user = form.get_user()
            device = confirmed_device(user)
            if device is None and not needs_second_factor(user):
                _start_session(request, user, user.backend)
                return redirect(next_url)
            request.session.cycle_key()
            request.session[PENDING] = {
                "user": user.pk, "backend": user.backend, "at": time.time(), "next": next_url,
            }
            return redirect("admin:login_verify" if device else "admin:login_enrol")
        if not getattr(request, "axes_locked_out", False):
            typed = request.POST.get("username", "")
            security_log.record(
                "login_failed", request=request, username=typed,
                user=get_user_model().objects.filter(username=typed).first(),
            )
    context = {
        "title": "登录", "form": form, "next": next_url, "timeout_message": _timeout_message(request),
        "password_min_length": settings.PASSWORD_MIN_LENGTH,
    }
    return _page(request, "admin/login.html", context, status=400 if form.is_bound else 200)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="验证码", regex=r"^\s*\d{6}\s*$", max_length=8,
        error_messages={"invalid": "验证码应为6位数字", "required": "请输入验证码"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


def _check_code(request, form, device, user):
    """True when the form's code is the device's; otherwise the form carries the reason and the
    failure is recorded. django-otp throttles a device after failures and refuses a code used before."""
    if not form.is_valid():
        return False
    allowed, data = device.verify_is_allowed()
    if not allowed:
        wait = ""
        if data and data.get("locked_until"):
            wait = f"，请于 {max(1, int((data['locked_until'] - timezone.now()).total_seconds()))} 秒后再试"
        form.add_error("code", f"验证码错误次数过多{wait}")
        security_log.record("otp_failed", request=request, user=user, throttled=True)
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    form.add_error("code", "验证码不正确，请输入验证器当前显示的6位数字")
    security_log.record("otp_failed", request=request, user=user)
    return False


def verify(request):
    """Step two for a user with a device: the code their authenticator shows."""
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, "登录已超时，请重新输入用户名和密码")
        return redirect("admin:login")
    device = confirmed_device(user)
    if device is None:
        return redirect("admin:login_enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and _check_code(request, form, device, user):
        del request.session[PENDING]
        _start_session(request, user, pending["backend"], device)
        return redirect(pending["next"])
    return _page(request, "registration/otp_verify.html", {"title": "两步验证", "form": form, "user_shown": user},
                 status=400 if form.is_bound else 200)


def enrol(request):
    """Bind an authenticator: after the password for a user who must have one and has none, or from
    the back office for anyone who chooses to. The secret is shown until a code from it is confirmed."""
    user, pending = _pending_user(request)
    if user is None:
        if not request.user.is_authenticated:
            return redirect("admin:login")
        user = request.user
    if confirmed_device(user) is not None:
        messages.info(request, "您已绑定身份验证器；如需更换，请联系县政府办公室重置")
        return redirect("admin:index" if pending is None else "admin:login_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and _check_code(request, form, device, user):
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            security_log.record("otp_enrolled", request=request, user=user)
        if pending is not None:
            del request.session[PENDING]
            _start_session(request, user, pending["backend"], device)
            return redirect(pending["next"])
        otp_login(request, device)
        messages.success(request, "已绑定身份验证器，今后登录需输入验证码")
        return redirect("admin:index")
    context = {
        "title": "绑定身份验证器", "form": form, "user_shown": user, "required": needs_second_factor(user),
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True),  # sized by admin.css
        "otpauth_url": device.config_url, "secret": secret_of(device),
    }
    return _page(request, "registration/otp_enrol.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- session limits


class SessionLimitsMiddleware:
    """A signed-in session ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS
    after login, whatever the cookie says; the login page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # Without a session cookie there is nothing to check, and the session must stay unread (a
        # read session makes the page personal: portal.cache would not keep it).
        if settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in session:
            now = time.time()
            # A session signed in before these limits existed starts counting now.
            started = session.get(STARTED)
            last_seen = session.get(LAST_SEEN)
            if started is None or last_seen is None:
                session[STARTED] = started = started or now
                session[LAST_SEEN] = last_seen = now
            reason = None
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                reason = "idle"
            elif now - started > settings.SESSION_MAX_HOURS * 3600:
                reason = "max"
            if reason:
                security_log.record("session_expired", request=request, reason=reason)
                logout(request)
                request.session[EXPIRED] = reason
            elif now - last_seen >= LAST_SEEN_PRECISION:
                session[LAST_SEEN] = now
        return self.get_response(request)


# ---------------------------------------------------------------- refusals


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out username or address (AXES_LOCKOUT_CALLABLE)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    security_log.record(
        "lockout", request=request, username=username,
        user=get_user_model().objects.filter(username=username).first() if username else None,
    )
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    response = render(request, "429.html", {
        "title": "登录已暂时锁定",
        "message": (
            f"登录失败次数过多，该账号或您所在的地址已被锁定 {minutes} 分钟，期间即使密码正确也无法登录。"
            f"如需立即解锁，请联系{settings.SITE_SPONSOR}（县政府办公室）系统管理员。{settings.SITE_CONTACT}"
        ),
    }, status=429)
    response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's page is in English and speaks to developers."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


# ---------------------------------------------------------------- the county office's steps


def unlock(attempts, *, by, what):
    """Remove the lock-out of the attempts' usernames (`what="username"`) or addresses ("ip_address")."""
    from axes.models import AccessAttempt

    if not can_manage_accounts(by):
        raise PermissionError("只有县政府办公室可以解除锁定")
    values = sorted({getattr(attempt, what) for attempt in attempts if getattr(attempt, what)})
    with transaction.atomic():
        for value in values:
            deleted, _ = AccessAttempt.objects.filter(**{what: value}).delete()
            security_log.record(
                "unlock", user=by, **({"target_username": value} if what == "username" else {"target_address": value}),
                attempts_removed=deleted,
            )
    return values


def reset_devices(user, *, by, request=None):
    """Remove the user's authenticators (lost phone): the next login enrols a new one. Sessions it
    verified stop being verified at their next request (django-otp finds the device gone)."""
    if not can_manage_accounts(by):
        raise PermissionError("只有县政府办公室可以重置两步验证")
    with transaction.atomic():
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        security_log.record("otp_reset", request=request, user=by, target_username=user.username,
                            target_user_id=user.pk, devices_removed=deleted)
    return deleted


def role_snapshot(user):
    """What a user may do, as recorded when it changes: flags, groups, permissions, organisation, roles."""
    user = get_user_model().objects.get(pk=user.pk)
    staff = Staff.objects.filter(user=user).select_related("organisation").first()
    return {
        "is_active": user.is_active, "is_staff": user.is_staff, "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(f"{app}.{code}" for app, code in user.user_permissions.values_list("content_type__app_label", "codename")),
        "organisation": staff.organisation.name if staff else None,
        "roles": sorted(role.value for role in staff.roles) if staff else [],
    }


def record_role_change(request, user, before):
    """Write a role_changed event when `user` may now do other things than `before` said."""
    after = role_snapshot(user)
    changed = {key: {"before": before.get(key), "after": value} for key, value in after.items() if before.get(key) != value}
    if changed:
        security_log.record("role_changed", request=request, target_username=user.username, target_user_id=user.pk,
                            changes=changed)
