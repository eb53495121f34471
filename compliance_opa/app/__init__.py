"""Application services: what a front end (the CLI, later the compliance service) calls.

Scan, plan and drift as one service; reports of recorded scans; the alert outbox;
the policy catalogue; collection. Each takes a frozen request; the scan service returns
an outcome and reports notes, warnings and progress through an Events listener. Nothing
here prints: a report is written to the stream the front end hands in.

May import: every adapter (engine, inventory, collect, state, alerts, evidence,
reports, config), domain, support, errors. Never the CLI.
"""
