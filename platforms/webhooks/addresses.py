"""Where a webhook may go: public HTTPS addresses only, so that the bureau's server cannot be
turned against its own network (SSRF).

Checked twice: when an endpoint is registered (`check_url`) and at every delivery
(`resolve_for_delivery`), when the name is looked up again and the connection is made to the
very address that was checked (a name that resolved to a public address at registration and
to 10.0.0.5 now, "DNS rebinding", is refused). `ANXIN_WEBHOOKS_ALLOW_PRIVATE` (tests, local
development) allows plain HTTP and private addresses; it is off by default.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused

MAX_URL_LENGTH = 500
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """Reachable on the public internet: not private, loopback, link-local, multicast,
    reserved, unspecified or shared (100.64/10), in IPv4 or IPv6 (IPv4 inside IPv6 too)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id or ip in _NAT64_LOCAL:
            return False
        inner = _embedded_ipv4(ip)
        if inner is not None and not is_public_address(inner):
            return False
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
    )


def _allow_private() -> bool:
    return bool(getattr(settings, "ANXIN_WEBHOOKS_ALLOW_PRIVATE", False))


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str) -> SplitResult:
    """The parts of `url` if a webhook may be registered there; ActionRefused (on the field
    "url") says why not."""

    def refuse(message: str):
        raise ActionRefused(message, field="url")

    url = (url or "").strip()
    if not url:
        refuse(_("Enter the address of your receiver."))
    if len(url) > MAX_URL_LENGTH:
        refuse(_("The address is too long (at most %(n)d characters).") % {"n": MAX_URL_LENGTH})
    if any(ord(ch) < 33 or ord(ch) == 127 or ord(ch) > 126 for ch in url):
        refuse(_("The address may contain no spaces, control or non-ASCII characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        refuse(_("This is not a valid web address."))
    schemes = {"https", "http"} if _allow_private() else {"https"}
    if parts.scheme not in schemes:
        refuse(_("The address must start with https://."))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        refuse(_("The address may not contain a user name or password."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        refuse(_("This is not a valid web address."))
    if port == 0:
        refuse(_("This is not a valid web address."))
    if parts.fragment:
        refuse(_("The address may not contain a # part."))
    ip = _literal_ip(host)
    if ip is None and not _valid_host_name(host):
        refuse(_("This is not a valid web address."))
    if _allow_private():
        return parts
    if ip is not None:
        if not is_public_address(ip):
            refuse(_("The address must be on the public internet, not a private network."))
        return parts
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        refuse(_("The address must be on the public internet, not a private network."))
    # A name that does not resolve now may later (it is checked again at every delivery);
    # one that resolves to a private address is refused at once.
    try:
        addresses = _resolve(host, port or 443)
    except OSError:
        return parts
    if not addresses or not all(is_public_address(a) for a in addresses):
        refuse(_("The address must be on the public internet, not a private network."))
    return parts


def _valid_host_name(host: str) -> bool:
    if len(host) > 253:
        return False
    labels = host.split(".")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-")
    return all(
        0 < len(label) <= 63
        and set(label.lower()) <= allowed
        and not label.startswith("-")
        and not label.endswith("-")
        for label in labels
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    found = []
    for _family, _type, _proto, _canon, sockaddr in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    ):
        ip = ipaddress.ip_address(sockaddr[0])
        if ip not in found:
            found.append(ip)
    return found


class AddressRefused(Exception):
    """The name resolves (now) to an address a webhook may not reach."""


@dataclass(frozen=True)
class Target:
    """Where one attempt connects: the checked address, and the name for Host and SNI."""

    scheme: str
    host: str
    port: int
    ip: str
    path: str


def resolve_for_delivery(url: str) -> Target:
    """Look the name up now and pick the address to connect to. AddressRefused if any address
    it resolves to is not public (unless private addresses are allowed); OSError (socket.gaierror)
    if it does not resolve."""
    parts = urlsplit(url)
    if parts.scheme not in ({"https", "http"} if _allow_private() else {"https"}):
        raise AddressRefused(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not addresses:
        raise socket.gaierror(host)
    if not _allow_private() and not all(is_public_address(a) for a in addresses):
        raise AddressRefused(host)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=parts.scheme, host=host, port=port, ip=str(addresses[0]), path=path)
