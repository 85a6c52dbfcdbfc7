"""Who is asking: the client's address, for rate limits and lock-outs. X-Forwarded-For is believed
only as far as the proxies we run (TRUSTED_PROXIES) wrote it; everything else in it the client may
have typed."""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(values):
    return tuple(trusted_proxy_networks(values))


def trusted_proxy_networks(values):
    """The TRUSTED_PROXIES setting (addresses or CIDRs) as networks; ValueError names a bad entry."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES 中的 {value!r} 不是有效的 IP 地址或网段") from None
    return networks


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request):
    """The socket's address; when that is a trusted proxy, the X-Forwarded-For entry the nearest
    untrusted hop was seen at, walking right to left past our own proxies. Each proxy appends the
    address it received from, so the entries left of the first untrusted one are the client's own
    words and never decide anything."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))  # parsed once per value, not per request
    if not networks:
        return remote

    def trusted(address):
        return address is not None and any(address in network for network in networks)

    address = _parse(remote)
    if not trusted(address):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        parsed = _parse(hop)
        if parsed is None:
            # Not an address our proxy would write: stop at the last address we can vouch for, so
            # that junk cannot make a new key for each request.
            break
        address = parsed
        if not trusted(parsed):
            break
    return str(address)
