"""What every vendor adapter shares: the result type, the protocol and one-call HTTP plumbing.

An adapter makes exactly ONE HTTP request per `call` and raises a classified `CallError`;
retries, pricing, recording and failover live in the layer above. httpx is imported only when
a request is actually made, so importing these types stays cheap.

Every reply body is read as a stream and bounded (`agent.max_reply_bytes`, counted after any
content decoding): past the limit the connection is dropped and the attempt fails as a malformed
reply, so a runaway or hostile server can neither exhaust memory nor have its reply stored.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from praxis.errors import CallError
from praxis.providers.base import CompletionRequest, ToolCall, ToolSpec, Usage
from praxis.providers.http_errors import (
    INVALID_REQUEST,
    MALFORMED_REPLY,
    TRANSIENT,
    call_error,
    excerpt,
    malformed,
    status_error,
)

if TYPE_CHECKING:
    import ssl

    import httpx

TextCallback = Callable[[str], None]
DEFAULT_MAX_REPLY_BYTES = 200_000


class AdapterResult(NamedTuple):
    text: str
    tool_calls: tuple[ToolCall, ...]
    usage: Usage
    stop_reason: str | None  # normalised: end | max_tokens | tool_use, None when unknown


class Adapter(Protocol):
    provider: str
    model: str

    def call(
        self, request: CompletionRequest, on_text: TextCallback | None = None
    ) -> AdapterResult:
        """One request. With `on_text`, stream and pass each text delta as it arrives."""
        ...

    def close(self) -> None: ...


def normalise_base(url: str, endpoint_suffixes: Iterable[str]) -> str:
    """A BASE url: trailing slashes dropped, and a full endpoint pasted by mistake cut back."""
    base = url.strip().rstrip("/")
    lowered = base.lower()
    for suffix in sorted(endpoint_suffixes, key=len, reverse=True):
        if lowered.endswith(suffix):
            return base[: -len(suffix)].rstrip("/")
    return base


def finish(
    label: str, text: str, calls: list[ToolCall], usage: Usage, stop: str | None
) -> AdapterResult:
    """The result, or malformed_reply when the model said nothing at all."""
    text = text.strip()
    if not text and not calls:
        cut = " before the output token limit" if stop == "max_tokens" else ""
        raise malformed(label, f"no text and no tool calls{cut}")
    if calls and stop in (None, "end"):
        stop = "tool_use"  # Ollama and some compatible servers report "stop" for tool calls
    return AdapterResult(text, tuple(calls), usage, stop)


def function_tools(tools: Iterable[ToolSpec]) -> list[dict[str, Any]]:
    """Tools in the `{"type": "function", "function": {...}}` shape that OpenAI Chat Completions
    and Ollama share."""
    return [
        {
            "type": "function",
            "function": {
                "name": t.name,
                "description": t.description,
                "parameters": dict(t.parameters),
            },
        }
        for t in tools
    ]


def parse_arguments(label: str, raw: Any) -> Mapping[str, Any]:
    """Tool arguments: a JSON object, or a string holding one (OpenAI sends strings)."""
    if isinstance(raw, str):
        if not raw.strip():
            return {}
        try:
            raw = json.loads(raw)
        except ValueError:
            raise malformed(label, f"tool arguments are not JSON: {excerpt(raw)}") from None
    if not isinstance(raw, dict):
        raise malformed(label, "tool arguments are not a JSON object")
    return raw


def load_json(label: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise malformed(label, f"not JSON: {excerpt(text) or '(empty)'}") from None


@contextmanager
def reading(label: str) -> Iterator[None]:
    """Turn a reply of the wrong shape (a list where a dict was due, a text count) into
    malformed_reply instead of a traceback."""
    try:
        yield
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        raise malformed(label, f"unexpected shape ({type(exc).__name__}: {exc})") from exc


def count(data: Any, key: str) -> int:
    """A token count that some servers omit (Ollama skips cached prompt counts): 0 if absent."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def iter_sse(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Server-sent events as (event name, data); `data:` lines of one event are joined."""
    event = ""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "", []
        elif line.startswith(":"):
            continue
        else:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
    # An event not closed by a blank line before the stream ended is dropped (as the SSE spec says).


class HttpClient:
    """One adapter's connection: an httpx.Client (owned unless passed in) and error labelling."""

    def __init__(
        self,
        label: str,
        url: str,
        timeout: float,
        *,
        secrets: tuple[str, ...] = (),
        key_env: str | None = None,
        client: httpx.Client | None = None,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
    ) -> None:
        self.label = label
        self.url = url
        self.timeout = timeout
        self.max_reply_bytes = max_reply_bytes
        self.secrets = tuple(secret for secret in secrets if secret)
        self.key_env = key_env
        self._client = client
        self._owned = client is None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = shared_client(self.url.startswith("https://"))
        return self._client

    def close(self) -> None:
        """The process-wide client stays open for the next call; an injected one is the
        caller's to close."""
        if self._owned:
            self._client = None

    def post_json(self, headers: Mapping[str, str], body: Mapping[str, Any]) -> Any:
        """POST the body; the reply's JSON, or a classified CallError."""
        httpx = import_httpx()

        try:
            with self.client.stream(
                "POST", self.url, headers=headers, json=body, timeout=self.timeout
            ) as response:
                raw = self._read_bounded(response, strict=response.is_success)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise self.transport_error(exc) from exc
        if not response.is_success:
            raise self._status_error(response, raw)
        return load_json(self.label, raw.decode(response.encoding or "utf-8", errors="replace"))

    def stream_lines(
        self, headers: Mapping[str, str], body: Mapping[str, Any]
    ) -> Generator[str, None, None]:
        """The reply's complete lines as they arrive; the request is sent on the first `next()`.
        Close the generator when done so the connection is released at once."""
        import codecs

        httpx = import_httpx()

        try:
            with self.client.stream(
                "POST", self.url, headers=headers, json=body, timeout=self.timeout
            ) as response:
                if not response.is_success:
                    raise self._status_error(response, self._read_bounded(response, strict=False))
                decoder = codecs.getincrementaldecoder(response.encoding or "utf-8")("replace")
                pending = ""
                received = 0
                for chunk in response.iter_bytes():
                    received += len(chunk)
                    if received > self.max_reply_bytes:
                        raise self._too_large()
                    *complete, pending = (pending + decoder.decode(chunk)).split("\n")
                    for line in complete:
                        yield line.removesuffix("\r")
                # A fragment after the last newline is a cut stream, not a line: the parsers
                # then report the missing end event as a transient fault.
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise self.transport_error(exc) from exc

    def _read_bounded(self, response: httpx.Response, *, strict: bool) -> bytes:
        """The body, at most `max_reply_bytes` of it. `strict`: a larger body is an error (a
        reply); otherwise it is cut there (an error body, only ever shown as an excerpt)."""
        limit = self.max_reply_bytes
        declared = response.headers.get("content-length", "")
        if strict and declared.isdigit() and int(declared) > limit:
            raise self._too_large()  # refused before a byte of it is read
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                if strict:
                    raise self._too_large()
                return bytes(body[:limit])
        return bytes(body)

    def _too_large(self) -> CallError:
        return CallError(
            f"{self.label} returned a reply larger than agent.max_reply_bytes "
            f"({self.max_reply_bytes} bytes); it was not read further",
            "raise max_reply_bytes in the [agent] table of praxis.toml if replies this large "
            "are expected",
            error_class=MALFORMED_REPLY,
        )

    def error(self, error_class: str, what: str, status: int | None = None) -> CallError:
        return call_error(
            self.label, error_class, what, secrets=self.secrets, key_env=self.key_env, status=status
        )

    def transport_error(self, exc: Exception) -> CallError:
        httpx = import_httpx()

        if isinstance(exc, httpx.TimeoutException):
            return self.error(TRANSIENT, f"request timed out after {self.timeout:g}s")
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return self.error(INVALID_REQUEST, f"request has an unusable base_url: {exc}")
        if isinstance(exc, httpx.DecodingError):
            return self.error(MALFORMED_REPLY, f"returned an undecodable reply: {exc}")
        if isinstance(exc, httpx.ConnectError):
            return self.error(TRANSIENT, f"request could not connect: {exc}")
        return self.error(TRANSIENT, f"request failed: {type(exc).__name__}: {exc}")

    def _status_error(self, response: httpx.Response, raw: bytes) -> CallError:
        return status_error(
            self.label,
            response.status_code,
            raw.decode(response.encoding or "utf-8", errors="replace"),
            response.headers,
            secrets=self.secrets,
            key_env=self.key_env,
        )


def limit_replies(adapter: Adapter, max_reply_bytes: int) -> None:
    """Apply `agent.max_reply_bytes` to an adapter that reads replies over HTTP."""
    http = getattr(adapter, "http", None)
    if isinstance(http, HttpClient):
        http.max_reply_bytes = max_reply_bytes


@functools.cache
def shared_client(https: bool) -> httpx.Client:
    """One client per process (and scheme): connections and the TLS set-up are reused by every
    route and phase. Loading the CA bundle costs ~60 ms, so plain-http bases (local servers)
    skip it; timeouts are given per request."""
    client: httpx.Client = import_httpx().Client(verify=_tls_context() if https else False)
    return client


def import_httpx() -> Any:
    """httpx without its command-line client: `httpx/__init__` imports `httpx._main`, which
    pulls in click, rich and pygments (~40 ms) for a CLI we never use. A None entry in
    sys.modules makes that import fail, and httpx falls back to a stub `main`."""
    import sys

    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    import httpx

    return httpx


@functools.cache
def _tls_context() -> ssl.SSLContext:
    import ssl

    import certifi  # httpx's own CA bundle

    return ssl.create_default_context(cafile=certifi.where())
