"""The one call flow the vendor adapters (Claude, OpenAI, Ollama) share: a JSON POST to one
endpoint, answered whole or streamed. A vendor adds only its `WireFormat` (where the endpoint
is, the request body, how a whole reply and a streamed one read) and its headers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from praxis.providers.adapter import (
    AdapterResult,
    HttpClient,
    TextCallback,
    iter_sse,
    normalise_base,
    reading,
)
from praxis.providers.http_errors import TRANSIENT

if TYPE_CHECKING:
    import httpx

    from praxis.providers.base import CompletionRequest


class StreamReader(Protocol):
    """One streamed reply, read event by event into the result a whole reply gives."""

    end: str  # the closing event, named when a stream stops before it
    done: bool  # set by the closing event

    def feed(self, event: str, data: str) -> str | None:
        """Apply one event (its name, "" where the stream has none, and its data); return its
        text delta, if it carries one. An error event raises a CallError."""
        ...

    def result(self) -> AdapterResult: ...


class WireFormat(NamedTuple):
    """One vendor API as an adapter speaks it."""

    path: str  # the endpoint, below the base url
    body: Callable[[str, CompletionRequest, bool], dict[str, Any]]  # (model, request, stream)
    parse: Callable[[Any], AdapterResult]  # a whole reply's JSON
    reader: Callable[[HttpClient], StreamReader]  # a fresh reader for one streamed reply
    frames: Callable[[Iterable[str]], Iterable[tuple[str, str]]] = iter_sse  # lines -> events


class HttpAdapter:
    """A vendor adapter: `provider` and `label` name it; the key never shows in its repr."""

    provider: str
    label: str
    endpoints: tuple[str, ...] = ()  # full endpoints pasted as the base url are cut back

    def __init__(
        self,
        wire: WireFormat,
        model: str,
        base_url: str,
        timeout: float,
        *,
        headers: Mapping[str, str] | None = None,
        api_key: str | None = None,
        key_env: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.wire = wire
        self.model = model
        self.base_url = normalise_base(base_url, self.endpoints)
        self.url = f"{self.base_url}/{wire.path}"
        self._headers = {**(headers or {}), "content-type": "application/json"}
        secrets = (api_key,) if api_key else ()  # redacted from every error message
        self.http = HttpClient(
            self.label, self.url, timeout, secrets=secrets, key_env=key_env, client=client
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        self.http.close()

    def call(
        self, request: CompletionRequest, on_text: TextCallback | None = None
    ) -> AdapterResult:
        body = self.wire.body(self.model, request, on_text is not None)
        if on_text is None:
            return self.wire.parse(self.http.post_json(self._headers, body))
        with closing(self.http.stream_lines(self._headers, body)) as lines:
            return self._read_stream(lines, on_text)

    def _read_stream(self, lines: Iterable[str], on_text: TextCallback) -> AdapterResult:
        """Each event goes to a fresh reader; its text deltas are passed on as they arrive."""
        reader = self.wire.reader(self.http)
        for event, data in self.wire.frames(lines):
            with reading(self.label):
                delta = reader.feed(event, data)
            if delta:
                on_text(delta)
            if reader.done:
                with reading(self.label):
                    return reader.result()
        raise self.http.error(TRANSIENT, f"stream ended before {reader.end}")
