"""The security event log (portal.SecurityEvent): every security-relevant event is written here and
nowhere else, so that what the county office reads, exports and keeps six months is complete."""

import ipaddress

from django.utils import timezone

from .models import SecurityEvent
from .net import client_address

Kind = SecurityEvent.Kind


def _valid_address(value):
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def record(kind, *, request=None, user=None, username=None, **detail):
    """Write one event. `user` is whose account it concerns (default: the request's signed-in user);
    `username` what was typed when there is no such user; `detail` anything else worth keeping."""
    kind = Kind(kind)
    if user is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    if user is not None and not getattr(user, "pk", None):
        user = None
    address = _valid_address(client_address(request)) if request is not None else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username if username is not None else (user.get_username() if user else ""))[:150],
        address=address,
        at=timezone.now(),
        detail=detail,
    )
