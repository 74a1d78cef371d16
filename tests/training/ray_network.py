"""Which connections the Ray cluster's processes hold to anywhere but this machine."""

import ipaddress
import os
import pathlib

ESTABLISHED, SYN_SENT = "01", "02"


def _ray_pids():
    """This process and every process of Ray's (its raylet, GCS, workers and actors)."""
    pids = {os.getpid()}
    for command_line in pathlib.Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = command_line.read_bytes().replace(b"\0", b" ")
        except OSError:
            continue  # it ended while we looked
        if b"ray" in words:
            pids.add(int(command_line.parent.name))
    return pids


def _socket_inodes(pids):
    """The inodes of the sockets the processes `pids` hold open."""
    inodes = set()
    for pid in pids:
        try:
            links = [os.readlink(fd) for fd in pathlib.Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        inodes.update(link[8:-1] for link in links if link.startswith("socket:["))
    return inodes


def _address(hex_address):
    """The IP address of /proc/net/tcp's "0100007F:1F90" form (IPv4 or IPv6)."""
    raw = bytes.fromhex(hex_address.split(":")[0])
    # The kernel writes each 32-bit word in the host's (little-endian) order.
    words = b"".join(raw[index:index + 4][::-1] for index in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    return getattr(address, "ipv4_mapped", None) or address


def _tcp_sockets():
    """(local address, remote address, state, inode) of every TCP socket of this machine."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in pathlib.Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            yield _address(fields[1]), _address(fields[2]), fields[3], fields[9]


def foreign_connections():
    """[(local, remote)] of Ray's connected TCP sockets whose far end is not this machine.

    This machine's addresses are those its own sockets are bound to (Ray's nodes talk over
    the machine's network address as well as over the loopback one).
    """
    inodes, sockets = _socket_inodes(_ray_pids()), list(_tcp_sockets())
    own = {local for local, _remote, _state, _inode in sockets}
    return [(str(local), str(remote)) for local, remote, state, inode in sockets
            if inode in inodes and state in (ESTABLISHED, SYN_SENT)
            and not (remote.is_loopback or remote in own)]
