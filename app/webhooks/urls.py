"""Which URLs Hashi agrees to call.

A webhook makes Hashi's servers send requests to an address a client chose, so a careless
rule would let a client reach the inside of our network (server-side request forgery).
In production only public addresses are allowed: the host is checked when the endpoint is
registered and again before every delivery, because a name can be pointed elsewhere after
registration (DNS rebinding). In development and testing local addresses are allowed, so
a receiver on 127.0.0.1 can be used.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from app.lib.service_error import ServiceError

MAX_URL_LENGTH = 2000


class WebhookError(ServiceError):
    """A webhook request that cannot be carried out (422 for a bad URL or event list)."""


def check_url(url: object, *, production: bool) -> str:
    """The URL, stripped, if Hashi may call it; else ``WebhookError`` (422) saying why."""
    if not isinstance(url, str) or not url.strip():
        raise WebhookError("Give the webhook URL as a string.", 422)
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise WebhookError(f"The URL is longer than {MAX_URL_LENGTH} characters.", 422)
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise WebhookError("The URL contains spaces or control characters.", 422)
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number in range
    except ValueError:
        raise WebhookError("The URL cannot be read.", 422) from None
    if parts.scheme not in ("http", "https"):
        raise WebhookError("The URL must start with https:// (or http://).", 422)
    if not parts.hostname:
        raise WebhookError("The URL has no host.", 422)
    if parts.username or parts.password:
        raise WebhookError("The URL must not contain a user name or password.", 422)
    if parts.fragment:
        raise WebhookError("The URL must not contain a fragment (#...).", 422)
    if production:
        check_host(parts.hostname, port or (443 if parts.scheme == "https" else 80))
    return url


def check_host(host: str, port: int) -> None:
    """Refuse a host that is, or resolves to, an address outside the public internet."""
    for address in resolve(host, port):
        if not is_public(address):
            raise WebhookError(
                f"The URL's host {host} is a private, loopback, link-local or reserved "
                "address; webhooks can only be sent to public addresses.",
                422,
            )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` names (a literal address names itself)."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise WebhookError(f"The URL's host {host} cannot be found.", 422) from None
    addresses = [str(info[4][0]).split("%", 1)[0] for info in found]
    if not addresses:
        raise WebhookError(f"The URL's host {host} cannot be found.", 422)
    return addresses


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
