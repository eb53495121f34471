"""The state store: scan history, alert episodes and the alert outbox (SQLite or PostgreSQL)."""
