"""The state store a command names, or the config's, or the default one."""

from __future__ import annotations

from pathlib import Path

from compliance_opa.config.load import Config, load_config
from compliance_opa.evidence.verify import Expected
from compliance_opa.state.history import complete_scans
from compliance_opa.state.store import (
    DEFAULT_LOCK_TIMEOUT,
    StateStore,
    default_state_path,
    open_store,
)


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


def ledger_history(
    state: str | None, config: Path | None, default_ledger: bool
) -> list[Expected] | None:
    """The complete scans an evidence ledger must hold the records of (`evidence verify`):
    from the store `--state` names, else the config's `state.url`, else, when the ledger
    is the default one too, the default store if there is one. None when no store is at
    hand. Nothing is created: a store named but missing is an InputError."""
    loaded = load_config(config) if config is not None and not state else Config()
    url = state or loaded.state.get("url")
    if url is None and not (default_ledger and default_state_path().is_file()):
        return None
    lock_timeout = float(loaded.state.get("lock_timeout", DEFAULT_LOCK_TIMEOUT))
    origin = state_origin(state, config)
    with open_store(url, lock_timeout, origin, create=False) as store, store.transaction() as tx:
        return [Expected(*scan) for scan in complete_scans(tx)]
