"""The data map as a report (`--format data-map`, `data-map.md` in `--report-dir`): where
personal, health, card and confidential data lives, for the people who keep the GDPR
Article 30 record, the HIPAA inventory of PHI and the PCI DSS scope (requirement 12.5.2).

A Markdown document, because an auditor reads it (in a browser, a wiki, a pull request or
as text) and a team keeps it under version control beside the code, so a change of the
map shows as a diff. Grouped by data class (personal, health, card, confidential), then by
system (an AWS account, a PostgreSQL server); per store: where it is, who owns it, how it
is protected, who can reach it and the open findings on it, and for a table each
classified column with how it was classified. Then the cardholder data environment.

The Markdown report carries the same section (`templates/data_map_section.md.j2`), and
the HTML report and the data-map CSV print the same texts (`data_map_view.py`). A value
the inventory does not give reads "unknown", never "no". Nothing sampled is shown: a
column classified from sampled values gives its detector's name, the share of sampled
values it matched and the counts.
"""

from __future__ import annotations

from compliance_opa.domain.report import ScanReport
from compliance_opa.reports.markdown import environment


def render(report: ScanReport) -> str:
    return environment().get_template("data_map.md.j2").render(report=report, dm=report.data_map)
