"""Alerts: routing rules, channels (Slack, PagerDuty, webhooks, e-mail) and the outbox."""
