"""The host names and addresses this installation answers to, derived from where it serves.

Django's Host check and Channels' WebSocket origin check are only as good as ALLOWED_HOSTS:
"*" made both meaningless. `make run` serves on loopback unless HOST says otherwise; on all
interfaces (a training room's Wi-Fi) the laptop is reached by its own address and name.
Pure Python, no Django, so settings can call it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket

__all__ = ["LOOPBACK", "allowed_hosts", "is_loopback", "routed_address"]

LOOPBACK = ["127.0.0.1", "localhost", "[::1]"]
ALL_INTERFACES = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """Whether a host name or address (IPv6 with or without brackets) is this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def routed_address() -> str | None:
    """The address other machines on the local network reach this one by, found without
    sending anything (a UDP socket only picks a route)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
    except OSError:
        return None


def _own_names() -> list[str]:
    name = socket.gethostname()
    found = [name, f"{name}.local"] if name else []
    # A laptop without a resolvable name still has its routed address.
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(name)[2]
    return found


def allowed_hosts(serve_host: str | None) -> list[str]:
    """Loopback always; the host served on when it is one; this machine's names and
    addresses when serving on all interfaces."""
    hosts = list(LOOPBACK)
    host = (serve_host or "127.0.0.1").strip()
    if host in ALL_INTERFACES:
        routed = routed_address()
        hosts += [*([routed] if routed else []), *_own_names()]
    elif host not in hosts:
        hosts.append(f"[{host}]" if ":" in host else host)
    return list(dict.fromkeys(h for h in hosts if h))
