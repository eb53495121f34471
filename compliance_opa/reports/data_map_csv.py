"""The data map as CSV (`--format data-map-csv`, `data-map.csv` in `--report-dir`): one row
per data class and store, for the spreadsheet or GRC register an Article 30 record, a PHI
inventory or a PCI DSS scope is kept in.

A file of its own, not rows added to `opa-comply.csv`: that file is one table of findings
with one set of columns, and every import and filter built on it takes each row for a
finding. A store is another kind of record with other columns; mixed in, a "record type"
column would have to be known to every consumer, and the findings CSV would change for
everyone. The cells are written as the findings CSV writes them (every cell quoted, a
cell that a spreadsheet would take for a formula prefixed with an apostrophe), and read
as the other renderings read (`data_map_view.py`): "unknown" where the inventory does not
say. A store holding two classes has a row under each, as in the Markdown document.
"""

from __future__ import annotations

import csv
import io

from compliance_opa.domain.data_map import CLASSES, ClassifiedColumn, DataStore
from compliance_opa.domain.report import ScanReport
from compliance_opa.reports import data_map_view as view
from compliance_opa.reports.csv_report import neutralise

COLUMNS = (
    "data_class",
    "system",
    "address",
    "resource_type",
    "kind",
    "name",
    "database_schema_table",
    "account",
    "region",
    "owner",
    "environment",
    "encrypted_at_rest",
    "encrypted_in_transit",
    "backup_and_retention",
    "public",
    "internet_exposed",
    "granted_to_public",
    "roles",
    "open_findings",
    "cardholder_data_environment",
    "connected",
    "classified_columns",
)


def render(report: ScanReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)  # as csv_report: a cell stays one cell
    writer.writerow(COLUMNS)
    data_map = report.data_map
    connected = {store.address: links for store, links in view.cde_rows(data_map)}
    for code, systems in data_map.by_class():
        for _, stores in systems:
            for store in stores:
                row = _row(code, store, connected.get(store.address, []))
                writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def _row(code: str, s: DataStore, links: list[tuple[str, str, str]]) -> list[str]:
    grants = view.public_grants(s)
    return [
        CLASSES.get(code, code),
        s.system,
        s.address,
        s.type,
        s.kind,
        s.name,
        _location(s),
        view.or_unknown(s.account),
        view.region(s),
        view.or_unknown(s.owner),
        view.or_unknown(s.environment),
        view.at_rest(s),
        view.yes_no(s.protection.encrypted_in_transit),
        view.backup(s),
        view.yes_no(s.reach.public),
        view.yes_no(s.reach.internet_exposed),
        "n/a" if grants is None else grants,
        view.roles(s),
        view.open_findings(s),
        "yes" if s.cde else "no",
        _connected(s, links),
        "; ".join(_column(c) for c in s.columns),
    ]


def _column(c: ClassifiedColumn) -> str:
    """One classified column: its name, label, class and how it was classified."""
    how = view.classified_by(c)
    if c.classified_by == "sample":
        how += f", detector {view.detector(c)}, {view.confidence(c)}, {view.counts(c)}"
    return (
        f"{c.name}: {c.classification} ({CLASSES.get(c.data_class, c.data_class)}; {how}"
        f"; encrypted by the application {view.yes_no(c.encrypted)})"
    )


def _location(s: DataStore) -> str:
    """database / schema / table of a PostgreSQL table; n/a for any other store."""
    parts = view.location(s)
    return "n/a" if parts[0][0] == "name" else " / ".join(part for _, part in parts)


def _connected(s: DataStore, links: list[tuple[str, str, str]]) -> str:
    """What the inventory shows connected to a card-data store (the CDE)."""
    if not s.cde:
        return "n/a"
    shown = "; ".join(f"{address} ({type_}): {relation}" for relation, type_, address in links)
    return shown or "none the inventory shows"
