"""Report writers: each turns a ScanReport into the text of one format (they print
nothing); also the baseline reader (our own JSON report, read back) and S3 publishing.

May import: inventory, domain, support, errors (not engine, state, evidence or collect).
"""

from collections.abc import Callable

from compliance_opa.domain.report import ScanReport
from compliance_opa.reports import (
    csv_report,
    data_map,
    data_map_csv,
    html,
    json_report,
    junit,
    markdown,
    oscal,
    pr_comment,
    sarif,
)

Renderer = Callable[[ScanReport], str]

RENDERERS: dict[str, Renderer] = {
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "html": html.render,
    "pr-comment": pr_comment.render,
    "csv": csv_report.render,
    "oscal": oscal.render,
    "data-map": data_map.render,
    "data-map-csv": data_map_csv.render,
}

# Formats that can be rendered straight to UTF-8 bytes (the same text), for files: a JSON
# report of tens of MiB is then never held as bytes and str at once.
BYTES_RENDERERS: dict[Renderer, Callable[[ScanReport], bytes | bytearray]] = {
    json_report.render: json_report.render_bytes,
    sarif.render: sarif.render_bytes,
    oscal.render: oscal.render_bytes,
}

# The media type of each format, for HTTP answers (the compliance service).
MEDIA_TYPES = {
    "json": "application/json",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "markdown": "text/markdown; charset=utf-8",
    "pr-comment": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "oscal": "application/json",
    "data-map": "text/markdown; charset=utf-8",
    "data-map-csv": "text/csv; charset=utf-8",
}

# File names used by --report-dir.
FILE_NAMES = {
    "json": "opa-comply.json",
    "sarif": "opa-comply.sarif",
    "junit": "opa-comply.junit.xml",
    "markdown": "opa-comply.md",
    "html": "opa-comply.html",
    "pr-comment": "opa-comply.pr-comment.md",
    "csv": "opa-comply.csv",
    "oscal": "opa-comply.oscal.json",
    "data-map": "data-map.md",
    "data-map-csv": "data-map.csv",
}
