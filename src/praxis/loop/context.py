"""RunContext: what every phase of one session works with, in one object.

Modelled on pydantic-ai's `RunContext` (the run's dependencies, model and usage handed to every
step), kept small: the app, the session state, the database connection, the token counter and
the model of the running phase, plus the two ways a phase makes its progress durable (`save`
and `checkpoint`) and the one way it reports it to whoever watches (`progress`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from praxis import clock
from praxis.app import Praxis
from praxis.events import emit_event
from praxis.faults import crash_point
from praxis.loop.state import SessionState, save_state
from praxis.progress import NO_PROGRESS, Progress
from praxis.providers.base import Provider

ModelPhase = Literal["decide", "act"]


@dataclass(frozen=True)
class RunContext:
    app: Praxis
    state: SessionState
    db: sqlite3.Connection
    count_tokens: Callable[[str], int]
    given: Provider | None = None  # one provider for every phase (tests); else built per phase
    phase_provider: Provider | None = None  # the running phase's model (decide and act)
    progress: Progress = NO_PROGRESS  # phases, model calls, tool runs, checks: shown live

    @classmethod
    def start(
        cls,
        app: Praxis,
        state: SessionState,
        provider: Provider | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> RunContext:
        return cls(app, state, app.db, token_counter(app), given=provider, progress=progress)

    def for_phase(self, phase: ModelPhase) -> RunContext:
        """This context with the phase's provider. Built per phase: local-first fallback applies
        to act but never to decide."""
        from praxis.providers.factory import build_provider

        provider = self.given or build_provider(self.app.config, self.app.data_dir, phase)
        return replace(self, phase_provider=provider)

    @property
    def provider(self) -> Provider:
        if self.phase_provider is None:
            raise RuntimeError("no model outside decide and act (use RunContext.for_phase)")
        return self.phase_provider

    def save(self) -> None:
        """Keep the state now (a call happened: it must survive the phase dying)."""
        save_state(self.app.state_file, self.state)

    def checkpoint(self, name: str) -> None:
        """The state file, then its snapshot row (in that order), then the crash point `name`."""
        from praxis.storage.sessions import insert_snapshot

        state = self.state
        state.updated_at = clock.now_text()
        self.save()
        insert_snapshot(
            self.db,
            state.run_key,
            state.reflect.session_id,
            state.started_at,
            state.current_phase,
            name,
            state.to_json(),
            state.updated_at,
        )
        crash_point(name)

    def emit(self, kind: str, detail: str) -> None:
        emit_event(self.app.data_dir.events, kind, detail)


def token_counter(app: Praxis) -> Callable[[str], int]:
    """Counts tokens for the configured model family (chars/4 for the stub)."""
    from praxis.context.tokens import counter_for, family_for

    config = app.config
    route = next((r for r in config.routes if r.provider == config.backend), None)
    model = config.settings.agent.model_pin or (route.model if route else None)
    return counter_for(family_for(config.backend, model))
