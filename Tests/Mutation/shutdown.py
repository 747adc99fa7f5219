"""WS-12 at shutdown, checked on a mutant that every vector passed.

No vector can see how a server stops: the conformance suite runs against a live server and
never stops it. So, after the suite, the harness opens a WebSocket session (hello, welcome),
sends the server SIGTERM, and expects what WS-12 asks of a server that shuts down: an `error`
with code `unavailable`, then a close frame with code 1001, and the process gone soon after.
"""

import base64
import hashlib
import hmac
import json
import os
import signal
import socket
import struct
import subprocess
import time


def token(secret: str, tenant: str, user: str, device: str) -> str:
    """An HS256 JWT with the identity claims of AUTH-5, valid for an hour."""
    def encoded(value) -> bytes:
        raw = json.dumps(value, separators=(",", ":")).encode() if isinstance(value, dict) else value
        return base64.urlsafe_b64encode(raw).rstrip(b"=")
    now = int(time.time())
    signing_input = encoded({"alg": "HS256", "typ": "JWT"}) + b"." + encoded(
        {"tenant_id": tenant, "sub": user, "device_id": device, "iat": now, "exp": now + 3600})
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + encoded(signature)).decode()


class Connection:
    """The client side of one WebSocket connection, just enough for this check (RFC 6455)."""

    def __init__(self, port: int, path: str, deadline: float):
        self.deadline = deadline
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Protocol: mobilesync.v1\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._receive()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(f"the upgrade was answered {head.splitlines()[0].decode(errors='replace')}")

    def _receive(self) -> bytes:
        self.socket.settimeout(max(0.01, self.deadline - time.monotonic()))
        data = self.socket.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection without a close frame")
        return data

    def _take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            self.buffer += self._receive()
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def send(self, opcode: int, payload: bytes):
        """One masked frame, as a client sends it."""
        mask = os.urandom(4)
        length = len(payload)
        header = bytes([0x80 | opcode]) + (bytes([0x80 | length]) if length < 126 else bytes([0x80 | 126]) + struct.pack("!H", length))
        self.socket.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def frame(self):
        """The next frame: (opcode, payload); fragments are not expected from this server."""
        first, second = self._take(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._take(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._take(8))[0]
        return first & 0x0F, self._take(length)

    def close(self):
        self.socket.close()


def check(process: subprocess.Popen, url: str, secret: str, timeout: float = 30) -> str | None:
    """None when the server shut down as WS-12 asks; otherwise what it did instead."""
    deadline = time.monotonic() + timeout
    port = int(url.rsplit(":", 1)[1])
    try:
        connection = Connection(port, "/v1/sync?token=" + token(secret, "shutdown-check", "alice", "phone-a"), deadline)
    except (OSError, ConnectionError) as error:
        return f"WS-12 at shutdown: no session ({error})"
    seen = []  # the codes of the `error` messages after SIGTERM
    try:
        connection.send(0x1, json.dumps({"type": "hello", "protocol_version": "1.0.0", "client": {
            "platform": "ios", "app_version": "1.0.0", "os_version": "18.2", "network_type": "wifi"}}).encode())
        opcode, payload = connection.frame()
        if opcode != 0x1 or json.loads(payload).get("type") != "welcome":
            return f"WS-12 at shutdown: hello was answered {payload[:200]!r}"
        process.send_signal(signal.SIGTERM)
        while True:
            opcode, payload = connection.frame()
            if opcode == 0x1:
                seen.append(json.loads(payload).get("code"))
            elif opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                if code != 1001 or seen[-1:] != ["unavailable"]:
                    return f"WS-12 at shutdown: closed with {code} after error codes {seen}"
                connection.send(0x8, payload[:2])
                break
        process.wait(timeout=max(1, deadline - time.monotonic()))
        return None
    except (OSError, ConnectionError, ValueError) as error:
        return f"WS-12 at shutdown: {error} (error codes seen: {seen})"
    except subprocess.TimeoutExpired:
        return "WS-12 at shutdown: the server did not stop"
    finally:
        connection.close()
