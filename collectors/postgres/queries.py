"""The catalog queries the collector runs. All read-only; none reads table data except
the optional sampling query built in database.py."""

# An ACL as a JSON list of (grantee, grantor, privilege, grantable).
_ACL = """
coalesce((
  SELECT json_agg(json_build_object(
    'grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END,
    'grantor', pg_get_userbyid(x.grantor),
    'privilege', x.privilege_type,
    'grantable', x.is_grantable))
  FROM aclexplode({acl}) x
), '[]'::json)
"""
# For objects, acldefault() stands in for a NULL acl: the owner's default privileges (and
# PUBLIC's, for some kinds). A column's NULL acl means no column grants at all.
_OBJECT_ACL = "coalesce({acl}, acldefault('{kind}', {owner}))"

SERVER_VERSION = "SELECT current_setting('server_version')"

SERVER_VERSION_NUM = "SELECT current_setting('server_version_num')"

SETTINGS = "SELECT name, setting FROM pg_settings ORDER BY name"

# Without pg_read_all_settings (or superuser), some settings are hidden from pg_settings.
READS_ALL_SETTINGS = "SELECT pg_has_role('pg_read_all_settings', 'USAGE')"

HBA_RULES = """
SELECT line_number, NULL, type, database, user_name, address, netmask, auth_method, options,
       error
FROM pg_hba_file_rules ORDER BY line_number
"""

# PostgreSQL 16 and later: rules may come from included files, numbered in rule order.
HBA_RULES_16 = """
SELECT line_number,
       CASE WHEN file_name = current_setting('hba_file') THEN NULL
            ELSE regexp_replace(file_name, '^.*/', '') END,
       type, database, user_name, address, netmask, auth_method, options, error
FROM pg_hba_file_rules ORDER BY rule_number NULLS LAST, line_number
"""

ROLES = r"""
SELECT r.rolname, r.rolsuper, r.rolcanlogin, r.rolcreaterole, r.rolcreatedb,
       r.rolreplication, r.rolbypassrls, r.rolconnlimit,
       CASE WHEN r.rolvaliduntil IS NULL THEN NULL
            WHEN r.rolvaliduntil = 'infinity' THEN 'infinity'
            WHEN r.rolvaliduntil = '-infinity' THEN '-infinity'
            ELSE to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
       coalesce(array(SELECT DISTINCT g.rolname FROM pg_auth_members m
                      JOIN pg_roles g ON g.oid = m.roleid
                      WHERE m.member = r.oid ORDER BY g.rolname), '{}')
FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY r.rolname
"""

# pg_authid is readable by superusers only; a password's presence, never its hash.
PASSWORD_SET = "SELECT rolname, rolpassword IS NOT NULL FROM pg_authid"  # noqa: S105

DATABASES = """
SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname
"""

SCHEMAS = f"""
SELECT n.nspname, pg_get_userbyid(n.nspowner),
       {_ACL.format(acl=_OBJECT_ACL.format(acl="n.nspacl", kind="n", owner="n.nspowner"))}
FROM pg_namespace n
WHERE n.nspname <> ALL(%(excluded)s) AND n.nspname !~ '^pg_(toast|temp)'
ORDER BY n.nspname
"""  # noqa: S608 - composed from the constants above, no input

TABLES = f"""
SELECT c.oid, n.nspname, c.relname, pg_get_userbyid(c.relowner), c.relrowsecurity,
       c.relforcerowsecurity, obj_description(c.oid, 'pg_class'), c.reltuples,
       {_ACL.format(acl=_OBJECT_ACL.format(acl="c.relacl", kind="r", owner="c.relowner"))}
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname <> ALL(%(excluded)s) AND n.nspname !~ '^pg_(toast|temp)'
ORDER BY n.nspname, c.relname
"""  # noqa: S608 - composed from the constants above, no input

# Column grants count as grants on the table: SELECT (ssn) TO PUBLIC exposes the table.
COLUMNS = f"""
SELECT a.attrelid, a.attname, format_type(a.atttypid, NULL), col_description(a.attrelid, a.attnum),
       {_ACL.format(acl="a.attacl")}
FROM pg_attribute a
WHERE a.attrelid = ANY(%(tables)s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""  # noqa: S608 - composed from the constants above, no input

EXTENSIONS = """
SELECT e.extname, e.extversion, n.nspname
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname
"""

LANGUAGES = """
SELECT l.lanname, l.lanpltrusted, pg_get_userbyid(l.lanowner) FROM pg_language l ORDER BY l.lanname
"""
