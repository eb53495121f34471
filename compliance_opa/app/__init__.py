"""Application services: what a front end (the CLI, later the compliance service) calls.

Scan, plan and drift as one service; reports of recorded scans; the alert outbox;
the policy catalogue; collection. Each takes a frozen request and returns an outcome
carrying its notes and warnings. Nothing here prints: the front end renders.

May import: every adapter (engine, inventory, collect, state, alerts, evidence,
reports, config), domain, support, errors. Never the CLI.
"""
