"""Resource policy documents as the inventory keeps them."""

from __future__ import annotations

import json
from typing import Any


def policy_document(text: str | None) -> dict[str, Any] | str | None:
    """A JSON policy document as an object; text that is not one is kept as it is (the checks
    call it unreadable); None when there is no policy."""
    if not text:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return text
    return document if isinstance(document, dict) else text
