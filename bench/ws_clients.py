"""The load generator of bench/ws_latency.py: many WebSocket clients in one process of their own,
each a bare asyncio protocol on uvloop (a handshake, frame parsing, pong), so that the clients
cost a few microseconds a message and are not what is measured. The `websockets` client cost
tens of microseconds a message and socket: with 1,000 sockets on 2 cores the clients' own
queue was a large part of the tail.

Like a browser, each client offers permessage-deflate and inflates what comes compressed. A
message's receipt time is read when its bytes arrive, before any JSON is decoded; the payloads
are decoded after the run.
"""

import asyncio
import base64
import json
import os
import struct
import time
import zlib

HANDSHAKES_AT_ONCE = 50
TAIL = b"\x00\x00\xff\xff"


def _client_frame(opcode: int, payload: bytes) -> bytes:
    """A masked frame (clients must mask), for payloads under 126 bytes."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


class _Client(asyncio.Protocol):
    def __init__(self, fleet: "Fleet", request: bytes, subscribe: bytes):
        self.fleet, self.request, self.subscribe = fleet, request, subscribe
        self.buffer = b""
        self.open = False
        self.inflate = None
        self.done = fleet.loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(f"lost before subscribing: {exc!r}")
        elif self.fleet.running:
            self.fleet.dropped += 1

    def data_received(self, data):
        now = time.time()
        buffer = self.buffer + data if self.buffer else data
        if not self.open:
            head, sep, rest = buffer.partition(b"\r\n\r\n")
            if not sep:
                self.buffer = buffer
                return
            if not head.startswith(b"HTTP/1.1 101"):
                self.done.set_result(head.split(b"\r\n", 1)[0].decode(errors="replace"))
                self.transport.close()
                return
            self.open = True
            if b"permessage-deflate" in head.lower():
                self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            self.transport.write(self.subscribe)
            buffer = rest
        self.buffer = self._frames(buffer, now)

    def _frames(self, buffer: bytes, now: float) -> bytes:
        pos, size = 0, len(buffer)
        while size - pos >= 2:
            first, length = buffer[pos], buffer[pos + 1] & 0x7F
            head = 2
            if length == 126:
                if size - pos < 4:
                    break
                (length,) = struct.unpack_from("!H", buffer, pos + 2)
                head = 4
            elif length == 127:
                if size - pos < 10:
                    break
                (length,) = struct.unpack_from("!Q", buffer, pos + 2)
                head = 10
            if size - pos < head + length:
                break
            payload = buffer[pos + head : pos + head + length]
            pos += head + length
            opcode = first & 0x0F
            if opcode == 1:
                if first & 0x40:  # RSV1: compressed
                    payload = self.inflate.decompress(payload + TAIL)
                self.fleet.received(self, now, payload)
            elif opcode == 9:
                self.transport.write(_client_frame(0xA, payload))
            elif opcode == 8:
                self.transport.close()
        return buffer[pos:]


class Fleet:
    """`sessions` clients on `ws://127.0.0.1:port/ws/notifications/`, each subscribed to a case."""

    def __init__(self, port: int, sessions: list[str], case_id: int):
        self.port, self.sessions, self.case_id = port, sessions, case_id
        self.records: list[tuple[float, bytes]] = []
        self.failures: list[str] = []
        self.dropped = 0
        self.running = True

    def received(self, client: _Client, now: float, payload: bytes) -> None:
        if b'"sent_at"' in payload:
            self.records.append((now, payload))
        elif not client.done.done() and b'"subscribed"' in payload:
            client.done.set_result(None)

    def _request(self, session_key: str) -> bytes:
        key = base64.b64encode(os.urandom(16)).decode()
        return (
            f"GET /ws/notifications/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            f"Origin: http://127.0.0.1:{self.port}\r\nCookie: sessionid={session_key}\r\n\r\n"
        ).encode()

    async def _connect(self, session_key: str, slots: asyncio.Semaphore) -> _Client | None:
        subscribe = _client_frame(
            0x1, json.dumps({"subscribe": "case", "case": self.case_id}).encode()
        )
        async with slots:
            try:
                _transport, client = await self.loop.create_connection(
                    lambda: _Client(self, self._request(session_key), subscribe),
                    "127.0.0.1",
                    self.port,
                )
                failure = await asyncio.wait_for(client.done, timeout=60)
            except (OSError, TimeoutError) as error:
                failure = repr(error)
        if failure:
            self.failures.append(failure[:200])
            return None
        return client

    async def run(self, ready, stop) -> None:
        self.loop = asyncio.get_running_loop()
        slots = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        clients = await asyncio.gather(*(self._connect(key, slots) for key in self.sessions))
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        self.running = False
        for client in clients:
            if client is not None:
                client.transport.close()


def run_clients(port, sessions, case_id, ready, stop, results) -> None:
    """The body of the clients' process: puts (receipts, failures, dropped) on `results`, a
    receipt being (time received, the message's sent_at, the message's case)."""
    import uvloop

    fleet = Fleet(port, sessions, case_id)
    uvloop.run(fleet.run(ready, stop))
    receipts = []
    for received_at, payload in fleet.records:
        message = json.loads(payload)
        if message.get("type") == "case":
            receipts.append((received_at, message["sent_at"], message["case"]))
    results.put((receipts, fleet.failures, fleet.dropped))
