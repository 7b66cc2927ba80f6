"""Readiness probes that speak the real wire protocols, stdlib only.

    python3 wirecheck.py kafka HOST PORT   # Kafka Metadata v4 request: needs >= 1 broker
    python3 wirecheck.py mongo HOST PORT   # MongoDB OP_MSG {ping: 1}: needs ok == 1

Exit 0 and one line on stdout when the server answers properly, else exit 1 with
the reason on stderr. Used by infra/local/*.sh (no client library is needed).
"""

from __future__ import annotations

import socket
import struct
import sys

TIMEOUT = 5.0


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by server")
        buf += chunk
    return bytes(buf)


def kafka(host: str, port: int) -> str:
    # Request header v1 + Metadata v4 body (topics = null -> all, no auto-create).
    client_id = b"cmh-infra-check"
    body = struct.pack(">hhih", 3, 4, 7, len(client_id)) + client_id
    body += struct.pack(">ib", -1, 0)
    with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
        sock.sendall(struct.pack(">i", len(body)) + body)
        size = struct.unpack(">i", _recv_exact(sock, 4))[0]
        data = _recv_exact(sock, size)
    pos = 0

    def take(fmt: str) -> int:
        nonlocal pos
        (value,) = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return int(value)

    def take_str() -> str | None:
        nonlocal pos
        n = take(">h")
        if n < 0:
            return None
        s = data[pos : pos + n].decode()
        pos += n
        return s

    if take(">i") != 7:
        raise ValueError("correlation id mismatch")
    take(">i")  # throttle_time_ms
    brokers = []
    for _ in range(take(">i")):
        node_id = take(">i")
        bhost = take_str()
        bport = take(">i")
        take_str()  # rack
        brokers.append(f"{node_id}@{bhost}:{bport}")
    cluster_id = take_str()
    if not brokers:
        raise ValueError("metadata response lists no broker yet")
    return f"kafka metadata ok: cluster {cluster_id}, brokers {', '.join(brokers)}"


def _cstring(s: str) -> bytes:
    return s.encode() + b"\0"


def mongo(host: str, port: int) -> str:
    # OP_MSG (opcode 2013), one body section: {ping: 1, $db: "admin"}.
    elems = b"\x10" + _cstring("ping") + struct.pack("<i", 1)
    elems += b"\x02" + _cstring("$db") + struct.pack("<i", 6) + _cstring("admin")
    doc = struct.pack("<i", len(elems) + 5) + elems + b"\0"
    payload = struct.pack("<I", 0) + b"\0" + doc
    msg = struct.pack("<iiii", 16 + len(payload), 7, 0, 2013) + payload
    with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
        sock.sendall(msg)
        header = _recv_exact(sock, 16)
        length, _req, response_to, opcode = struct.unpack("<iiii", header)
        data = _recv_exact(sock, length - 16)
    if response_to != 7 or opcode != 2013:
        raise ValueError(f"unexpected reply (responseTo={response_to}, opcode={opcode})")
    i = data.find(b"\x01ok\x00")  # field "ok" as a BSON double
    if i < 0 or struct.unpack_from("<d", data, i + 4)[0] != 1.0:
        raise ValueError(f"ping did not return ok: 1 ({data[:120]!r})")
    return "mongo ping ok"


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] not in ("kafka", "mongo"):
        print(__doc__, file=sys.stderr)
        return 2
    probe = kafka if argv[1] == "kafka" else mongo
    try:
        print(probe(argv[2], int(argv[3])))
    except (OSError, ValueError, struct.error) as exc:
        print(f"{argv[1]} check failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
