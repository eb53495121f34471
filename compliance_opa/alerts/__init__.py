"""Alerts: routing rules, channels (Slack, PagerDuty, webhooks, e-mail) and the outbox.

May import: state (the outbox lives in the store), engine, inventory, domain, support,
errors.
"""
