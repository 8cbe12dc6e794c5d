"""Which addresses a delivery may reach, and a connection pinned to the address that was checked.

The host is resolved once, at send time; every address it resolves to must be public unless
the webhook allows private ones. The connection then goes to one of the checked addresses
(the Host header and TLS name stay the host's), so a second lookup cannot point it elsewhere. Redirects
are never followed: http.client does not follow them, and a 3xx counts as a failed attempt.
"""

import http.client
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _


class AddressRefused(Exception):
    """The URL's host resolves to an address deliveries may not reach."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def address_forbidden(address: str) -> bool:
    """Loopback, private, link-local, reserved, multicast or otherwise not global."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def target_resolve(url: str, *, allow_private: bool) -> Target:
    """Resolve the URL's host and check every address it resolves to; raise AddressRefused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(_("Only http and https addresses with a host are allowed."))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # OSError (the name does not resolve) is left to the caller: it may be a passing fault.
    infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        forbidden = [address for address in addresses if address_forbidden(address)]
        if forbidden:
            raise AddressRefused(
                _("%(host)s resolves to %(addresses)s, which is not a public address.")
                % {"host": parts.hostname, "addresses": ", ".join(forbidden)}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, path, tuple(addresses))


def _connect(addresses: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    """The first of the checked addresses that accepts a connection, in the resolver's order."""
    error = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as refused:
            error = refused
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, addresses: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = addresses

    def connect(self):
        self.sock = _connect(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, addresses: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = addresses

    def connect(self):
        sock = _connect(self._addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, *, body: bytes, headers: dict, timeout: float) -> int:
    """POST the body to the checked address; the receiver's status code (its body is not read)."""
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target.host, target.port, timeout=timeout, addresses=target.addresses)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
