"""PostgreSQL fixers: GRANT, REVOKE and ALTER ROLE through the remediation role of
role.sql, on a connection from connect.py (never the collector's, never a superuser).

Each fixer writes without committing (the caller commits) and builds every statement
with psycopg2.sql, so estate names are always quoted identifiers or literals.
"""

from __future__ import annotations

from remediators.base import Fixer
from remediators.postgres.role import RolePasswordExpiry
from remediators.postgres.schema import SchemaPublicCreate
from remediators.postgres.table import TablePublicPrivileges

FIXERS: tuple[Fixer, ...] = (SchemaPublicCreate(), TablePublicPrivileges(), RolePasswordExpiry())

__all__ = ["FIXERS", "RolePasswordExpiry", "SchemaPublicCreate", "TablePublicPrivileges"]
