"""One database: schemas, tables with classified columns, extensions, languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg2 import sql

from collectors.postgres import classify, queries
from collectors.postgres.model import grouped_acl, resource
from collectors.postgres.options import SYSTEM_SCHEMAS, PostgresOptions
from collectors.postgres.session import describe, optional, read_and_release, rows

# Column types whose values sampling reads (as text); others cannot hold what we detect.
_SAMPLED_TYPES = (
    "text", "character varying", "character", "citext", "bigint", "numeric", "json", "jsonb",
)  # fmt: skip
# Types whose values cannot be personal data whatever the column is called
# (`email_verified boolean`, `phone_updated_at timestamp`).
_NEVER_BY_NAME = ("boolean", "timestamp without time zone", "timestamp with time zone")
# The data classes of the inventory schema, in the order resources list them.
_TABLE_CLASSES = ("pii", "phi", "pci", "confidential", "public")


@dataclass
class DatabasePart:
    resources: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # parts not read: status partial


def collect_database(
    connection: Any, server: str, database: str, options: PostgresOptions
) -> DatabasePart:
    part = DatabasePart()
    excluded = list(SYSTEM_SCHEMAS) + list(options.exclude_schemas)
    base = f"{server}/{database}"
    for name, owner, acl in rows(connection, queries.SCHEMAS, {"excluded": excluded}):
        attributes = {"database": database, "name": name, "owner": owner, "acl": grouped_acl(acl)}
        part.resources.append(
            resource("postgresql_schema", f"{base}/{name}", f"{database}.{name}", attributes)
        )
    _tables(connection, base, database, excluded, options, part)
    for name, version, schema in rows(connection, queries.EXTENSIONS):
        attributes = {"database": database, "name": name, "version": version, "schema": schema}
        address = f"{base}?extension={name}"
        part.resources.append(
            resource("postgresql_extension", address, f"{database}:{name}", attributes)
        )
    for name, trusted, owner in rows(connection, queries.LANGUAGES):
        attributes = {"database": database, "name": name, "trusted": trusted, "owner": owner}
        address = f"{base}?language={name}"
        part.resources.append(
            resource("postgresql_language", address, f"{database}:{name}", attributes)
        )
    return part


@dataclass
class _Table:
    oid: int
    schema: str
    name: str
    owner: str
    row_security: bool
    force_row_security: bool
    comment: str | None
    estimated_rows: float
    acl: list[dict[str, Any]]
    columns: list[tuple[str, str, str | None]] = field(default_factory=list)  # name, type, comment
    column_acl: list[dict[str, Any]] = field(default_factory=list)  # column-level grants


def _tables(
    connection: Any,
    base: str,
    database: str,
    excluded: list[str],
    options: PostgresOptions,
    part: DatabasePart,
) -> None:
    tables = [_Table(*row) for row in rows(connection, queries.TABLES, {"excluded": excluded})]
    by_oid = {t.oid: t for t in tables}
    if tables:
        for oid, column, data_type, comment, acl in rows(
            connection, queries.COLUMNS, {"tables": list(by_oid)}
        ):
            by_oid[oid].columns.append((column, data_type, comment))
            by_oid[oid].column_acl.extend(acl)
    for table in tables:
        columns = [_column(name, data_type, comment) for name, data_type, comment in table.columns]
        if options.sample_rows > 0:
            _sample(connection, table, columns, options.sample_rows, part)
        attributes = {
            "database": database,
            "schema": table.schema,
            "name": table.name,
            "owner": table.owner,
            "row_security": table.row_security,
            "force_row_security": table.force_row_security,
            "acl": grouped_acl(table.acl + table.column_acl),
            "columns": columns,
        }
        classes = {
            classify.TABLE_CLASS[c["classification"]]
            for c in columns
            if c["classification"] != "none"
        }
        declared = classify.table_label(table.comment)
        if declared is not None:
            classes.add(declared)
        address = f"{base}/{table.schema}/{table.name}"
        name = f"{database}.{table.schema}.{table.name}"
        data_classes = [c for c in _TABLE_CLASSES if c in classes]
        part.resources.append(resource("postgresql_table", address, name, attributes, data_classes))


def _column(name: str, data_type: str, comment: str | None) -> dict[str, Any]:
    label = classify.comment_label(comment)
    guessed = None if data_type in _NEVER_BY_NAME else classify.by_name(name)
    if label is not None:
        classification, method = label, "comment"
    elif guessed is not None:
        classification, method = guessed[0], "name"
    else:
        classification, method = "none", "none"
    encrypted = classify.comment_encrypted(comment)
    return {
        "name": name,
        "data_type": data_type,
        "classification": classification,
        # bytea holds ciphertext (pgp_sym_encrypt and the like); a comment can say otherwise.
        "encrypted": encrypted if encrypted is not None else data_type == "bytea",
        "classified_by": method,
    }


def _sample(
    connection: Any, table: _Table, columns: list[dict[str, Any]], limit: int, part: DatabasePart
) -> None:
    """Classify unlabelled text-like columns by sampled values; keep counts, drop the values."""
    candidates = [
        c for c in columns if c["classified_by"] != "comment" and c["data_type"] in _SAMPLED_TYPES
    ]
    if not candidates:
        return
    names = [c["name"] for c in candidates]
    found, error = optional(connection, lambda: _read_sample(connection, table, names, limit))
    if error is not None:
        part.problems.append(f"sampling {table.schema}.{table.name}: {describe(error)}")
        return
    for index, column in enumerate(candidates):
        result = classify.detect(row[index] for row in found or [])
        if result is None:
            continue
        column["classification"] = result.classification
        column["classified_by"] = "sample"
        column["sample"] = {
            "detector": result.detector,
            "matched": result.matched,
            "sampled": result.sampled,
            "confidence": result.confidence,
        }
    del found  # the sampled values go no further than this function


def _read_sample(
    connection: Any, table: _Table, names: list[str], limit: int
) -> list[tuple[Any, ...]]:
    """Up to `limit` rows: a block sample spread over a big table, else its first rows.
    A block sample can come back short (few blocks picked); the first rows fill in."""
    if table.estimated_rows > limit * 10:
        percent = min(100.0, 100.0 * limit * 10 / table.estimated_rows)
        found = read_and_release(connection, _sample_query(table, names, limit, percent))
        if len(found) >= limit:
            return found
    return read_and_release(connection, _sample_query(table, names, limit, None))


def _sample_query(
    table: _Table, names: list[str], limit: int, percent: float | None
) -> sql.Composed:
    clause = sql.SQL("")
    if percent is not None:
        clause = sql.SQL(" TABLESAMPLE SYSTEM ({})").format(sql.Literal(round(percent, 4)))
    # Everything is composed (identifiers quoted, numbers literal), nothing is a parameter:
    # a column named "rate%" must not be taken for a placeholder.
    return sql.SQL("SELECT {columns} FROM {schema}.{table}{clause} LIMIT {limit}").format(
        columns=sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(n)) for n in names),
        schema=sql.Identifier(table.schema),
        table=sql.Identifier(table.name),
        clause=clause,
        limit=sql.Literal(limit),
    )
