"""The push API's tokens: issued and revoked by the county office, checked on every push request.
A token is `<prefix>.<secret>`; the database holds the prefix (to find the row) and the SHA-256 of
the whole token, never the token itself."""

import datetime
import hashlib
import hmac
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import security_log
from .models import ApiToken, Staff
from .permissions import can_manage_api_tokens

# last_used_at is a hint for people, not an audit log: written at most once a minute per token.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenError(Exception):
    """A token step refused; the message is for people."""


def digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue(token, *, by):
    """Save the new `token` (name and organisation set) with its service user; return the secret,
    which exists nowhere else from now on."""
    if not can_manage_api_tokens(by):
        raise TokenError("只有县政府办公室可以创建接口令牌")
    User = get_user_model()
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists() or User.objects.filter(username=f"api-{prefix}").exists():
        prefix = secrets.token_hex(4)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    user = User(username=f"api-{prefix}", first_name=token.name[:150], is_active=False, is_staff=False)
    user.set_unusable_password()
    user.save()
    # A clerk of its organisation, so disclosure.workflow's own rules (create, submit) apply to it
    # unchanged; not staff and inactive, so it never enters the back office.
    Staff.objects.create(user=user, organisation=token.organisation, is_clerk=True)
    token.prefix, token.secret_hash, token.user, token.created_by = prefix, digest(raw), user, by
    token.save()
    security_log.record("token_created", user=by, token=prefix, name=token.name, organisation=token.organisation.name)
    return raw


@transaction.atomic
def revoke(token, *, by):
    if not can_manage_api_tokens(by):
        raise TokenError("只有县政府办公室可以撤销接口令牌")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.is_revoked:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    security_log.record("token_revoked", user=by, token=token.prefix, name=token.name)
    return token


def authenticate(raw):
    """The live token `raw` names, with its service user, staff row and organisation loaded; None for
    a malformed, unknown or revoked one."""
    prefix, dot, _ = raw.partition(".")
    if not dot or not prefix:
        return None
    token = (
        ApiToken.objects.select_related("organisation", "user__staff__organisation")
        .filter(prefix=prefix, revoked_at__isnull=True).first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, digest(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
