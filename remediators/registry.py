"""Every fixer by the check id it fixes."""

from __future__ import annotations

from remediators import aws, postgres
from remediators.base import Fixer

FIXERS: dict[str, Fixer] = {fixer.check_id: fixer for fixer in (*aws.FIXERS, *postgres.FIXERS)}
