"""Build the data map (domain/data_map.py) from inventory resources. Pure.

A data store is a resource of a data-holding type (STORE_TYPES) whose `data_classes`
name a class of CLASSES (the tag classification; "public" is not one), or a
postgresql_table with a classified column. Its protection and reach are read from the
attributes its inventory schema defines; what an attribute does not say stays None
(shown "unknown"), never guessed.

PCI DSS scope: every store holding card data (pci) is in the cardholder data
environment, and `Connected` lists the resources the inventory shows connected to it:
its security groups and subnets (by id from the store's attributes), the KMS keys
encrypting it, the IAM principals its resource policy or configuration names, and, for
a table, the PostgreSQL roles with privileges on it (the grantees of its acl, their
members, superusers, members of pg_read_all_data or pg_write_all_data, and every
role of the server when PUBLIC holds a privilege). Only resources
present in `resources` are listed: a security group or role the inventory did not
collect cannot be shown, so the scope is as complete as the collection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compliance_opa.domain.data_map import (
    CLASSES,
    ClassifiedColumn,
    Connected,
    DataMap,
    DataStore,
    Protection,
    Reach,
)
from compliance_opa.domain.redact import kept_attributes
from compliance_opa.domain.risk import exposure, facts_of

# The data class a table holds through a column of each classification (the PostgreSQL
# collector's TABLE_CLASS; the domain may not import the collector).
COLUMN_CLASS: dict[str, str] = {
    "pii": "pii",
    "email": "pii",
    "phone": "pii",
    "national_id": "pii",
    "phi": "phi",
    "pci": "pci",
    "pan": "pci",
}

# Data-holding types and how a person calls them.
STORE_KINDS: dict[str, str] = {
    "aws_s3_bucket": "bucket",
    "aws_db_instance": "database instance",
    "aws_rds_cluster": "database cluster",
    "aws_db_snapshot": "database snapshot",
    "aws_db_cluster_snapshot": "database cluster snapshot",
    "aws_dynamodb_table": "DynamoDB table",
    "aws_ebs_volume": "volume",
    "aws_ebs_snapshot": "volume snapshot",
    "aws_ebs_snapshot_copy": "volume snapshot copy",
    "aws_efs_file_system": "file system",
    "aws_fsx_lustre_file_system": "FSx Lustre file system",
    "aws_fsx_ontap_file_system": "FSx ONTAP file system",
    "aws_fsx_openzfs_file_system": "FSx OpenZFS file system",
    "aws_fsx_windows_file_system": "FSx Windows file system",
    "aws_redshift_cluster": "data warehouse cluster",
    "aws_elasticache_replication_group": "cache replication group",
    "aws_neptune_cluster": "graph database cluster",
    "aws_neptune_cluster_snapshot": "graph database snapshot",
    "aws_opensearch_domain": "search domain",
    "aws_elasticsearch_domain": "search domain",
    "aws_kinesis_stream": "stream",
    "aws_sqs_queue": "queue",
    "aws_sns_topic": "topic",
    "aws_secretsmanager_secret": "secret",
    "aws_ssm_parameter": "parameter",
    "aws_sagemaker_notebook_instance": "notebook instance",
    "aws_sagemaker_model": "model",
    "aws_sagemaker_endpoint_configuration": "endpoint configuration",
    "aws_backup_vault": "backup vault",
    "aws_cloudwatch_log_group": "log group",
    "aws_ecr_repository": "container repository",
    "postgresql_table": "table",
}
STORE_TYPES = frozenset(STORE_KINDS)

# Types a store refers to: protection (a table's server, a key's manager) and the
# cardholder data environment.
CONNECTED_TYPES = frozenset(
    {
        "aws_security_group",
        "aws_default_security_group",
        "aws_subnet",
        "aws_kms_key",
        "aws_iam_role",
        "aws_iam_user",
        "postgresql_server",
        "postgresql_role",
        "postgresql_hba_rule",
    }
)
# What run_scan selects from the inventory for `build`.
SELECTED_TYPES = STORE_TYPES | CONNECTED_TYPES

_SG = "security group of"
_SUBNET = "subnet of"
_KEY = "key encrypting"
_PRINCIPAL = "principal with access to"
_ROLE = "role with access to"
_MEMBER = "member of a role with access to"
_PUBLIC_ROLE = "role with access through PUBLIC to"
_SUPERUSER = "superuser with access to"
_READ_ALL = "member of pg_read_all_data or pg_write_all_data with access to"
_ALL_DATA = frozenset({"pg_read_all_data", "pg_write_all_data"})


def build(
    resources: Iterable[Mapping[str, Any]],
    failing: Mapping[str, Sequence[tuple[str, str]]],
    parameters: Mapping[str, Any] | None = None,
) -> DataMap:
    """``failing``: address -> [(check id, severity)] of failing findings;
    ``parameters``: the effective check parameters (``allowed_regions``)."""
    index = _Index([_shown(r) for r in resources])
    settings = _Settings.of(parameters or {})
    stores: list[DataStore] = []
    cde: set[Connected] = set()
    for resource in index.resources:
        store = _store(resource, index, failing, settings)
        if store is None:
            continue
        stores.append(store)
        if store.cde:
            cde.update(_connected(resource, store, index))
    return DataMap(
        stores=tuple(sorted(stores, key=lambda s: (s.system, s.address))),
        cde=tuple(sorted(cde, key=lambda c: (c.store, c.relation, c.address))),
    )


@dataclass(frozen=True)
class _Settings:
    """The check parameters the map reads, as lib/params.rego and lib/tags.rego do."""

    allowed_regions: frozenset[str] | None  # None: no residency rule
    classified: frozenset[str]  # classified_data_classes, within CLASSES
    classification_keys: tuple[str, ...]
    environment_keys: tuple[str, ...]
    owner_keys: tuple[str, ...]

    @staticmethod
    def of(parameters: Mapping[str, Any]) -> _Settings:
        def strings(name: str) -> tuple[str, ...]:
            value = parameters.get(name)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        regions = parameters.get("allowed_regions")
        classified = parameters.get("classified_data_classes")
        return _Settings(
            allowed_regions=frozenset(strings("allowed_regions"))
            if isinstance(regions, list)
            else None,
            classified=frozenset(CLASSES)
            & (
                frozenset(strings("classified_data_classes"))
                if classified is not None
                else frozenset(CLASSES)
            ),
            classification_keys=strings("classification_tag_keys"),
            environment_keys=strings("environment_tag_keys"),
            owner_keys=strings("owner_tag_keys"),
        )


class _Index:
    """The connected resources by every identifier a store's attributes may use."""

    def __init__(self, resources: list[Mapping[str, Any]]) -> None:
        self.resources = resources
        self.by_id: dict[tuple[str, str], Mapping[str, Any]] = {}
        self.servers: dict[str, Mapping[str, Any]] = {}
        self.pg_roles: dict[str, dict[str, Mapping[str, Any]]] = {}
        self.hba: dict[str, list[Mapping[str, Any]]] = {}
        for r in resources:
            kind = str(r.get("type"))
            attrs = _attrs(r)
            address = str(r.get("address"))
            if kind in ("aws_security_group", "aws_default_security_group"):
                self._add("sg", r, address, attrs.get("group_id"), _tail(address))
            elif kind == "aws_subnet":
                self._add("subnet", r, address, attrs.get("subnet_id"), _tail(address))
            elif kind == "aws_kms_key":
                self._add("key", r, address, attrs.get("key_id"), attrs.get("arn"))
            elif kind in ("aws_iam_role", "aws_iam_user"):
                self._add("principal", r, address, attrs.get("arn"))
            elif kind == "postgresql_server":
                self.servers[address] = r
            elif kind == "postgresql_role":
                name = str(attrs.get("rolname") or r.get("name"))
                self.pg_roles.setdefault(_pg_system(address), {})[name.lower()] = r
            elif kind == "postgresql_hba_rule":
                self.hba.setdefault(_pg_system(address), []).append(r)

    def _add(self, kind: str, resource: Mapping[str, Any], *keys: Any) -> None:
        for key in keys:
            if isinstance(key, str) and key:
                self.by_id[(kind, key)] = resource

    def get(self, kind: str, key: Any) -> Mapping[str, Any] | None:
        return self.by_id.get((kind, key)) if isinstance(key, str) else None


def _store(
    r: Mapping[str, Any],
    index: _Index,
    failing: Mapping[str, Sequence[tuple[str, str]]],
    settings: _Settings,
) -> DataStore | None:
    kind = str(r.get("type"))
    if kind not in STORE_TYPES:
        return None
    attrs = _attrs(r)
    address = str(r["address"])
    classes = _classes(r, settings)
    columns: tuple[ClassifiedColumn, ...] = ()
    server: Mapping[str, Any] | None = None
    if kind == "postgresql_table":
        columns = tuple(
            c for c in _columns(attrs.get("columns")) if c.data_class in settings.classified
        )
        classes |= {c.data_class for c in columns}
        server = index.servers.get(_pg_system(address))
    if not classes:
        return None
    ordered = tuple(c for c in CLASSES if c in classes)
    region = r.get("region")
    extract = _EXTRACTORS.get(kind, _generic)
    protection, reach = extract(r, attrs, index)
    return DataStore(
        address=address,
        type=kind,
        kind=STORE_KINDS[kind],
        name=str(r.get("name") or address),
        system=_pg_system(address) if kind.startswith("postgresql_") else _aws_system(r),
        data_classes=ordered,
        account=_opt_str(r.get("account")),
        region=_opt_str(region),
        region_allowed=(
            None
            if settings.allowed_regions is None or not isinstance(region, str) or not region
            else region in settings.allowed_regions
        ),
        # A table without its own owner or environment has its server's.
        owner=_labelled(r, "owner", settings.owner_keys)
        or _labelled(server, "owner", settings.owner_keys),
        environment=_labelled(r, "environment", settings.environment_keys)
        or _labelled(server, "environment", settings.environment_keys),
        columns=columns,
        protection=protection,
        reach=reach,
        open_findings=tuple(sorted({(str(c), str(s)) for c, s in failing.get(address, ())})),
        cde="pci" in classes,
    )


def _classes(r: Mapping[str, Any], settings: _Settings) -> set[str]:
    """data_classes plus the classes classification tags name (lib/tags.rego), kept when
    classified_data_classes counts them."""
    found = {str(c).strip().lower() for c in r.get("data_classes") or () if isinstance(c, str)}
    tags = _obj(r.get("tags"))
    for key in settings.classification_keys:
        value = tags.get(key)
        if isinstance(value, str):
            found |= {c.strip().lower() for c in value.split(",") if c.strip()}
    return found & settings.classified


def _labelled(r: Mapping[str, Any] | None, field: str, keys: Sequence[str]) -> str | None:
    """The resource's owner or environment field, else its first configured tag with a
    value (lib/tags.rego tag_value)."""
    if r is None:
        return None
    value = r.get(field)
    if isinstance(value, str) and value.strip():
        return value.strip()
    tags = _obj(r.get("tags"))
    for key in keys:
        tag = tags.get(key)
        if isinstance(tag, str) and tag.strip():
            return tag.strip()
    return None


def _columns(raw: Any) -> tuple[ClassifiedColumn, ...]:
    columns = []
    for c in raw if isinstance(raw, list) else []:
        if not isinstance(c, dict):
            continue
        label = str(c.get("classification") or "none")
        if label not in COLUMN_CLASS:  # "none", or a label the schema does not know
            continue
        sample = _obj(c.get("sample"))
        columns.append(
            ClassifiedColumn(
                name=str(c.get("name")),
                classification=label,
                data_class=COLUMN_CLASS[label],
                classified_by=str(c.get("classified_by") or "none"),
                detector=_opt_str(sample.get("detector")),
                confidence=_opt_float(sample.get("confidence")),
                matched=_opt_int(sample.get("matched")),
                sampled=_opt_int(sample.get("sampled")),
                encrypted=c.get("encrypted") if isinstance(c.get("encrypted"), bool) else None,
            )
        )
    return tuple(columns)


# --- per-type protection and reach -------------------------------------------------

_Extractor = Callable[[Mapping[str, Any], dict[str, Any], _Index], tuple[Protection, Reach]]


def _table(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    server = index.servers.get(_pg_system(str(r["address"])))
    ssl = _attrs(server).get("settings", {}).get("ssl") if server else None
    public: list[str] = []
    roles: list[str] = []
    for entry in _acl(a):
        privileges = [str(p) for p in entry.get("privileges") or ()]
        if entry.get("grantee") == "PUBLIC":
            public.extend(privileges)
        elif entry.get("grantee"):
            roles.append(str(entry["grantee"]))
    return (
        Protection(encrypted_in_transit=_on_off(ssl)),
        Reach(
            public=None,
            internet_exposed=_pg_internet(index, _pg_system(str(r["address"])), a.get("database")),
            public_grants=tuple(sorted(set(public))),
            roles=tuple(sorted(set(roles))),
        ),
    )


def _bucket(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    sse = a.get("server_side_encryption")
    at_rest: bool | None = None
    key: str | None = None
    if isinstance(sse, dict) and sse.get("sse_algorithm"):
        at_rest = True
        kms = sse.get("kms_master_key_id")
        key = _key_manager(kms, index) if kms else "aws"
    elif "server_side_encryption" in a:
        at_rest = False  # null: no default encryption rule recorded
    versioning = a.get("versioning")
    backup: bool | None = None
    detail = ""
    if isinstance(versioning, dict) and versioning.get("status"):
        backup = versioning["status"] == "Enabled"
        detail = f"versioning {str(versioning['status']).lower()}"
    elif "versioning" in a:
        backup, detail = False, "versioning never enabled"
    public_acl = a.get("acl") in ("public-read", "public-read-write") or any(
        isinstance(g, dict) and str(g.get("uri") or "").endswith("/global/AllUsers")
        for g in a.get("grants") or ()
    )
    return (
        Protection(
            encrypted_at_rest=at_rest,
            at_rest_key=key,
            encrypted_in_transit=_secure_transport(a.get("policy")) if "policy" in a else None,
            backup=backup,
            backup_detail=detail,
        ),
        Reach(
            public=exposure(r) == "public" or public_acl,
            internet_exposed=exposure(r) == "public" or public_acl,
            roles=_principals(a.get("policy")),
        ),
    )


def _database(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    """RDS instances and clusters, Neptune and Redshift clusters."""
    encrypted = _first_bool(a, "storage_encrypted", "encrypted")
    key = a.get("kms_key_id") or a.get("kms_key_arn")
    retention = _first_int(a, "backup_retention_period", "automated_snapshot_retention_period")
    public = (
        a.get("publicly_accessible") if isinstance(a.get("publicly_accessible"), bool) else None
    )
    if r.get("type") in ("aws_neptune_cluster",):
        public = None  # public access is a property of the cluster's instances
    return (
        Protection(
            encrypted_at_rest=encrypted,
            at_rest_key=_key_manager(key, index) if encrypted else None,
            encrypted_in_transit=_ssl_parameter(a.get("parameter_group")),
            backup=None if retention is None else retention > 0,
            backup_detail="" if retention is None else f"retention {retention} days",
        ),
        Reach(
            public=public,
            internet_exposed=_internet(public, _ids(a.get("vpc_security_group_ids")), index),
        ),
    )


def _snapshot(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    encrypted = _first_bool(a, "encrypted", "storage_encrypted")
    shared = a.get("shared_accounts")
    public = "all" in shared if isinstance(shared, list) else None
    return (
        Protection(
            encrypted_at_rest=encrypted,
            at_rest_key=_key_manager(a.get("kms_key_id"), index) if encrypted else None,
        ),
        Reach(
            public=public,
            internet_exposed=public,
            roles=tuple(sorted(str(x) for x in shared if x != "all"))
            if isinstance(shared, list)
            else (),
        ),
    )


def _volume(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    """EBS volumes and EFS file systems."""
    encrypted = a.get("encrypted") if isinstance(a.get("encrypted"), bool) else None
    status = _obj(a.get("backup_policy")).get("status")
    backup = None if not status else status == "ENABLED"
    return (
        Protection(
            encrypted_at_rest=encrypted,
            at_rest_key=_key_or_default(encrypted, a.get("kms_key_id"), index),
            backup=backup,
            backup_detail=f"backup policy {str(status).lower()}" if status else "",
        ),
        Reach(),
    )


def _fsx(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    retention = _first_int(a, "automatic_backup_retention_days")
    return (
        Protection(
            encrypted_at_rest=True,  # FSx always encrypts at rest
            at_rest_key=_key_or_default(True, a.get("kms_key_id"), index),
            backup=None if retention is None else retention > 0,
            backup_detail="" if retention is None else f"retention {retention} days",
        ),
        Reach(),
    )


def _dynamodb(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    sse = a.get("server_side_encryption")
    pitr = a.get("point_in_time_recovery")
    key: str | None = "aws"  # DynamoDB always encrypts; off means the AWS owned key
    if isinstance(sse, dict) and sse.get("enabled") is True:
        key = _key_manager(sse.get("kms_key_arn"), index) if sse.get("kms_key_arn") else "aws"
    backup = pitr.get("enabled") if isinstance(pitr, dict) else None
    return (
        Protection(
            encrypted_at_rest=True,
            at_rest_key=key,
            encrypted_in_transit=True,  # HTTPS-only endpoints
            backup=backup if isinstance(backup, bool) else None,
            backup_detail="point-in-time recovery" if backup is True else "",
        ),
        Reach(),
    )


def _cache(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    at_rest = _first_bool(a, "at_rest_encryption_enabled")
    retention = _first_int(a, "snapshot_retention_limit")
    return (
        Protection(
            encrypted_at_rest=at_rest,
            at_rest_key=_key_or_default(at_rest, a.get("kms_key_id"), index),
            encrypted_in_transit=_first_bool(a, "transit_encryption_enabled"),
            backup=None if retention is None else retention > 0,
            backup_detail="" if retention is None else f"snapshots kept {retention} days",
        ),
        Reach(),
    )


def _search(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    rest = _obj(a.get("encrypt_at_rest"))
    n2n = a.get("node_to_node_encryption")
    endpoint = a.get("domain_endpoint_options")
    at_rest = _first_bool(rest, "enabled")
    transit: bool | None = None
    https = endpoint.get("enforce_https") if isinstance(endpoint, dict) else None
    nodes = n2n.get("enabled") if isinstance(n2n, dict) else None
    if isinstance(https, bool) and isinstance(nodes, bool):
        transit = https and nodes
    elif https is False or nodes is False:
        transit = False
    vpc = a.get("vpc_options") if isinstance(a.get("vpc_options"), dict) else None
    return (
        Protection(
            encrypted_at_rest=at_rest,
            at_rest_key=_key_or_default(at_rest, rest.get("kms_key_id"), index),
            encrypted_in_transit=transit,
        ),
        Reach(
            # Outside a VPC a domain has a public endpoint (access policies still apply).
            internet_exposed=None if "vpc_options" not in a else vpc is None or not vpc,
        ),
    )


def _queue(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    """SQS queues and SNS topics."""
    key = a.get("kms_master_key_id")
    at_rest: bool | None
    if key:
        at_rest, manager = True, _key_manager(key, index)
    elif a.get("sqs_managed_sse_enabled") is True:
        at_rest, manager = True, "aws"
    elif "kms_master_key_id" in a:
        at_rest, manager = False, None
    else:
        at_rest, manager = None, None
    return (
        Protection(
            encrypted_at_rest=at_rest,
            at_rest_key=manager,
            encrypted_in_transit=_secure_transport(a.get("policy")) if "policy" in a else None,
        ),
        Reach(
            public=_anyone(a.get("policy")) if "policy" in a else None,
            roles=_principals(a.get("policy")),
        ),
    )


def _stream(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    kind = a.get("encryption_type")
    at_rest = None if kind is None else kind == "KMS"
    return (
        Protection(
            encrypted_at_rest=at_rest,
            at_rest_key=_key_or_default(at_rest, a.get("kms_key_id"), index),
            encrypted_in_transit=True,  # HTTPS-only endpoints
        ),
        Reach(),
    )


def _secret(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    """Secrets Manager secrets (always encrypted) and SSM parameters (SecureString)."""
    if r.get("type") == "aws_ssm_parameter":
        secure = None if a.get("type") is None else a.get("type") == "SecureString"
        key = a.get("key_id")
    else:
        secure, key = True, a.get("kms_key_id")
    return (
        Protection(
            encrypted_at_rest=secure,
            at_rest_key=_key_or_default(secure, key, index),
            encrypted_in_transit=True,  # HTTPS-only endpoints
        ),
        Reach(
            public=_anyone(a.get("policy")) if "policy" in a else None,
            roles=_principals(a.get("policy")),
        ),
    )


def _sagemaker(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    kind = r.get("type")
    key = a.get("kms_key_id") or a.get("kms_key_arn")
    role = a.get("role_arn") or a.get("execution_role_arn")
    at_rest: bool | None = True if key else None
    internet: bool | None = None
    if kind == "aws_sagemaker_notebook_instance":
        internet = exposure(r) == "internet" if a.get("direct_internet_access") else None
        at_rest = True  # the ML storage volume is always encrypted, by an AWS key if none
    elif kind == "aws_sagemaker_model" and isinstance(a.get("enable_network_isolation"), bool):
        internet = None
    return (
        Protection(encrypted_at_rest=at_rest, at_rest_key=_key_or_default(at_rest, key, index)),
        Reach(internet_exposed=internet, roles=(str(role),) if role else ()),
    )


def _vault(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    lock = a.get("lock_configuration")
    days = lock.get("min_retention_days") if isinstance(lock, dict) else None
    return (
        Protection(
            encrypted_at_rest=True,  # recovery points are always encrypted
            at_rest_key=_key_or_default(True, a.get("kms_key_arn"), index),
            backup=True,
            backup_detail=f"vault lock, minimum retention {days} days"
            if isinstance(days, int)
            else ("vault lock" if isinstance(lock, dict) else "no vault lock"),
        ),
        Reach(),
    )


def _log_group(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    key = a.get("kms_key_id")
    days = a.get("retention_in_days")
    return (
        Protection(
            encrypted_at_rest=True,  # log data is always encrypted, by an AWS key if none
            at_rest_key=_key_or_default(True, key, index),
            encrypted_in_transit=True,
            backup_detail=f"retention {days} days"
            if isinstance(days, int) and days > 0
            else ("retained forever" if "retention_in_days" in a else ""),
        ),
        Reach(),
    )


def _repository(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    enc = a.get("encryption_configuration")
    key = enc.get("kms_key") if isinstance(enc, dict) else None
    return (
        Protection(encrypted_at_rest=True, at_rest_key=_key_or_default(True, key, index)),
        Reach(),
    )


def _generic(r: Mapping[str, Any], a: dict[str, Any], index: _Index) -> tuple[Protection, Reach]:
    return Protection(), Reach()


_EXTRACTORS: dict[str, _Extractor] = {
    "postgresql_table": _table,
    "aws_s3_bucket": _bucket,
    "aws_db_instance": _database,
    "aws_rds_cluster": _database,
    "aws_neptune_cluster": _database,
    "aws_redshift_cluster": _database,
    "aws_db_snapshot": _snapshot,
    "aws_db_cluster_snapshot": _snapshot,
    "aws_neptune_cluster_snapshot": _snapshot,
    "aws_ebs_snapshot": _snapshot,
    "aws_ebs_snapshot_copy": _snapshot,
    "aws_ebs_volume": _volume,
    "aws_efs_file_system": _volume,
    "aws_fsx_lustre_file_system": _fsx,
    "aws_fsx_ontap_file_system": _fsx,
    "aws_fsx_openzfs_file_system": _fsx,
    "aws_fsx_windows_file_system": _fsx,
    "aws_dynamodb_table": _dynamodb,
    "aws_elasticache_replication_group": _cache,
    "aws_opensearch_domain": _search,
    "aws_elasticsearch_domain": _search,
    "aws_sqs_queue": _queue,
    "aws_sns_topic": _queue,
    "aws_kinesis_stream": _stream,
    "aws_secretsmanager_secret": _secret,
    "aws_ssm_parameter": _secret,
    "aws_sagemaker_notebook_instance": _sagemaker,
    "aws_sagemaker_model": _sagemaker,
    "aws_sagemaker_endpoint_configuration": _sagemaker,
    "aws_backup_vault": _vault,
    "aws_cloudwatch_log_group": _log_group,
    "aws_ecr_repository": _repository,
}


# --- the cardholder data environment -----------------------------------------------


def _connected(r: Mapping[str, Any], store: DataStore, index: _Index) -> Iterable[Connected]:
    a = _attrs(r)

    def link(found: Mapping[str, Any] | None, relation: str) -> Iterable[Connected]:
        if found is not None:
            yield Connected(str(found["address"]), str(found["type"]), relation, store.address)

    vpc = _obj(a.get("vpc_options"))
    model_vpc = _obj(a.get("vpc_config"))
    groups = (
        _ids(a.get("vpc_security_group_ids"))
        + _ids(a.get("security_groups"))
        + _ids(vpc.get("security_group_ids"))
        + _ids(model_vpc.get("security_group_ids"))
    )
    subnets = (
        _ids(a.get("subnet_id"))
        + _ids(a.get("subnet_ids"))
        + _ids(vpc.get("subnet_ids"))
        + _ids(model_vpc.get("subnets"))
    )
    for group in groups:
        yield from link(index.get("sg", group), _SG)
    for subnet in subnets:
        yield from link(index.get("subnet", subnet), _SUBNET)
    for key in _key_ids(a):
        yield from link(index.get("key", key), _KEY)
    for principal in store.reach.roles:
        yield from link(index.get("principal", principal), _PRINCIPAL)
    if store.type == "postgresql_table":
        yield from _pg_connected(a, store, index)


def _pg_connected(a: dict[str, Any], store: DataStore, index: _Index) -> Iterable[Connected]:
    roles = index.pg_roles.get(store.system, {})
    direct = {g.lower() for g in store.reach.roles}
    members: set[str] = set()
    frontier = set(direct)
    while frontier:  # roles that are members (directly or not) of a grantee
        found = {
            name
            for name, role in roles.items()
            if name not in direct | members
            and {str(m).lower() for m in _attrs(role).get("member_of") or ()} & frontier
        }
        members |= found
        frontier = found
    for name, role in roles.items():
        attrs = _attrs(role)
        if name in direct:
            relation = _ROLE
        elif name in members:
            relation = _MEMBER
        elif attrs.get("superuser") is True:  # privileges are not checked for a superuser
            relation = _SUPERUSER
        elif _ALL_DATA & {str(m).lower() for m in attrs.get("member_of") or ()}:
            relation = _READ_ALL
        elif store.reach.public_grants:
            relation = _PUBLIC_ROLE
        else:
            continue
        yield Connected(str(role["address"]), str(role["type"]), relation, store.address)


# --- helpers -----------------------------------------------------------------------


def _shown(r: Mapping[str, Any]) -> Mapping[str, Any]:
    """A resource with sensitive paths (a plan's) read as a scan may show it: masked
    attributes, no sensitive tag; the map never carries what the inventory hides."""
    if not r.get("sensitive"):
        return r
    return {**r, "attributes": kept_attributes(dict(r)), "tags": dict(facts_of(r).tags or {})}


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _attrs(r: Mapping[str, Any] | None) -> dict[str, Any]:
    a = (r or {}).get("attributes")
    return a if isinstance(a, dict) else {}


def _acl(a: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in a.get("acl") or () if isinstance(e, dict)]


def _aws_system(r: Mapping[str, Any]) -> str:
    return f"aws:{r.get('account') or 'unknown'}"


def _pg_system(address: str) -> str:
    """postgresql://host:port of any PostgreSQL address (.../db/schema/table, ?role=)."""
    scheme, _, rest = address.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    return f"{scheme}://{host}"


def _pg_internet(index: _Index, system: str, database: Any) -> bool | None:
    """Reachable from anywhere when an hba rule of its server for its database accepts
    any address (risk.exposure); unknown when the inventory holds no hba rules."""
    rules = index.hba.get(system)
    if not rules:
        return None
    return any(
        exposure(rule) == "internet"
        and {"all", str(database)} & {str(d) for d in _attrs(rule).get("databases") or ()}
        for rule in rules
    )


def _tail(address: str) -> str:
    return address.rsplit("/", 1)[-1]


def _ids(value: Any) -> list[str]:
    if isinstance(value, str) and value:
        return [value]
    return [str(v) for v in value if isinstance(v, str) and v] if isinstance(value, list) else []


def _key_ids(a: dict[str, Any]) -> list[str]:
    keys = [a.get(k) for k in ("kms_key_id", "kms_key_arn", "kms_master_key_id", "key_id")]
    for nested in ("server_side_encryption", "encrypt_at_rest"):
        sub = a.get(nested)
        if isinstance(sub, dict):
            keys += [sub.get("kms_master_key_id"), sub.get("kms_key_arn"), sub.get("kms_key_id")]
    return [k for k in keys if isinstance(k, str) and k]


def _key_manager(key: Any, index: _Index) -> str | None:
    """customer or aws for a key the inventory holds or an aws/ alias; None otherwise
    (a key ARN alone does not say who manages it)."""
    if not isinstance(key, str) or not key:
        return None
    if "alias/aws/" in key:
        return "aws"
    found = index.get("key", key)
    manager = _attrs(found).get("key_manager") if found else None
    if manager == "CUSTOMER":
        return "customer"
    if manager == "AWS":
        return "aws"
    return None


def _key_or_default(encrypted: bool | None, key: Any, index: _Index) -> str | None:
    """Encrypted with no key named: the service's AWS managed or owned key."""
    if not encrypted:
        return None
    return _key_manager(key, index) if key else "aws"


def _internet(public: bool | None, groups: list[str], index: _Index) -> bool | None:
    """Internet-exposed when public and a security group of it is open to anywhere;
    not when private or every group is closed; unknown otherwise."""
    if public is False:
        return False
    found = [index.get("sg", g) for g in groups]
    if public is None or not groups or any(f is None for f in found):
        return None
    return any(exposure(f) == "internet" for f in found if f is not None)


def _statements(policy: Any) -> list[dict[str, Any]]:
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    return [s for s in statements or () if isinstance(s, dict)]


def _principals(policy: Any) -> tuple[str, ...]:
    """The AWS and service principals an Allow statement names ("*" is public)."""
    found: set[str] = set()
    for s in _statements(policy):
        principal = s.get("Principal")
        if s.get("Effect") != "Allow" or not isinstance(principal, dict):
            continue
        for kind in ("AWS", "Service"):
            found.update(p for p in _ids(principal.get(kind)) if p != "*")
    return tuple(sorted(found))


def _anyone(policy: Any) -> bool:
    return exposure({"type": "aws_s3_bucket", "attributes": {"policy": policy}}) == "public"


def _secure_transport(policy: Any) -> bool:
    """True when a Deny statement refuses requests without TLS (aws:SecureTransport)."""
    for s in _statements(policy):
        if s.get("Effect") != "Deny":
            continue
        condition = s.get("Condition")
        for test in condition.values() if isinstance(condition, dict) else ():
            if isinstance(test, dict) and str(test.get("aws:SecureTransport")).lower() == "false":
                return True
    return False


def _ssl_parameter(group: Any) -> bool | None:
    """rds.force_ssl, require_secure_transport or require_ssl in the parameter group."""
    params = group.get("parameters") if isinstance(group, dict) else None
    if not isinstance(params, dict):
        return None
    for name in ("rds.force_ssl", "require_secure_transport", "require_ssl"):
        if name in params:
            return _on_off(params[name])
    return None


def _on_off(value: Any) -> bool | None:
    text = str(value).strip().lower() if value is not None else ""
    if text in ("on", "1", "true", "yes"):
        return True
    if text in ("off", "0", "false", "no"):
        return False
    return None


def _first_bool(a: Mapping[str, Any], *names: str) -> bool | None:
    for name in names:
        if isinstance(a.get(name), bool):
            return bool(a[name])
    return None


def _first_int(a: Mapping[str, Any], *names: str) -> int | None:
    for name in names:
        value = a.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _opt_float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
