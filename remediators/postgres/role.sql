-- The remediation role of `opa-comply remediate` for PostgreSQL (fixers in this folder).
--
-- A LOGIN role of its own: the fixers connect as opa_comply_remediator itself, because
-- role attributes such as CREATEROLE are never inherited through membership (a login
-- granted a NOLOGIN template would have to SET ROLE first). The operator sets its
-- password and an expiry out of band, so no password is ever in a file:
--   \password opa_comply_remediator
--   ALTER ROLE opa_comply_remediator VALID UNTIL '<date within 90 days>';
-- and puts its DSN in OPA_COMPLY_REMEDIATION_PG_DSN (remediation.postgres.dsn_env).
-- It must never be the collector's user, and never a superuser nor a member of one:
-- opa-comply refuses such a session (fail closed).
--
-- Run as a superuser (or a role with CREATEROLE and ADMIN on the roles below), once
-- per cluster; the GRANTs of owner roles once per owner.

CREATE ROLE opa_comply_remediator
  LOGIN NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS NOINHERIT
  CREATEROLE  -- PG-ROLE-002: ALTER ROLE ... VALID UNTIL on another role needs it
  CONNECTION LIMIT 4;

-- NOINHERIT: the privileges of the owner roles granted below are used only by an explicit
-- SET LOCAL ROLE, which the fixers issue for one GRANT or REVOKE at a time, as the grantor
-- of the privilege. So the role reads no table data and changes no object through
-- inherited ownership by accident.
--
-- CREATEROLE (PG-ROLE-002) is broad before PostgreSQL 16: it can alter, and grant
-- membership in, any role that is not a superuser. From PostgreSQL 16 it can alter only
-- roles it has ADMIN OPTION on: there, also run for each login role to be fixed
--   GRANT <role> TO opa_comply_remediator WITH ADMIN OPTION, INHERIT FALSE, SET FALSE;
-- Superuser roles cannot be given an expiry by this role at all (fix those by hand).

COMMENT ON ROLE opa_comply_remediator IS
  'opa-comply remediate: REVOKE/GRANT as object owners (PG-PRIV-001, PG-PRIV-002), ALTER ROLE VALID UNTIL (PG-ROLE-002)';

-- PG-PRIV-001 and PG-PRIV-002: in PostgreSQL only the owner of an object (or a member of
-- the owning role) can REVOKE the privileges the owner granted, and only the grantor can
-- revoke its own grants; the fixers act as the grantor recorded in the ACL. So grant the
-- remediation role membership in each role that owns the schemas and tables to fix
-- (and in any non-owner role that granted privileges to PUBLIC), for example:
--   GRANT app_owner TO opa_comply_remediator;
-- The public schema of PostgreSQL 15 and later is owned by pg_database_owner, whose only
-- member is the database's owner: grant the database owner's role, as above.
-- Objects owned by a superuser (say, postgres) cannot be fixed by this role: membership
-- in a superuser would make it one, and opa-comply refuses that session. Change their
-- owner (ALTER ... OWNER TO app_owner) or fix them by hand.
--
-- Reading the catalogs (pg_namespace, pg_class, pg_attribute, pg_roles,
-- pg_stat_activity) needs no grant. CONNECT on each database is PUBLIC's by default;
-- where it was revoked:
--   GRANT CONNECT ON DATABASE <database> TO opa_comply_remediator;
