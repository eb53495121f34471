"""The state store: scan history, alert episodes and the alert outbox (SQLite or PostgreSQL).

May import: inventory, domain, support, errors.
"""
