"""Two PostgreSQL servers for the collector tests: one hardened, one with every problem
the checks look for planted on purpose. The values planted for sampling are here so
tests can prove none of them reaches a snapshot, report or log."""

from __future__ import annotations

from tests.pg_support import Cluster, start_cluster

COLLECTOR_PASSWORD = "collector-pw-5e7a"
APP_PASSWORD = "app-pw-33d0"

# Values that sampling reads and must never write anywhere.
SSNS = ["123-45-6789", "234-56-7891", "345-67-8912", "456-78-9123"]
CARD_NUMBERS = ["4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009", "6011000000000004"]
EMAILS = ["ana@example.org", "li.wei@example.com", "sam+news@example.net"]

HARDENED_SETTINGS = {
    "ssl_min_protocol_version": "'TLSv1.2'",
    "password_encryption": "'scram-sha-256'",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_statement": "'ddl'",
    "shared_preload_libraries": "'pgaudit'",
    "pgaudit.log": "'ddl,role,write'",
}
HARDENED_HBA = """\
local all postgres peer
hostssl all all 127.0.0.1/32 scram-sha-256
"""

WEAK_SETTINGS = {"password_encryption": "'md5'"}
WEAK_HBA = """\
local all postgres peer
host shop app_reader 127.0.0.1/32 trust
host all all 0.0.0.0/0 md5
"""

HARDENED_SQL = f"""
ALTER ROLE postgres VALID UNTIL '2099-12-31';
CREATE ROLE collector LOGIN PASSWORD '{COLLECTOR_PASSWORD}' VALID UNTIL '2099-12-31'
  IN ROLE pg_monitor, pg_read_all_settings;
CREATE ROLE clinic_app LOGIN PASSWORD '{APP_PASSWORD}' VALID UNTIL '2099-12-31';
"""
CLINIC_SQL = """
CREATE EXTENSION pgcrypto;
CREATE TABLE patients (
  id bigint PRIMARY KEY,
  first_name text,
  date_of_birth date,
  diagnosis text,
  notes text
);
COMMENT ON COLUMN patients.notes IS 'free text from clinicians; classification=phi';
ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_clinic ON patients USING (current_user = 'clinic_app');
GRANT SELECT ON patients TO clinic_app;
CREATE TABLE payments (
  id bigint PRIMARY KEY,
  card_number bytea,
  amount numeric
);
COMMENT ON COLUMN payments.card_number
  IS 'pgp_sym_encrypt ciphertext; classification=pan; encrypted=true';
CREATE TABLE appointments (id bigint PRIMARY KEY, starts_at timestamptz, room text);
INSERT INTO appointments SELECT g, now(), 'room ' || g FROM generate_series(1, 50) g;
"""

WEAK_SQL = f"""
CREATE ROLE app_admin LOGIN SUPERUSER PASSWORD '{APP_PASSWORD}';
CREATE ROLE app_reader LOGIN PASSWORD '{APP_PASSWORD}';
CREATE ROLE etl LOGIN BYPASSRLS PASSWORD '{APP_PASSWORD}' VALID UNTIL '2099-12-31';
CREATE ROLE collector LOGIN PASSWORD '{COLLECTOR_PASSWORD}' VALID UNTIL '2099-12-31'
  IN ROLE pg_monitor, pg_read_all_settings;
CREATE ROLE bare LOGIN PASSWORD '{COLLECTOR_PASSWORD}' VALID UNTIL '2099-12-31';
"""


def _shop_sql() -> str:
    tickets = ", ".join(
        f"({i}, 'caller gave {ssn}', '{ssn}')" for i, ssn in enumerate(SSNS, start=1)
    )
    cards = ", ".join(f"({i}, '{card}', '{card}')" for i, card in enumerate(CARD_NUMBERS, start=1))
    visits = ", ".join(f"({i}, '{email}')" for i, email in enumerate(EMAILS, start=1))
    return f"""
GRANT CREATE ON SCHEMA public TO PUBLIC;
CREATE EXTENSION dblink;
CREATE EXTENSION plperlu;
CREATE TABLE patients (id bigint PRIMARY KEY, first_name text, ssn text, diagnosis text);
GRANT SELECT ON patients TO PUBLIC;
CREATE TABLE orders (id bigint PRIMARY KEY, card_number text, legacy_ref text);
INSERT INTO orders VALUES {cards};
CREATE TABLE support_tickets (id bigint PRIMARY KEY, summary text, caller_ref text);
INSERT INTO support_tickets VALUES {tickets};
CREATE SCHEMA analytics;
CREATE TABLE analytics.visits (id bigint PRIMARY KEY, contact text);
INSERT INTO analytics.visits VALUES {visits};
CREATE TABLE analytics.page_views (id bigint PRIMARY KEY, email text, path text);
CREATE TABLE staff (id bigint PRIMARY KEY, work_email text, team text);
GRANT SELECT (work_email) ON staff TO PUBLIC;
CREATE TABLE "odd ""quoted"" name" (id bigint PRIMARY KEY, "rate%" text, "e-mail" text);
INSERT INTO "odd ""quoted"" name" VALUES (1, '5%', 'x@example.org');
CREATE TABLE events (id bigint PRIMARY KEY, contact text);
INSERT INTO events SELECT g, 'user' || g || '@example.org' FROM generate_series(1, 20000) g;
ANALYZE events;
"""  # noqa: S608 - the test's own constants


def start_hardened() -> Cluster:
    cluster = start_cluster("hardened", HARDENED_SETTINGS, HARDENED_HBA, tls=True)
    try:
        cluster.execute(HARDENED_SQL)
        cluster.execute("CREATE DATABASE clinic")
        cluster.execute(CLINIC_SQL, database="clinic")
    except Exception:
        cluster.stop()
        raise
    return cluster


def start_weak() -> Cluster:
    cluster = start_cluster("weak", WEAK_SETTINGS, WEAK_HBA, tls=False)
    try:
        cluster.execute(WEAK_SQL)
        cluster.execute("CREATE DATABASE shop")
        cluster.execute(_shop_sql(), database="shop")
        # A database after shop, to show the others go on when one fails.
        cluster.execute("CREATE DATABASE zoo")
        cluster.execute(
            "CREATE TABLE animals (id bigint PRIMARY KEY, species text)", database="zoo"
        )
    except Exception:
        cluster.stop()
        raise
    return cluster
