"""Schema migrations of the state store, applied in order, each once, in a transaction.

Append new steps; never edit a released one. `{id}` is the auto-numbered key of the
backend (SQLite INTEGER PRIMARY KEY, PostgreSQL BIGSERIAL); times are ISO 8601 UTC text,
deadlines are Unix seconds (REAL / DOUBLE PRECISION as `{real}`).
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "scan history, alert episodes, outbox",
        (
            """CREATE TABLE scans (
                seq {id},
                scan_id TEXT NOT NULL UNIQUE,
                scope TEXT NOT NULL,
                kind TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                opa_version TEXT NOT NULL,
                policy_digest TEXT NOT NULL,
                frameworks TEXT NOT NULL,
                inputs TEXT NOT NULL,
                coverage TEXT NOT NULL,
                summary TEXT NOT NULL,
                findings_digest TEXT NOT NULL,
                report TEXT NOT NULL,
                complete INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX scans_by_scope ON scans (scope, kind, seq)",
            """CREATE TABLE findings (
                seq {id},
                scan_id TEXT NOT NULL REFERENCES scans (scan_id),
                check_id TEXT NOT NULL,
                resource TEXT NOT NULL,
                status TEXT NOT NULL,
                severity TEXT NOT NULL,
                risk INTEGER NOT NULL,
                message TEXT NOT NULL,
                source TEXT,
                detail TEXT NOT NULL
            )""",
            "CREATE INDEX findings_by_scan ON findings (scan_id)",
            """CREATE TABLE alert_episodes (
                scope TEXT NOT NULL,
                channel TEXT NOT NULL,
                dedup_key TEXT NOT NULL,
                opened_scan TEXT NOT NULL,
                event TEXT NOT NULL,
                recipients TEXT NOT NULL,
                PRIMARY KEY (scope, channel, dedup_key)
            )""",
            """CREATE TABLE outbox (
                seq {id},
                scope TEXT NOT NULL,
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                kind TEXT NOT NULL,
                dedup_key TEXT NOT NULL,
                scan_id TEXT NOT NULL,
                event TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at {real} NOT NULL,
                last_error TEXT NOT NULL DEFAULT '',
                claim TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                created_epoch {real} NOT NULL,
                sent_at TEXT,
                UNIQUE (channel, recipient, kind, dedup_key, scan_id)
            )""",
            "CREATE INDEX outbox_due ON outbox (scope, status, next_attempt_at)",
            "CREATE INDEX outbox_by_key ON outbox (channel, recipient, dedup_key, seq)",
        ),
    ),
    (
        2,
        "decision log of the compliance service's validation API",
        (
            # Never the resource itself: its digest, its type and the verdict.
            """CREATE TABLE decisions (
                seq {id},
                decision_id TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                caller TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                address_digest TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                resource_digest TEXT NOT NULL,
                verdict TEXT NOT NULL,
                policy_digest TEXT NOT NULL,
                opa_version TEXT NOT NULL
            )""",
            "CREATE INDEX decisions_by_id ON decisions (decision_id)",
        ),
    ),
    (
        3,
        "HCP Terraform run tasks: history and delivery attempts",
        (
            # Never the platform's access token: it is held in memory while the task runs.
            """CREATE TABLE run_tasks (
                seq {id},
                task_id TEXT NOT NULL UNIQUE,
                task_result_id TEXT NOT NULL,
                run_id TEXT NOT NULL,
                workspace_id TEXT NOT NULL,
                workspace_name TEXT NOT NULL,
                organization TEXT NOT NULL,
                stage TEXT NOT NULL,
                speculative INTEGER NOT NULL,
                enforcement_level TEXT NOT NULL,
                run_app_url TEXT NOT NULL,
                status TEXT NOT NULL,
                verdict TEXT NOT NULL DEFAULT '',
                message TEXT NOT NULL DEFAULT '',
                counts TEXT NOT NULL DEFAULT '{{}}',
                outcomes TEXT NOT NULL DEFAULT '[]',
                report TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                received_at TEXT NOT NULL,
                started_at TEXT,
                finished_at TEXT
            )""",
            "CREATE INDEX run_tasks_by_run ON run_tasks (run_id)",
            """CREATE TABLE run_task_attempts (
                seq {id},
                task_id TEXT NOT NULL REFERENCES run_tasks (task_id),
                at TEXT NOT NULL,
                step TEXT NOT NULL,
                outcome TEXT NOT NULL
            )""",
            "CREATE INDEX run_task_attempts_by_task ON run_task_attempts (task_id, seq)",
        ),
    ),
    (
        4,
        "tickets: finding episode -> Jira issue / GitHub issue",
        (
            """CREATE TABLE tickets (
                channel TEXT NOT NULL,
                dedup_key TEXT NOT NULL,
                ticket TEXT NOT NULL,
                state TEXT NOT NULL,
                scan_id TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (channel, dedup_key)
            )""",
        ),
    ),
    (
        5,
        "remediation: proposals, approvals and every state they pass through",
        (
            """CREATE TABLE remediations (
                proposal_id TEXT PRIMARY KEY,
                scope TEXT NOT NULL,
                scan_id TEXT NOT NULL,
                check_id TEXT NOT NULL,
                resource TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                platform TEXT NOT NULL,
                location TEXT NOT NULL,
                change TEXT NOT NULL,
                decision TEXT NOT NULL,
                approvals_needed INTEGER NOT NULL,
                reason TEXT NOT NULL,
                policy_digest TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                state TEXT NOT NULL,
                before_value TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX remediations_by_finding ON remediations (scope, check_id, resource)",
            """CREATE TABLE remediation_approvals (
                proposal_id TEXT NOT NULL REFERENCES remediations (proposal_id),
                approver TEXT NOT NULL,
                approved_at TEXT NOT NULL,
                PRIMARY KEY (proposal_id, approver)
            )""",
            """CREATE TABLE remediation_events (
                seq {id},
                proposal_id TEXT NOT NULL REFERENCES remediations (proposal_id),
                at TEXT NOT NULL,
                state TEXT NOT NULL,
                actor TEXT NOT NULL,
                detail TEXT NOT NULL
            )""",
            "CREATE INDEX remediation_events_by_proposal ON remediation_events (proposal_id, seq)",
        ),
    ),
    (
        6,
        "verdict cache of incremental scans: each resource's verdicts by content, per scope",
        (
            # One row per scope: the context (policy digest, policy data, parameters) its
            # verdicts were judged under, the OPA version, and a generation bumped by each
            # scan that saves, which ages unused verdicts out.
            """CREATE TABLE verdict_scopes (
                scope TEXT PRIMARY KEY,
                context TEXT NOT NULL,
                opa_version TEXT NOT NULL,
                generation INTEGER NOT NULL
            )""",
            # resource_hash: sha256 of the resource's JSON text as sent to OPA; seal: a
            # digest of (context, hash, verdict), so a damaged row is a miss, never a pass.
            """CREATE TABLE verdicts (
                scope TEXT NOT NULL,
                resource_hash TEXT NOT NULL,
                verdict TEXT NOT NULL,
                seal TEXT NOT NULL,
                used INTEGER NOT NULL,
                PRIMARY KEY (scope, resource_hash)
            )""",
            "CREATE INDEX verdicts_by_use ON verdicts (scope, used)",
        ),
    ),
)

LATEST = MIGRATIONS[-1][0]
