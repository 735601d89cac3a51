"""Where students can reach this server: its addresses on the local network, and what to tell
the teacher who starts it.

A server bound to 127.0.0.1 (the default) answers only programs on the same computer: students on
other machines cannot connect, and nothing else would say so.  Bound to 0.0.0.0 it answers on
every network the computer is on, and the students need one of its addresses.  Those are found
with the socket module alone: the addresses the host name resolves to, and the one the system
would send from towards a private network (a UDP "connect" sends no packet).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ALL_HOSTS = frozenset({"0.0.0.0", "::", ""})

_PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")
"""Private addresses to 'connect' a UDP socket towards: no packet leaves; the system picks the
address it would send from, which is the computer's address on that network."""


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not ip.is_loopback and not ip.is_link_local and not ip.is_unspecified


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses on its networks (not loopback), private ones first."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM):
            found.append(str(info[4][0]))
    for probe in _PROBES:
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))
            found.append(str(udp.getsockname()[0]))
    unique = list(dict.fromkeys(a for a in found if _usable(a)))
    return sorted(unique, key=lambda a: not ipaddress.ip_address(a).is_private)


def reach_note(host: str, port: int, addresses: list[str] | None = None) -> list[str]:
    """What `backchannel serve` prints under its `listening on` line, for the teacher: who can reach
    the server and the address to give students.  `addresses`: the LAN addresses (found if None)."""
    firewall = (
        f"If students cannot connect, let this computer's firewall accept TCP port {port} "
        f"(Windows: allow Python through Windows Defender Firewall when asked; macOS: System Settings > "
        f"Network > Firewall; Linux: sudo ufw allow {port}/tcp)."
    )
    if host in LOOPBACK_HOSTS:
        lines = [
            f"Only programs on this computer can reach this server ({host}): students on other machines cannot.",
            f"To serve the classroom network, run: backchannel serve --host 0.0.0.0 --port {port}",
        ]
        found = lan_addresses() if addresses is None else addresses
        if found:
            lines.append("Students would then type: " + ", ".join(f"ws://{a}:{port}" for a in found))
        return lines
    if host in ALL_HOSTS:
        found = lan_addresses() if addresses is None else addresses
        if not found:
            return [
                "Serving on every network of this computer, but no network address was found: is it connected?",
                firewall,
            ]
        return [
            "Students on the same network type one of: " + ", ".join(f"ws://{a}:{port}" for a in found),
            firewall,
        ]
    return [f"Students type: ws://{host}:{port}", firewall]
