"""A tiny HTTP server on 127.0.0.1 that vendor fakes build on.

Each request consumes one scripted mode (default "ok"). Fault modes are injected whatever the
request says, as a real outage would be: "500", "429" (+ Retry-After), "401", "timeout" (answers
after the client gave up), "disconnect" (closes without a reply) and "stall" (headers and part
of the body, then silence). The other modes ("ok", "tool_call", "malformed", "stream_error")
first validate the request like the real API and answer 4xx when it is wrong; "stream_error"
sends a vendor error event after the first deltas of a streamed reply (a plain reply is "ok").
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

FAULT_STATUS = {"500": 500, "429": 429, "401": 401}
MODES = (
    "ok",
    "tool_call",
    "length",  # a reply cut at the output limit (finish_reason length / stop_reason max_tokens)
    "malformed",
    "stream_error",
    "timeout",
    "disconnect",
    "stall",
    *FAULT_STATUS,
)
HOLD = b""  # in a chunk list: wait for `release` (or `hold_seconds`) before sending the rest


class Recorded(NamedTuple):
    method: str
    path: str
    headers: Mapping[str, str]  # lower-case names
    json: Any  # None when the body is not JSON
    body: bytes


class Reply(NamedTuple):
    status: int
    body: Sequence[bytes | None]  # more than one piece = streamed; None = stall there
    content_type: str = "application/json"
    headers: Mapping[str, str] = {}


def json_reply(status: int, data: Any, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(status, [json.dumps(data).encode()], "application/json", headers or {})


def sse(event: str | None, data: Any) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data)
    prefix = f"event: {event}\n" if event else ""
    return f"{prefix}data: {text}\n\n".encode()


def ndjson(data: Any) -> bytes:
    return (json.dumps(data) + "\n").encode()


def pieces(text: str) -> list[str]:
    """Split a reply into word-sized stream deltas ("a b c" -> ["a ", "b ", "c"])."""
    return re.findall(r"\S+\s*|\s+", text) or [text]


class FakeServer:
    """Base of the vendor fakes. Configure the public attributes before the request is made."""

    vendor = "Fake"
    stream_format = "sse"  # or "ndjson": how "malformed" garbles a stream

    def __init__(self, key: str | None = None) -> None:
        self.key = key
        self.requests: list[Recorded] = []
        self.text: str | None = None  # None: echo the last user text deterministically
        self.tool_name = "lookup"
        self.tool_arguments: dict[str, Any] = {"query": "praxis"}
        self.tool_text = ""  # text the model says alongside a tool call
        self.usage = (12, 7)  # input, output tokens
        self.retry_after: str | None = "1"
        self.delay = 3.0  # how long "timeout" and "stall" keep the client waiting
        self.latency = 0.0  # > 0: each request waits this long (once recorded) to be answered
        self.release = threading.Event()  # set it from on_text to prove deltas arrive live
        self.hold_seconds = 0.0  # > 0: after the first text delta, wait for `release`
        self.released_in_time: bool | None = None
        # True: a valid request that carries "tools" gets the vendor's 400 for a model that
        # cannot call tools (see each fake's `validate`).
        self.reject_tools = False
        # Scripted tool calls: each "tool_call" reply takes the next (name, arguments) from here
        # (else tool_name / tool_arguments); every tool call gets a fresh id, as real APIs do.
        self.calls: deque[tuple[str, dict[str, Any]]] = deque()
        self.tool_calls_sent = 0
        self._modes: deque[str] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        # A short poll interval keeps close() (shutdown) from costing half a second per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *modes: str) -> None:
        unknown = [mode for mode in modes if mode not in MODES]
        if unknown:
            raise ValueError(f"unknown fake modes {unknown}; known: {MODES}")
        with self._lock:
            self._modes.extend(modes)

    def close(self) -> None:
        self._closing.set()
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def last(self) -> Recorded:
        return self.requests[-1]

    # ---- hooks for vendor fakes ----

    def validate(self, request: Recorded) -> Reply | None:
        """A 4xx reply in the vendor's error shape when the request is wrong, else None."""
        raise NotImplementedError

    def answer(self, request: Recorded, mode: str) -> Reply:
        """The reply for "ok", "tool_call" or "stream_error" to a valid request."""
        raise NotImplementedError

    def error(self, status: int, request: Recorded) -> Reply:
        """An error reply in the vendor's shape for an injected fault status."""
        raise NotImplementedError

    def is_stream(self, request: Recorded) -> bool:
        return isinstance(request.json, dict) and request.json.get("stream") is True

    # ---- shared behaviour ----

    def reply_text(self, request: Recorded) -> str:
        if self.text is not None:
            return self.text
        return f"Fake {self.vendor} reply to: {self.last_user_text(request)}"

    def last_user_text(self, request: Recorded) -> str:
        return ""

    def respond(self, request: Recorded) -> Reply | None:
        with self._lock:
            self.requests.append(request)
            mode = self._modes.popleft() if self._modes else "ok"
            if mode == "tool_call":
                self._next_call()
        if self.latency > 0:
            self._closing.wait(self.latency)
        if mode == "timeout":
            self._closing.wait(self.delay)
            return None
        if mode == "disconnect":
            return None
        if mode in FAULT_STATUS:
            reply = self.error(FAULT_STATUS[mode], request)
            if mode == "429" and self.retry_after is not None:
                reply = reply._replace(headers={**reply.headers, "Retry-After": self.retry_after})
            return reply
        invalid = self.validate(request)
        if invalid is not None:
            return invalid
        if mode == "stall":
            reply = self.answer(request, "ok")
            first = reply.body[0] or b""
            return reply._replace(body=[first[: max(1, len(first) // 2)], None])
        if mode == "malformed":
            return self._malformed(self.is_stream(request))
        return self.answer(request, mode)

    def _next_call(self) -> None:
        self.tool_calls_sent += 1
        if self.calls:
            self.tool_name, self.tool_arguments = self.calls.popleft()
        tool_id = getattr(self, "tool_id", None)
        if isinstance(tool_id, str):
            self.tool_id = f"{tool_id.rstrip('0123456789')}{self.tool_calls_sent:02d}"

    def _malformed(self, stream: bool) -> Reply:
        if not stream:
            return Reply(200, [b'{"id": "broken", "content": [ {"type": "te'])
        if self.stream_format == "ndjson":
            return Reply(200, [b'{"message": {"content": "half\n'], "application/x-ndjson")
        return Reply(200, [b"data: {not json at all\n\n"], "text/event-stream")

    def wait_hold(self) -> None:
        if self.hold_seconds > 0 and self.released_in_time is None:
            self.released_in_time = self.release.wait(self.hold_seconds)

    def wait_stall(self) -> None:
        self._closing.wait(self.delay)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeServer
    protocol_version = "HTTP/1.0"  # one request per connection; streams end when we close

    def setup(self) -> None:
        super().setup()
        # Without this, Nagle + delayed ACK add ~40 ms to every multi-write reply.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Recorded("POST", self.path, headers, data, raw)
        reply = self.fake.respond(request)
        if reply is None:
            self.close_connection = True
            return
        # The client may have given up already (timeout tests); there is nobody left to tell.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(reply)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("content-type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        streamed = len(reply.body) > 1
        if not streamed:
            self.send_header("content-length", str(len(reply.body[0] or b"")))
        self.end_headers()
        self.wfile.flush()
        for piece in reply.body:
            if piece is None:
                self.fake.wait_stall()
                return
            if piece == HOLD:
                self.fake.wait_hold()
                continue
            self.wfile.write(piece)
            self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean
