"""The state store a command names, or the config's, or the default one."""

from __future__ import annotations

from pathlib import Path

from compliance_opa.config.load import Config
from compliance_opa.state.store import DEFAULT_LOCK_TIMEOUT, StateStore, open_store


def state_origin(state: str | None, config: Path | None = None) -> str:
    """How messages name where the state URL came from: `--state`, else the config's
    `state.url` (with the config file's path when known)."""
    if state:
        return "--state"
    return f"{config}: state.url" if config is not None else "config state.url"


def open_configured_store(
    state: str | None, loaded: Config, config: Path | None = None
) -> StateStore:
    """`--state` (``state``), else the config's `state.url`, else the default store;
    ``config`` is the config file's path, for messages."""
    lock_timeout = float(loaded.state.get("lock_timeout", DEFAULT_LOCK_TIMEOUT))
    return open_store(
        state or loaded.state.get("url"), lock_timeout, origin=state_origin(state, config)
    )
