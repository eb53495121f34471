"""Rich renderings for the terminal: report and outbox tables, check lists, progress."""
