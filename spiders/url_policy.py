"""Which URLs a crawl may fetch: http(s) to the source's own host(s), nothing else.

A page, an OParl object (``next``, ``accessUrl``) or a redirect can name any
URL. Fetching it blindly reads local files (``file://``), lets another host's
page be stored under the source's ids, or walks into an internal network. So
every request of a crawl is checked against a :class:`UrlPolicy` built from the
spider's ``base_url`` and ``extra_hosts`` (a separate document server, say):

* the scheme is ``http`` or ``https``;
* the host is the source's own host (on the base URL's port or the default
  http/https ports), or one of the extra hosts (``name`` on the default ports,
  ``name:port`` on that port only);
* an extra host that is, or resolves to, a loopback, private, link-local or
  otherwise non-public address is refused unless the source itself is on such
  an address (the demo site and the tests run on 127.0.0.1).

A refused request is never made; :class:`RefusedRequest` carries the reason,
and the spider records it in ``failures.jsonl`` with ``"outcome": "refused"``.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class RefusedRequest(IgnoreRequest):
    """A request the crawl decided not to make, with the reason."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"refused {url}: {reason}")
        self.url = url
        self.reason = reason


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_internal_address(address: str) -> bool:
    """Return True for loopback, private, link-local, reserved and other non-public IP addresses."""
    ip = _ip(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def resolve_addresses(host: str) -> list[str]:
    """Return the IP addresses ``host`` resolves to (empty when it does not resolve)."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):
        return []


def normalise_host(host: str) -> str:
    """Return a host name lower-case and in its ASCII (IDNA) form, as Scrapy sends it."""
    host = host.strip().lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _local_host(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost") or is_internal_address(host)


@dataclass
class UrlPolicy:
    """The hosts and schemes one source's crawl may fetch."""

    base_url: str
    extra_hosts: tuple[str, ...] = ()
    resolve: Callable[[str], list[str]] = resolve_addresses
    _verdicts: dict[tuple[str, int], str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        base = urlsplit(self.base_url)
        if base.scheme not in ALLOWED_SCHEMES or not base.hostname:
            raise ValueError(f"base URL must be an http(s) URL with a host: {self.base_url!r}")
        self.own_host = normalise_host(base.hostname)
        self.own_ports = {base.port or DEFAULT_PORTS[base.scheme], *DEFAULT_PORTS.values()}
        self.source_is_local = _local_host(self.own_host)
        self.extra: dict[str, set[int] | None] = {}
        for entry in self.extra_hosts:
            entry = entry.strip().lower()
            if not entry:
                continue
            parsed = urlsplit(entry if "//" in entry else f"//{entry}")
            host = normalise_host(parsed.hostname or "")
            if not host:
                raise ValueError(f"not a host name: {entry!r}")
            ports = self.extra.setdefault(host, set())
            if parsed.port is not None and ports is not None:
                ports.add(parsed.port)
            elif parsed.port is None:
                self.extra[host] = None  # any default port

    @classmethod
    def for_spider(cls, spider) -> "UrlPolicy":
        """Return the policy of a spider that exposes ``base_url`` and ``extra_hosts``."""
        return cls(spider.base_url, tuple(getattr(spider, "extra_hosts", None) or ()))

    def hosts(self) -> list[str]:
        """Return the host names this policy allows, own host first."""
        return [self.own_host, *sorted(self.extra)]

    def refusal(self, url: str) -> str | None:
        """Return why ``url`` must not be fetched, or None when it may be."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            return f"malformed URL ({exc})"
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            return f"scheme {scheme or '(none)'}:// is not fetched (only http and https)"
        host = normalise_host(parts.hostname or "")
        if not host:
            return "URL has no host"
        port = port or DEFAULT_PORTS[scheme]
        if host == self.own_host:
            if parts.username or parts.password:
                return "URL carries credentials"
            if port in self.own_ports:
                return None
            return f"port {port} of {host} is not the source's (allowed: {sorted(self.own_ports)})"
        if host not in self.extra:
            return (f"host {host} is not the source's ({', '.join(self.hosts())}; "
                    "a host that belongs to the source goes in its extra_hosts)")
        ports = self.extra[host]
        if ports is None and port not in DEFAULT_PORTS.values():
            return f"port {port} of extra host {host} is not allowed (only 80/443; configure {host}:{port})"
        if ports is not None and port not in ports:
            return f"port {port} of extra host {host} is not allowed (allowed: {sorted(ports)})"
        if parts.username or parts.password:
            return "URL carries credentials"
        return self._address_refusal(host, port)

    def _address_refusal(self, host: str, port: int) -> str | None:
        if self.source_is_local:
            return None  # a local demo/test source may use local extra hosts
        key = (host, port)
        if key not in self._verdicts:
            verdict = None
            if _local_host(host):
                verdict = f"extra host {host} is an internal address"
            else:
                internal = [a for a in self.resolve(host) if is_internal_address(a)]
                if internal:
                    verdict = f"extra host {host} resolves to internal address {internal[0]}"
            self._verdicts[key] = verdict
        return self._verdicts[key]

    def check(self, url: str) -> None:
        """Raise :class:`RefusedRequest` when ``url`` must not be fetched."""
        reason = self.refusal(url)
        if reason is not None:
            raise RefusedRequest(url, reason)


def parse_hosts(value: str | Iterable[str] | None) -> list[str]:
    """Return a list of host entries from a comma/space separated string or an iterable."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [v.strip() for v in value if v and v.strip()]
