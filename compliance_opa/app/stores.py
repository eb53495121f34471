"""The state store a command names, or the config's, or the default one."""

from __future__ import annotations

from compliance_opa.config.load import Config
from compliance_opa.state.store import DEFAULT_LOCK_TIMEOUT, StateStore, open_store


def open_configured_store(state: str | None, loaded: Config) -> StateStore:
    lock_timeout = float(loaded.state.get("lock_timeout", DEFAULT_LOCK_TIMEOUT))
    return open_store(state or loaded.state.get("url"), lock_timeout)
