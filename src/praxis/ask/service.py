"""Stateless `ask`: build the request, check the ask budget, make one call.

With the stub backend nothing in the data dir is opened for writing and SQLite is never opened
(opening it would create -wal/-shm files). Remote backends record every attempt in the usage
ledger (session id NULL, phase `ask`) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from praxis.ask.attachments import AttachmentPolicy, load_attachments, render_prompt
from praxis.ask.prompt import build_ask_request, read_identity
from praxis.errors import BudgetExceeded, UsageError
from praxis.providers.base import CompletionRequest, Reply

if TYPE_CHECKING:
    from praxis.config.budgets import CallBudget
    from praxis.config.loader import Config
    from praxis.paths import DataDir
    from praxis.providers.base import Provider


class AskResult(NamedTuple):
    backend: str
    prompt: str
    attachments: int
    request: CompletionRequest
    estimated_tokens: int
    reply: Reply

    @property
    def est_cost_usd(self) -> float:
        return self.reply.cost_micros / 1_000_000


def join_prompt(words: Sequence[str]) -> str:
    prompt = " ".join(words).strip()
    if not prompt:
        raise UsageError("ask prompt must not be empty", 'pass a question, e.g. praxis ask "hi"')
    return prompt


def estimate_ask_tokens(request: CompletionRequest) -> int:
    """Worst case: every prompt token plus the full output allowance."""
    return request.prompt_tokens() + request.max_output_tokens


def check_ask_budget(estimated_tokens: int, budget: CallBudget) -> None:
    if estimated_tokens <= budget.max_tokens and budget.max_attempts >= 1:
        return
    raise BudgetExceeded(
        f"ask budget blocked: estimated_tokens={estimated_tokens}/{budget.max_tokens} "
        f"max_attempts={budget.max_attempts} max_cost_usd={budget.max_cost_usd:.6f}",
        "shorten the prompt or attachments, or raise max_tokens in the [ask] table of budgets.toml",
    )


def prepare_ask(
    config: Config,
    data_dir: DataDir,
    words: Sequence[str],
    files: Sequence[str],
    policy: AttachmentPolicy,
) -> tuple[str, int, CompletionRequest]:
    """The operator's full prompt, the attachment count and the request that would be sent."""
    base = join_prompt(words)
    attachments = load_attachments(files, policy)
    prompt = render_prompt(base, attachments, policy)
    identity = read_identity(data_dir, config.settings.instance)
    return prompt, len(attachments), build_ask_request(prompt, identity)


def ask(
    config: Config,
    data_dir: DataDir,
    words: Sequence[str],
    files: Sequence[str],
    policy: AttachmentPolicy,
    provider: Provider | None = None,
    on_text: Callable[[str], None] | None = None,
) -> AskResult:
    """Answer one prompt. Raises UsageError for bad input, BudgetExceeded before any call.

    The stub touches nothing. A metered backend checks the ask, daily and monthly limits before
    every attempt and records each attempt in the usage ledger (session NULL, phase `ask`).
    """
    prompt, count, request = prepare_ask(config, data_dir, words, files, policy)
    if provider is None:
        from praxis.providers.factory import build_provider

        provider = build_provider(config, data_dir, "ask")
    estimated = estimate_ask_tokens(request)
    if not provider.metered:
        check_ask_budget(estimated, config.budgets.ask)
        reply = provider.complete(request, on_text=on_text)
    else:
        from praxis.ask.metered import metered_call

        reply = metered_call(config, data_dir, provider, request, on_text)
    return AskResult(
        backend=config.backend,
        prompt=prompt,
        attachments=count,
        request=request,
        estimated_tokens=estimated,
        reply=reply,
    )
