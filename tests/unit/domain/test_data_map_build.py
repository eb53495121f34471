"""data_map_build.build: which resources are data stores, and per type what protects
them and who reaches them; the cardholder data environment from the inventory alone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compliance_opa.domain.data_map import ClassifiedColumn, Connected, DataStore, Protection, Reach
from compliance_opa.domain.data_map_build import SELECTED_TYPES, STORE_TYPES, build
from tests.conftest import REPO

ACCOUNT = "123456789012"
DEFAULTS: dict[str, Any] = json.loads((REPO / "policies" / "config" / "data.json").read_text())
SERVER = "postgresql://db.internal:5432"


def aws(kind: str, name: str, attributes: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "address": f"arn:aws:test:eu-west-1:{ACCOUNT}:{kind}/{name}",
        "type": kind,
        "provider": "aws",
        "account": ACCOUNT,
        "region": "eu-west-1",
        "name": name,
        "data_classes": ["pii"],
        "attributes": attributes,
        **fields,
    }


def one(resource: dict[str, Any], *others: dict[str, Any], **params: Any) -> DataStore:
    stores = build([resource, *others], {}, {**DEFAULTS, **params}).stores
    assert len(stores) == 1
    return stores[0]


def table(
    name: str, columns: list[dict[str, Any]], acl: list[dict[str, Any]] | None = None, **fields: Any
) -> dict[str, Any]:
    return {
        "address": f"{SERVER}/shop/public/{name}",
        "type": "postgresql_table",
        "provider": "postgresql",
        "name": f"shop.public.{name}",
        "attributes": {
            "database": "shop",
            "schema": "public",
            "name": name,
            "owner": "app",
            "acl": acl or [],
            "columns": columns,
        },
        **fields,
    }


def role(name: str, **attributes: Any) -> dict[str, Any]:
    return {
        "address": f"{SERVER}?role={name}",
        "type": "postgresql_role",
        "provider": "postgresql",
        "name": name,
        "attributes": {"rolname": name, "superuser": False, "member_of": [], **attributes},
    }


# --- which resources are stores -----------------------------------------------------


def test_every_store_type_has_a_schema_and_every_selected_type_too() -> None:
    for kind in SELECTED_TYPES:
        assert (REPO / "inventory_schemas" / "resources" / f"{kind}.json").is_file(), kind


def test_unclassified_public_and_non_store_resources_are_left_out() -> None:
    resources = [
        aws("aws_s3_bucket", "site", {}, data_classes=["public"]),
        aws("aws_s3_bucket", "plain", {}, data_classes=[]),
        aws("aws_lambda_function", "fn", {}),  # classified, but not a data store
        table("rooms", [{"name": "label", "classification": "none"}]),
    ]
    assert build(resources, {}, DEFAULTS).empty


def test_a_classification_tag_classifies_and_classified_data_classes_narrows() -> None:
    bucket = aws("aws_s3_bucket", "b", {}, data_classes=[], tags={"Classification": "PHI, pci"})
    assert one(bucket).data_classes == ("phi", "pci")
    assert one(bucket).cde
    narrowed = build([bucket], {}, {**DEFAULTS, "classified_data_classes": ["phi"]}).stores
    assert narrowed[0].data_classes == ("phi",)
    assert not narrowed[0].cde


def test_fields_region_owner_environment_and_open_findings() -> None:
    bucket = aws(
        "aws_s3_bucket",
        "b",
        {},
        data_classes=["pci", "pii"],
        tags={"Team": "payments", "Env": "staging"},
    )
    failing = {bucket["address"]: [("AWS-S3-002", "high"), ("AWS-REG-001", "high")] * 2}
    store = build([bucket], failing, DEFAULTS).stores[0]
    assert (store.kind, store.system, store.account, store.region) == (
        "bucket",
        f"aws:{ACCOUNT}",
        ACCOUNT,
        "eu-west-1",
    )
    assert store.data_classes == ("pii", "pci")  # CLASSES order
    assert (store.owner, store.environment) == ("payments", "staging")
    assert store.open_findings == (("AWS-REG-001", "high"), ("AWS-S3-002", "high"))
    assert store.region_allowed is True
    fields = one({**bucket, "owner": "ops", "environment": "production"})
    assert (fields.owner, fields.environment) == ("ops", "production")  # the fields win
    assert one({**bucket, "region": "us-east-1"}).region_allowed is False
    assert one({**bucket, "region": None}).region_allowed is None
    no_rule = build([bucket], {}, {k: v for k, v in DEFAULTS.items() if k != "allowed_regions"})
    assert no_rule.stores[0].region_allowed is None


def test_stores_are_sorted_by_system_then_address() -> None:
    resources = [
        aws("aws_s3_bucket", "z", {}),
        table("t", [{"name": "email", "classification": "email"}]),
        aws("aws_s3_bucket", "a", {}, account="000000000001"),
        aws("aws_s3_bucket", "m", {}),
    ]
    stores = build(resources, {}, DEFAULTS).stores
    assert [s.name for s in stores] == ["a", "m", "z", "shop.public.t"]


# --- per type ---------------------------------------------------------------------

KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1111"
CMK = {
    "address": KEY,
    "type": "aws_kms_key",
    "provider": "aws",
    "name": "cmk",
    "attributes": {"key_id": "1111", "arn": KEY, "key_manager": "CUSTOMER"},
}
DENY_HTTP = {
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
}
ALLOW_ROLE = {
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/reader"]},
        }
    ]
}
ALLOW_ANYONE = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}

CASES: list[tuple[str, dict[str, Any], str, Protection, Reach]] = [
    (
        "aws_s3_bucket",
        {
            "server_side_encryption": {"sse_algorithm": "aws:kms", "kms_master_key_id": KEY},
            "versioning": {"status": "Enabled"},
            "policy": DENY_HTTP,
        },
        "bucket",
        Protection(True, "customer", True, True, "versioning enabled"),
        Reach(public=False, internet_exposed=False),
    ),
    (
        "aws_s3_bucket",
        {"server_side_encryption": None, "versioning": None, "policy": ALLOW_ANYONE},
        "bucket",
        Protection(False, None, False, False, "versioning never enabled"),
        Reach(public=True, internet_exposed=True),
    ),
    (
        "aws_s3_bucket",
        {
            "server_side_encryption": {"sse_algorithm": "AES256"},
            "acl": "public-read",
            "policy": ALLOW_ROLE,
        },
        "bucket",
        Protection(True, "aws", False, None, ""),
        Reach(public=True, internet_exposed=True, roles=(f"arn:aws:iam::{ACCOUNT}:role/reader",)),
    ),
    (
        "aws_db_instance",
        {
            "storage_encrypted": True,
            "kms_key_id": KEY,
            "publicly_accessible": False,
            "backup_retention_period": 7,
            "parameter_group": {"parameters": {"rds.force_ssl": "1"}},
        },
        "database instance",
        Protection(True, "customer", True, True, "retention 7 days"),
        Reach(public=False, internet_exposed=False),
    ),
    (
        "aws_db_instance",
        {
            "storage_encrypted": False,
            "publicly_accessible": True,
            "backup_retention_period": 0,
            "parameter_group": {"parameters": {"require_secure_transport": "OFF"}},
        },
        "database instance",
        Protection(False, None, False, False, "retention 0 days"),
        Reach(public=True, internet_exposed=None),  # no security group known
    ),
    (
        "aws_rds_cluster",
        {
            "storage_encrypted": True,
            "kms_key_id": "arn:aws:kms:eu-west-1:1:alias/aws/rds",
            "backup_retention_period": 14,
        },
        "database cluster",
        Protection(True, "aws", None, True, "retention 14 days"),
        Reach(),
    ),
    (
        "aws_redshift_cluster",
        {
            "encrypted": True,
            "kms_key_id": "arn:aws:kms:eu-west-1:1:key/unknown",
            "publicly_accessible": False,
            "automated_snapshot_retention_period": 1,
            "parameter_group": {"parameters": {"require_ssl": "true"}},
        },
        "data warehouse cluster",
        Protection(True, None, True, True, "retention 1 days"),  # a key not collected
        Reach(public=False, internet_exposed=False),
    ),
    (
        "aws_neptune_cluster",
        {"storage_encrypted": False, "backup_retention_period": 1},
        "graph database cluster",
        Protection(False, None, None, True, "retention 1 days"),
        Reach(),
    ),
    (
        "aws_db_snapshot",
        {"encrypted": False, "shared_accounts": ["all"]},
        "database snapshot",
        Protection(False),
        Reach(public=True, internet_exposed=True),
    ),
    (
        "aws_db_cluster_snapshot",
        {"storage_encrypted": True, "shared_accounts": ["210987654321"]},
        "database cluster snapshot",
        Protection(True),
        Reach(public=False, internet_exposed=False, roles=("210987654321",)),
    ),
    (
        "aws_neptune_cluster_snapshot",
        {"storage_encrypted": True, "kms_key_id": KEY},
        "graph database snapshot",
        Protection(True, "customer"),
        Reach(),
    ),
    (
        "aws_ebs_snapshot",
        {"encrypted": True, "shared_accounts": []},
        "volume snapshot",
        Protection(True),
        Reach(public=False, internet_exposed=False),
    ),
    (
        "aws_ebs_snapshot_copy",
        {"encrypted": True},
        "volume snapshot copy",
        Protection(True),
        Reach(),
    ),
    ("aws_ebs_volume", {"encrypted": True}, "volume", Protection(True, "aws"), Reach()),
    ("aws_ebs_volume", {"encrypted": False}, "volume", Protection(False), Reach()),
    (
        "aws_efs_file_system",
        {"encrypted": True, "kms_key_id": KEY, "backup_policy": {"status": "DISABLED"}},
        "file system",
        Protection(True, "customer", None, False, "backup policy disabled"),
        Reach(),
    ),
    *[
        (
            kind,
            {"kms_key_id": None, "automatic_backup_retention_days": 0},
            label,
            Protection(True, "aws", None, False, "retention 0 days"),
            Reach(),
        )
        for kind, label in (
            ("aws_fsx_lustre_file_system", "FSx Lustre file system"),
            ("aws_fsx_ontap_file_system", "FSx ONTAP file system"),
            ("aws_fsx_openzfs_file_system", "FSx OpenZFS file system"),
            ("aws_fsx_windows_file_system", "FSx Windows file system"),
        )
    ],
    (
        "aws_dynamodb_table",
        {
            "server_side_encryption": {"enabled": True, "kms_key_arn": KEY},
            "point_in_time_recovery": {"enabled": True},
        },
        "DynamoDB table",
        Protection(True, "customer", True, True, "point-in-time recovery"),
        Reach(),
    ),
    (
        "aws_dynamodb_table",
        {
            "server_side_encryption": {"enabled": False},
            "point_in_time_recovery": {"enabled": False},
        },
        "DynamoDB table",
        Protection(True, "aws", True, False, ""),  # always encrypted, by an AWS owned key
        Reach(),
    ),
    (
        "aws_elasticache_replication_group",
        {
            "at_rest_encryption_enabled": True,
            "transit_encryption_enabled": False,
            "snapshot_retention_limit": 5,
        },
        "cache replication group",
        Protection(True, "aws", False, True, "snapshots kept 5 days"),
        Reach(),
    ),
    (
        "aws_opensearch_domain",
        {
            "encrypt_at_rest": {"enabled": True, "kms_key_id": KEY},
            "node_to_node_encryption": {"enabled": True},
            "domain_endpoint_options": {"enforce_https": True},
            "vpc_options": None,
        },
        "search domain",
        Protection(True, "customer", True),
        Reach(internet_exposed=True),
    ),
    (
        "aws_elasticsearch_domain",
        {
            "encrypt_at_rest": {"enabled": False},
            "node_to_node_encryption": {"enabled": False},
            "vpc_options": {"subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"]},
        },
        "search domain",
        Protection(False, None, False),
        Reach(internet_exposed=False),
    ),
    (
        "aws_kinesis_stream",
        {"encryption_type": "KMS", "kms_key_id": "alias/aws/kinesis"},
        "stream",
        Protection(True, "aws", True),
        Reach(),
    ),
    (
        "aws_kinesis_stream",
        {"encryption_type": "NONE"},
        "stream",
        Protection(False, None, True),
        Reach(),
    ),
    (
        "aws_sqs_queue",
        {"kms_master_key_id": None, "sqs_managed_sse_enabled": True, "policy": ALLOW_ROLE},
        "queue",
        Protection(True, "aws", False),
        Reach(public=False, roles=(f"arn:aws:iam::{ACCOUNT}:role/reader",)),
    ),
    (
        "aws_sns_topic",
        {"kms_master_key_id": None, "policy": ALLOW_ANYONE},
        "topic",
        Protection(False, None, False),
        Reach(public=True),
    ),
    (
        "aws_secretsmanager_secret",
        {"kms_key_id": KEY, "policy": None},
        "secret",
        Protection(True, "customer", True),
        Reach(public=False),
    ),
    ("aws_ssm_parameter", {"type": "String"}, "parameter", Protection(False, None, True), Reach()),
    (
        "aws_ssm_parameter",
        {"type": "SecureString"},
        "parameter",
        Protection(True, "aws", True),
        Reach(),
    ),
    (
        "aws_sagemaker_notebook_instance",
        {"direct_internet_access": "Enabled", "role_arn": "arn:aws:iam::1:role/nb"},
        "notebook instance",
        Protection(True, "aws"),
        Reach(internet_exposed=True, roles=("arn:aws:iam::1:role/nb",)),
    ),
    (
        "aws_sagemaker_model",
        {"execution_role_arn": "arn:aws:iam::1:role/m", "enable_network_isolation": True},
        "model",
        Protection(),
        Reach(roles=("arn:aws:iam::1:role/m",)),
    ),
    (
        "aws_sagemaker_endpoint_configuration",
        {"kms_key_arn": KEY},
        "endpoint configuration",
        Protection(True, "customer"),
        Reach(),
    ),
    (
        "aws_backup_vault",
        {"kms_key_arn": KEY, "lock_configuration": {"min_retention_days": 30}},
        "backup vault",
        Protection(True, "customer", None, True, "vault lock, minimum retention 30 days"),
        Reach(),
    ),
    (
        "aws_cloudwatch_log_group",
        {"retention_in_days": 0},
        "log group",
        Protection(True, "aws", True, None, "retained forever"),
        Reach(),
    ),
    (
        "aws_ecr_repository",
        {"encryption_configuration": {"encryption_type": "AES256"}},
        "container repository",
        Protection(True, "aws"),
        Reach(),
    ),
    ("aws_efs_file_system", {}, "file system", Protection(), Reach()),  # nothing recorded
]


@pytest.mark.parametrize(("kind", "attributes", "label", "protection", "reach"), CASES)
def test_protection_and_reach_per_type(
    kind: str, attributes: dict[str, Any], label: str, protection: Protection, reach: Reach
) -> None:
    store = one(aws(kind, "s", attributes), CMK)
    assert (store.kind, store.protection, store.reach) == (label, protection, reach)


def test_every_aws_store_type_has_a_case() -> None:
    covered = {kind for kind, *_ in CASES}
    assert covered == {k for k in STORE_TYPES if k.startswith("aws_")}


def test_a_database_behind_an_open_security_group_is_internet_exposed() -> None:
    def group(gid: str, cidr: str) -> dict[str, Any]:
        return aws(
            "aws_security_group",
            gid,
            {
                "group_id": gid,
                "ingress": [
                    {"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": [cidr]}
                ],
            },
            data_classes=[],
        )

    db = aws(
        "aws_db_instance",
        "db",
        {"publicly_accessible": True, "vpc_security_group_ids": ["sg-open", "sg-closed"]},
    )
    assert one(db, group("sg-open", "0.0.0.0/0"), group("sg-closed", "10.0.0.0/8")).reach == Reach(
        public=True, internet_exposed=True
    )
    assert one(db, group("sg-open", "10.1.0.0/16"), group("sg-closed", "10.0.0.0/8")).reach == (
        Reach(public=True, internet_exposed=False)
    )
    assert one(db, group("sg-closed", "10.0.0.0/8")).reach.internet_exposed is None  # one unknown


# --- PostgreSQL tables ------------------------------------------------------------


def test_table_columns_classes_grants_and_transit() -> None:
    columns: list[dict[str, Any]] = [
        {"name": "id", "classification": "none", "classified_by": "none"},
        {"name": "email", "classification": "email", "classified_by": "name", "encrypted": False},
        {
            "name": "ref",
            "classification": "pan",
            "classified_by": "sample",
            "encrypted": False,
            "sample": {"detector": "card_number", "matched": 9, "sampled": 10, "confidence": 0.9},
        },
        {"name": "notes", "classification": "phi"},  # classified_by not recorded
    ]
    acl = [
        {"grantee": "app", "grantor": "app", "privileges": ["SELECT", "INSERT"]},
        {"grantee": "PUBLIC", "grantor": "app", "privileges": ["SELECT", "UPDATE"]},
    ]
    server = {
        "address": SERVER,
        "type": "postgresql_server",
        "provider": "postgresql",
        "name": "db",
        "tags": {"Environment": "production", "Owner": "dba"},
        "attributes": {"settings": {"ssl": "off"}},
    }
    store = one(table("orders", columns, acl), server)
    assert (store.kind, store.system, store.name) == ("table", SERVER, "shop.public.orders")
    assert (store.account, store.region, store.region_allowed) == (None, None, None)
    assert (store.owner, store.environment) == ("dba", "production")  # the server's tags
    assert store.data_classes == ("pii", "phi", "pci")
    assert store.columns == (
        ClassifiedColumn("email", "email", "pii", "name", encrypted=False),
        ClassifiedColumn("ref", "pan", "pci", "sample", "card_number", 0.9, 9, 10, False),
        ClassifiedColumn("notes", "phi", "phi", "none"),
    )
    assert store.protection == Protection(encrypted_in_transit=False)
    assert store.reach == Reach(public_grants=("SELECT", "UPDATE"), roles=("app",))
    assert store.cde
    assert one(table("orders", columns, acl)).protection.encrypted_in_transit is None  # no server


def test_table_internet_exposure_from_its_servers_hba_rules() -> None:
    def hba(n: int, database: str, address: str | None) -> dict[str, Any]:
        return {
            "address": f"{SERVER}/hba/{n}",
            "type": "postgresql_hba_rule",
            "provider": "postgresql",
            "name": f"pg_hba.conf:{n}",
            "attributes": {"connection_type": "host", "databases": [database], "address": address},
        }

    t = table("t", [{"name": "email", "classification": "email"}])
    assert one(t).reach.internet_exposed is None
    assert one(t, hba(1, "shop", "10.0.0.0/8")).reach.internet_exposed is False
    assert one(t, hba(1, "other", "0.0.0.0/0")).reach.internet_exposed is False
    assert one(t, hba(1, "all", "0.0.0.0/0")).reach.internet_exposed is True


def test_nothing_sampled_is_kept() -> None:
    column = {
        "name": "ref",
        "classification": "pan",
        "classified_by": "sample",
        "sample": {
            "detector": "card_number",
            "matched": 1,
            "sampled": 1,
            "confidence": 1,
            "values": ["4111111111111111"],
        },
    }
    store = one(table("t", [column]))
    assert "4111" not in repr(store)


# --- the cardholder data environment ------------------------------------------------


def test_card_stores_and_what_connects_to_them() -> None:
    db = aws(
        "aws_db_instance",
        "ledger",
        {
            "storage_encrypted": True,
            "kms_key_id": KEY,
            "vpc_security_group_ids": ["sg-1", "sg-missing"],
        },
        data_classes=["pci"],
    )
    search = aws(
        "aws_opensearch_domain",
        "cards",
        {"vpc_options": {"subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"]}},
        data_classes=["pci"],
    )
    bucket = aws("aws_s3_bucket", "exports", {"policy": ALLOW_ROLE}, data_classes=["pci"])
    personal = aws("aws_db_instance", "crm", {"vpc_security_group_ids": ["sg-1"]})
    sg = aws("aws_security_group", "sg-1", {"group_id": "sg-1"}, data_classes=[])
    subnet = {
        **aws("aws_subnet", "subnet-1", {}, data_classes=[]),
        "address": f"arn:aws:ec2:eu-west-1:{ACCOUNT}:subnet/subnet-1",
    }
    reader = aws(
        "aws_iam_role", "reader", {"arn": f"arn:aws:iam::{ACCOUNT}:role/reader"}, data_classes=[]
    )
    data_map = build([db, search, bucket, personal, sg, subnet, reader, CMK], {}, DEFAULTS)
    assert [s.name for s in data_map.stores if s.cde] == [
        "ledger",
        "cards",
        "exports",
    ]  # by address
    assert set(data_map.cde) == {
        Connected(sg["address"], "aws_security_group", "security group of", db["address"]),
        Connected(KEY, "aws_kms_key", "key encrypting", db["address"]),
        Connected(sg["address"], "aws_security_group", "security group of", search["address"]),
        Connected(subnet["address"], "aws_subnet", "subnet of", search["address"]),
        Connected(reader["address"], "aws_iam_role", "principal with access to", bucket["address"]),
    }  # sg-missing is not in the inventory; the personal-data database is not in scope
    assert list(data_map.cde) == sorted(
        data_map.cde, key=lambda c: (c.store, c.relation, c.address)
    )


def test_roles_reaching_a_card_table() -> None:
    acl: list[dict[str, Any]] = [{"grantee": "billing", "grantor": "app", "privileges": ["SELECT"]}]
    roles = [
        role("billing"),
        role("batch", member_of=["billing"]),
        role("nightly", member_of=["batch"]),
        role("root", superuser=True),
        role("auditor", member_of=["pg_read_all_data"]),
        role("analyst"),
    ]
    cards = table("cards", [{"name": "pan", "classification": "pan"}], acl)
    relations = {(c.address.split("=")[1], c.relation) for c in build([cards, *roles], {}).cde}
    assert relations == {
        ("billing", "role with access to"),
        ("batch", "member of a role with access to"),
        ("nightly", "member of a role with access to"),
        ("root", "superuser with access to"),
        ("auditor", "member of pg_read_all_data or pg_write_all_data with access to"),
    }
    public = table(
        "cards",
        [{"name": "pan", "classification": "pan"}],
        [*acl, {"grantee": "PUBLIC", "grantor": "app", "privileges": ["SELECT"]}],
    )
    everyone = {c.address.split("=")[1]: c.relation for c in build([public, *roles], {}).cde}
    assert everyone["analyst"] == "role with access through PUBLIC to"
    other_server = {**role("billing"), "address": "postgresql://other:5432?role=billing"}
    assert build([cards, other_server], {}).cde == ()  # roles of another server do not count


def test_sensitive_paths_never_reach_the_map() -> None:
    policy = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
              "Principal": {"AWS": ["arn:aws:iam::1:role/hidden-partner"]}}]}  # fmt: skip
    bucket = aws("aws_s3_bucket", "b", {"policy": policy}, tags={"Owner": "secret-team"},
                 sensitive=["policy", "tags.Owner"])  # fmt: skip
    store = one(bucket)
    assert "hidden-partner" not in repr(store)
    assert store.owner is None
    assert one({**bucket, "sensitive": []}).owner == "secret-team"


def test_column_classes_are_the_collectors() -> None:
    """The domain keeps its own copy (it may not import collectors): the two agree."""
    from collectors.postgres.classify import CLASSIFICATIONS, TABLE_CLASS
    from compliance_opa.domain.data_map_build import COLUMN_CLASS

    assert COLUMN_CLASS == TABLE_CLASS
    assert set(COLUMN_CLASS) == set(CLASSIFICATIONS) - {"none"}
