"""The PostgreSQL collector (read-only, psycopg2)."""
