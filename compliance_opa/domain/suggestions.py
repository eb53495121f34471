"""Suggested changes for failing checks that have no safe automatic fix: a Terraform
change (HCL, AWS provider 5.x) or SQL (PostgreSQL 15) a reviewer can adapt and apply.

Pure: no I/O. Code, not a data file, because each suggestion is built from the finding
(the resource's address, the Terraform type, for some the ports its message names), and
estate names must be escaped on the way in: in SQL as quoted identifiers (`_ident`), in
HCL as string literals (`_hcl`, which also escapes template sequences). A suggestion whose
names cannot be read unambiguously from the address is left out (the check's
remediation text still shows), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from compliance_opa.domain.findings import Finding, Status

# Checks whose fixes remediators/ owns (`opa-comply remediate plan`): they get a pointer
# to the automatic fix, never a suggestion. A test keeps this list and remediators/ in step.
AUTOMATIC_FIX_CHECKS = frozenset({
    "AWS-S3-001", "AWS-S3-002", "AWS-S3-004", "AWS-S3-101", "AWS-RDS-004", "AWS-RDS-005",
    "AWS-RDS-009", "AWS-KMS-001", "AWS-CT-002", "AWS-CWL-001", "AWS-IAM-006", "AWS-EBS-002",
    "AWS-DDB-003", "AWS-EBS-004", "AWS-RDS-011", "PG-PRIV-001", "PG-PRIV-002", "PG-ROLE-002",
})  # fmt: skip

TERRAFORM = "terraform"
SQL = "sql"


@dataclass(frozen=True)
class Suggestion:
    kind: str  # TERRAFORM or SQL: the code block's language
    text: str  # printable lines joined by "\n", ending without one


def automatic_fix_command(check_id: str) -> str | None:
    """The command that plans the check's automatic fix, for checks that have one."""
    if check_id in AUTOMATIC_FIX_CHECKS:
        return f"opa-comply remediate plan --check {check_id}"
    return None


def suggestion_for(finding: Finding) -> Suggestion | None:
    """The suggested change for a finding, or None (no template, or names unreadable)."""
    entry = _SUGGESTIONS.get(finding.check.check_id)
    if entry is None:
        return None
    kind, build = entry
    target = _target(finding)
    text = build(target) if target is not None else None
    if not text:
        return None
    return Suggestion(kind, _declared(text) if kind == TERRAFORM else text.rstrip("\n"))


# --- escaping -----------------------------------------------------------------------


def _hcl(value: str) -> str:
    """An HCL (Terraform) quoted string holding the value literally: backslash and quote
    escaped, `${` and `%{` doubled so they are not template sequences, every character
    that is not printable written as a \\u escape."""
    out = []
    for c in value:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif not c.isprintable():
            out.append(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        else:
            out.append(c)
    text = "".join(out).replace("${", "$${").replace("%{", "%%{")
    return f'"{text}"'


def _ident(name: str) -> str:
    """A PostgreSQL quoted identifier for the name: `"` doubled; a name with characters
    that are not printable is written U&"..." with \\XXXX escapes, so it stays on one line."""
    if name.isprintable():
        return '"' + name.replace('"', '""') + '"'
    out = []
    for c in name:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('""')
        elif c.isprintable():
            out.append(c)
        else:
            out.append(f"\\{ord(c):04X}" if ord(c) <= 0xFFFF else f"\\+{ord(c):06X}")
    return 'U&"' + "".join(out) + '"'


def _label(name: str) -> str:
    """A Terraform block label (an identifier) made from a resource's name."""
    label = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    if not label or not re.match(r"[A-Za-z_]", label):
        label = "r_" + label
    return label[:64]


# --- the resource a finding is about ------------------------------------------------

_MODULES = r"(?P<module>(?:module\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])?\.)*)"
_PLAN_ADDRESS = re.compile(
    _MODULES + r"(?P<type>[a-z][a-z0-9_]*)\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)(?P<index>\[[^\]]*\])?"
)
# An index a reference may repeat: a count index or a for_each key of plain characters.
_SAFE_INDEX = re.compile(r'\[(?:\d{1,9}|"[A-Za-z0-9_.:/-]{1,128}")\]')
# Older names of resource types that a plan may hold for a check's type.
_ALIASES = ("aws_alb", "aws_alb_listener", "aws_elasticsearch_domain")
_PG_SERVER = re.compile(r"postgresql://[^/?]+")


@dataclass(frozen=True)
class _Target:
    address: str
    resource_type: str
    label: str  # the Terraform block label
    name: str  # the estate's name (an ARN's last part), or the plan label
    planned: bool  # a Terraform plan address: refer to the resource, not to its name
    index: str  # the plan address's count index or for_each key, when plain; else ""
    module: str  # the plan's module path ("module.a.module.b"), or ""
    region: str  # from an ARN, or ""
    message: str


def _target(finding: Finding) -> _Target | None:
    address = finding.resource
    plan = _PLAN_ADDRESS.fullmatch(address)
    if plan and plan.group("type") in (finding.resource_type, *_ALIASES):
        # The block and references name the type the configuration uses (aws_alb_listener
        # where the check also judges it as aws_lb_listener).
        modules = re.sub(r"\[[^\]]*\]", "", plan.group("module")).rstrip(".")
        name = plan.group("name")
        index = plan.group("index") or ""
        index = index if _SAFE_INDEX.fullmatch(index) else ""
        return _Target(address, plan.group("type"), name, name, True, index, modules, "",
                       finding.message)  # fmt: skip
    region = ""
    name = address
    if address.startswith("arn:"):
        parts = address.split(":", 5)
        if len(parts) < 6 or not parts[5]:
            return None
        region = parts[3]
        name = re.split(r"[/:]", parts[5])[-1] or parts[5]
    return _Target(address, finding.resource_type, _label(name), name, False, "", "", region,
                   finding.message)  # fmt: skip


# --- Terraform ----------------------------------------------------------------------

_KEEP = "  # ...the resource's other arguments stay as they are"
# The input variables suggestions refer to, declared in each suggestion that uses them.
_VARIABLES = {
    "kms_key_arn": "ARN of the customer-managed KMS key to encrypt with",
    "acm_certificate_arn": "ARN of the ACM certificate to serve (for CloudFront: in us-east-1)",
    "bastion_security_group_id": "The security group of the hosts allowed to reach the nodes",
    "trusted_account_id": "The AWS account the image is shared with",
    "ssh_key_name": "The EC2 key pair the node group uses",
    "private_subnet_id": "A private subnet for the notebook instance",
    "notebook_security_group_id": "The notebook instance's security group",
    "database_client_cidr": "The CIDR block of the clients allowed to reach the database",
    "admin_cidr": "The CIDR block allowed to reach remote administration ports",
    "allowed_https_cidr": "The CIDR block allowed to reach HTTPS",
}


def _declared(text: str) -> str:
    """The suggestion with a variable block for each input variable it uses, placed
    before its first block (after the leading comments)."""
    code = "\n".join(line for line in text.split("\n") if not line.startswith("#"))
    used = [name for name in _VARIABLES if re.search(rf"\bvar\.{name}\b", code)]
    if not used:
        return text
    declarations = []
    for name in used:
        declarations += [
            f'variable "{name}" {{',
            "  type        = string",
            f'  description = "{_VARIABLES[name]}"',
            "}",
            "",
        ]
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    return "\n".join(lines[:first] + declarations + lines[first:])


_KMS = "var.kms_key_arn # a customer-managed KMS key"


def _header(t: _Target) -> list[str]:
    lines = [f"# Finding on {_hcl(t.address)}"]
    if t.module:
        lines.append(f"# In the configuration of {t.module}")
    return lines


def _block(t: _Target, body: list[str], tf_type: str | None = None) -> str:
    """The resource's own block, with the arguments to set (body: lines, indented)."""
    kind = tf_type or t.resource_type
    lines = [*_header(t), f'resource "{kind}" "{t.label}" {{', *body, _KEEP, "}"]
    return "\n".join(lines)


def _ref(t: _Target, attribute: str, value: str | None = None) -> str:
    """How a new resource names this one: a reference in a plan, else the collected name."""
    if t.planned:
        return f"{t.resource_type}.{t.label}{t.index}.{attribute}"
    return _hcl(value if value is not None else t.name)


def _setting(*lines: str) -> Callable[[_Target], str]:
    """The resource's block with arguments set (each line indented by two)."""
    return lambda t: _block(t, [f"  {line}" if line else "" for line in lines])


def _per_type(**by_type: Callable[[_Target], str]) -> Callable[[_Target], str | None]:
    def build(t: _Target) -> str | None:
        builder = by_type.get(t.resource_type)
        return builder(t) if builder else None

    return build


_PORTS = re.compile(r"port\(s\) (\d{1,5}(?:, \d{1,5})*)$")


def _ingress(
    purpose: str, default_ports: tuple[int, ...], variable: str
) -> Callable[[_Target], str]:
    """Remove the world-open rule; admit the ports from one named CIDR instead, with one
    aws_vpc_security_group_ingress_rule per port (the ports the message names)."""

    def build(t: _Target) -> str:
        found = _PORTS.search(t.message)
        ports = tuple(int(p) for p in found.group(1).split(", ")) if found else default_ports
        group = _ref(t, "id")
        lines = [
            *_header(t),
            "# 1. Delete the rule (an ingress block or an aws_vpc_security_group_ingress_rule)",
            "#    that admits 0.0.0.0/0 or ::/0 on these ports.",
            "#    (A group keeps its rules either inline or as rule resources, not both.)",
            f"# 2. Admit {purpose} from one named network only:",
        ]
        for port in ports:
            lines += [
                *([""] if port != ports[0] else []),
                f'resource "aws_vpc_security_group_ingress_rule" "{t.label}_{port}" {{',
                f"  security_group_id = {group}",
                f'  description       = "{purpose.capitalize()} from var.{variable} only"',
                f"  cidr_ipv4         = var.{variable}",
                '  ip_protocol       = "tcp"',
                f"  from_port         = {port}",
                f"  to_port           = {port}",
                "}",
            ]
        return "\n".join(lines)

    return build


def _ingress_all(t: _Target) -> str:
    lines = [
        *_header(t),
        '# 1. Delete the rule that admits all traffic (ip_protocol "-1") from 0.0.0.0/0 or ::/0.',
        "# 2. Admit only what the service publishes, here HTTPS from one named network",
        "#    (or use referenced_security_group_id for traffic from a load balancer):",
        f'resource "aws_vpc_security_group_ingress_rule" "{t.label}_https" {{',
        f"  security_group_id = {_ref(t, 'id')}",
        "  cidr_ipv4         = var.allowed_https_cidr",
        '  ip_protocol       = "tcp"',
        "  from_port         = 443",
        "  to_port           = 443",
        "}",
    ]
    return "\n".join(lines)


def _s3_ownership(t: _Target) -> str:
    lines = [
        *_header(t),
        "# Disable ACLs: the bucket owner owns every object and ACL grants stop applying.",
        "# Delete any aws_s3_bucket_acl of the bucket; grant access in the bucket policy.",
        f'resource "aws_s3_bucket_ownership_controls" "{t.label}" {{',
        f"  bucket = {_ref(t, 'id')}",
        "  rule {",
        '    object_ownership = "BucketOwnerEnforced"',
        "  }",
        "}",
    ]
    return "\n".join(lines)


def _s3_kms(t: _Target) -> str:
    lines = [
        *_header(t),
        f'resource "aws_s3_bucket_server_side_encryption_configuration" "{t.label}" {{',
        f"  bucket = {_ref(t, 'id')}",
        "  rule {",
        "    apply_server_side_encryption_by_default {",
        '      sse_algorithm     = "aws:kms"',
        f"      kms_master_key_id = {_KMS}",
        "    }",
        "    bucket_key_enabled = true",
        "  }",
        "}",
        "# Existing objects keep their old encryption: copy them in place (S3 Batch Operations).",
    ]
    return "\n".join(lines)


def _redshift_ssl(t: _Target) -> str:
    lines = [
        *_header(t),
        f'resource "aws_redshift_parameter_group" "{t.label}_require_ssl" {{',
        f'  name   = "{_aws_name(t.label)}-require-ssl"',
        '  family = "redshift-1.0"',
        "  parameter {",
        '    name  = "require_ssl"',
        '    value = "true"',
        "  }",
        "}",
        "",
        f'resource "aws_redshift_cluster" "{t.label}" {{',
        f"  cluster_parameter_group_name = aws_redshift_parameter_group.{t.label}_require_ssl.name",
        _KEEP,
        "}",
        "# The cluster applies the parameter group after a reboot.",
    ]
    return "\n".join(lines)


def _aws_name(label: str) -> str:
    """A name for a new AWS object: lower-case letters, digits and single hyphens."""
    name = re.sub(r"-+", "-", re.sub(r"[^a-z0-9]", "-", label.lower())).strip("-")
    return name[:40].rstrip("-") if name[:1].isalpha() else ("r-" + name)[:40].rstrip("-")


def _config_recorder(t: _Target) -> str | None:
    name = None
    if not t.planned:  # the name is in the ARN (configuration-recorder/<name>/<id>) if any
        found = re.search(r"configuration-recorder/([^/]+)", t.address)
        if found is None:
            return None  # no recorder at all: that is a recorder, channel and role to create
        name = found.group(1)
    lines = [
        *_header(t),
        f'resource "aws_config_configuration_recorder_status" "{t.label}" {{',
        f"  name       = {_ref(t, 'name', name)}",
        "  is_enabled = true",
        "  # the recorder needs a delivery channel first:",
        "  # depends_on = [aws_config_delivery_channel.<its name>]",
        "}",
    ]
    return "\n".join(lines)


def _snapshot_copy(t: _Target) -> str:
    source = _ref(t, "id")
    region = _hcl(t.region) if t.region else "data.aws_region.current.name"
    lines = [*_header(t)]
    if not t.region:
        lines += ['data "aws_region" "current" {}', ""]
    lines += [
        f'resource "aws_ebs_snapshot_copy" "{t.label}_encrypted" {{',
        f"  source_snapshot_id = {source}",
        f"  source_region      = {region}",
        "  encrypted          = true",
        f"  kms_key_id         = {_KMS}",
        "}",
        "# Then delete the unencrypted snapshot, and snapshot only encrypted volumes.",
    ]
    return "\n".join(lines)


def _db_snapshot_copy(t: _Target) -> str:
    source = _ref(t, "db_snapshot_arn", t.address)
    lines = [
        *_header(t),
        f'resource "aws_db_snapshot_copy" "{t.label}_encrypted" {{',
        f"  source_db_snapshot_identifier = {source}",
        f'  target_db_snapshot_identifier = "{_aws_name(t.label)}-encrypted"',
        f"  kms_key_id                    = {_KMS}",
        "}",
        "# Then delete the unencrypted snapshot, and encrypt the database it came from.",
    ]
    return "\n".join(lines)


def _listener_redirect(t: _Target) -> str:
    return _block(
        t,
        [
            "  default_action {",
            '    type = "redirect"',
            "    redirect {",
            '      port        = "443"',
            '      protocol    = "HTTPS"',
            '      status_code = "HTTP_301"',
            "    }",
            "  }",
            '  # (or protocol = "HTTPS" with ssl_policy and certificate_arn to serve TLS here)',
        ],
    )


# OpenSearch's newest TLS 1.2 policy; the legacy Elasticsearch resource's, the one it
# has long accepted.
_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10"
_TLS_POLICY_ES = "Policy-Min-TLS-1-2-2019-07"
_RECREATE = (
    "# Terraform replaces the resource for this (its data is lost): move the data to an\n"
    "  # encrypted copy instead (snapshot, copy with encryption, restore), then switch over."
)

_SUGGESTIONS_TF: dict[str, Callable[[_Target], str | None]] = {
    "AWS-RDS-002": _setting("publicly_accessible = false"),
    "AWS-RDS-001": _per_type(
        aws_db_instance=_setting(
            "storage_encrypted = true", f"kms_key_id        = {_KMS}", _RECREATE
        ),
        aws_rds_cluster=_setting(
            "storage_encrypted = true", f"kms_key_id        = {_KMS}", _RECREATE
        ),
    ),
    "AWS-RDS-006": _setting("iam_database_authentication_enabled = true"),
    "AWS-RDS-008": _setting("multi_az = true"),
    "AWS-RDS-013": _setting("copy_tags_to_snapshot = true"),
    "AWS-RS-001": _setting("encrypted  = true", f"kms_key_id = {_KMS}"),
    "AWS-RS-002": _setting("publicly_accessible = false"),
    "AWS-RS-006": _redshift_ssl,
    "AWS-NEP-001": _setting("storage_encrypted = true", f"kms_key_arn       = {_KMS}", _RECREATE),
    "AWS-NEP-003": _setting("iam_database_authentication_enabled = true"),
    "AWS-NEP-007": _setting("publicly_accessible = false"),
    "AWS-EC2-001": _ingress("the database port", (5432,), "database_client_cidr"),
    "AWS-EC2-002": _ingress("remote administration", (22,), "admin_cidr"),
    "AWS-EC2-004": _ingress_all,
    "AWS-EC2-101": _setting(
        "metadata_options {",
        '  http_endpoint = "enabled"',
        '  http_tokens   = "required" # IMDSv2 only',
        "}",
    ),
    "AWS-EC2-102": _per_type(
        aws_instance=_setting(
            "root_block_device {",
            "  encrypted  = true",
            f"  kms_key_id = {_KMS}",
            "}",
            "# A running instance is relaunched from an encrypted AMI copy.",
        ),
        aws_launch_configuration=_setting("root_block_device {", "  encrypted = true", "}"),
    ),
    "AWS-EC2-105": _per_type(
        aws_instance=_setting("associate_public_ip_address = false"),
        aws_launch_configuration=_setting("associate_public_ip_address = false"),
        aws_launch_template=_setting(
            "network_interfaces {", '  associate_public_ip_address = "false"', "}"
        ),
    ),
    "AWS-EBS-001": _setting("encrypted  = true", f"kms_key_id = {_KMS}", _RECREATE),
    "AWS-EC2-103": _per_type(
        aws_instance=_setting(
            "ebs_block_device {",
            "  # in every ebs_block_device block; device_name and the rest stay as they are",
            "  encrypted  = true",
            f"  kms_key_id = {_KMS}",
            "}",
            _RECREATE,
        ),
        aws_launch_configuration=_setting(
            "ebs_block_device {",
            "  # in every ebs_block_device block; device_name and the rest stay as they are",
            "  encrypted = true",
            "}",
        ),
    ),
    "AWS-EC2-104": _setting(
        "block_device_mappings {",
        "  # in every mapping of an EBS volume; device_name and the rest stay as they are",
        "  ebs {",
        '    encrypted  = "true"',
        f"    kms_key_id = {_KMS}",
        "  }",
        "}",
        "update_default_version = true # new instances launch from the fixed version",
    ),
    "AWS-EC2-107": _setting(
        'account_id = var.trusted_account_id # instead of group = "all"',
    ),
    "AWS-RDS-012": _per_type(aws_db_snapshot=_db_snapshot_copy),
    "AWS-EKS-005": _setting(
        "remote_access {",
        "  ec2_ssh_key               = var.ssh_key_name # unchanged",
        "  source_security_group_ids = [var.bastion_security_group_id]",
        "}",
        "# (or delete remote_access and reach the nodes with SSM Session Manager)",
        "# Changing remote_access replaces the node group.",
    ),
    "AWS-ELB-006": _setting(
        "listener {",
        "  lb_port            = 443",
        '  lb_protocol        = "https"',
        "  instance_port      = 80 # the port the instances serve",
        '  instance_protocol  = "http"',
        "  ssl_certificate_id = var.acm_certificate_arn",
        "}",
        "# and delete the listener whose lb_protocol is http or tcp",
    ),
    "AWS-EBS-003": _per_type(aws_ebs_snapshot=_snapshot_copy, aws_ebs_snapshot_copy=_snapshot_copy),
    "AWS-EFS-001": _setting("encrypted  = true", f"kms_key_id = {_KMS}", _RECREATE),
    "AWS-EKS-001": _setting(
        "encryption_config {",
        '  resources = ["secrets"]',
        "  provider {",
        f"    key_arn = {_KMS}",
        "  }",
        "}",
    ),
    "AWS-EKS-002": _setting(
        "vpc_config {",
        "  endpoint_private_access = true",
        "  endpoint_public_access  = false",
        "  # subnet_ids and security_group_ids stay as they are",
        "}",
    ),
    "AWS-EKS-003": _setting(
        'enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", '
        '"scheduler"]'
    ),
    "AWS-EC-001": _setting(
        "at_rest_encryption_enabled = true", f"kms_key_id                 = {_KMS}", _RECREATE
    ),
    "AWS-EC-002": _setting(
        "transit_encryption_enabled = true",
        'transit_encryption_mode    = "preferred" # "required" once every client uses TLS',
    ),
    "AWS-ELB-001": _listener_redirect,
    "AWS-ELB-002": _setting('ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"'),
    "AWS-ELB-003": _setting("drop_invalid_header_fields = true"),
    "AWS-ELB-007": _setting('desync_mitigation_mode = "defensive"'),
    "AWS-CF-001": _setting(
        "default_cache_behavior {",
        '  viewer_protocol_policy = "redirect-to-https"',
        "}",
        '# and viewer_protocol_policy = "redirect-to-https" in every ordered_cache_behavior',
    ),
    "AWS-CF-002": _setting(
        "viewer_certificate {",
        "  acm_certificate_arn      = var.acm_certificate_arn # issued in us-east-1",
        '  ssl_support_method       = "sni-only"',
        '  minimum_protocol_version = "TLSv1.2_2021"',
        "}",
    ),
    "AWS-CF-003": _setting(
        "origin {",
        "  # in every origin with a custom_origin_config:",
        "  custom_origin_config {",
        "    http_port              = 80",
        "    https_port             = 443",
        '    origin_protocol_policy = "https-only"',
        '    origin_ssl_protocols   = ["TLSv1.2"]',
        "  }",
        "}",
    ),
    "AWS-CF-004": _setting(
        "origin {",
        "  custom_origin_config {",
        '    origin_ssl_protocols = ["TLSv1.2"] # in every custom origin',
        "  }",
        "}",
    ),
    "AWS-OS-001": _setting(
        "encrypt_at_rest {", "  enabled    = true", f"  kms_key_id = {_KMS}", "}"
    ),
    "AWS-OS-002": _setting("node_to_node_encryption {", "  enabled = true", "}"),
    "AWS-OS-003": _per_type(
        aws_opensearch_domain=_setting(
            "domain_endpoint_options {",
            "  enforce_https       = true",
            f'  tls_security_policy = "{_TLS_POLICY}"',
            "}",
        ),
        aws_elasticsearch_domain=_setting(
            "domain_endpoint_options {",
            "  enforce_https       = true",
            f'  tls_security_policy = "{_TLS_POLICY_ES}"',
            "}",
        ),
    ),
    "AWS-OS-004": _per_type(
        aws_opensearch_domain=_setting(
            "domain_endpoint_options {", f'  tls_security_policy = "{_TLS_POLICY}"', "}"
        ),
        aws_elasticsearch_domain=_setting(
            "domain_endpoint_options {", f'  tls_security_policy = "{_TLS_POLICY_ES}"', "}"
        ),
    ),
    "AWS-LMB-002": _setting('authorization_type = "AWS_IAM"'),
    "AWS-GD-001": _setting("enable = true"),
    "AWS-CFG-002": _config_recorder,
    "AWS-CT-001": _setting(
        "is_multi_region_trail         = true", "include_global_service_events = true"
    ),
    "AWS-CT-004": _setting("enable_logging = true"),
    "AWS-CT-008": _setting("include_global_service_events = true"),
    "AWS-SGM-003": _setting(
        'direct_internet_access = "Disabled"',
        "subnet_id              = var.private_subnet_id",
        "security_groups        = [var.notebook_security_group_id]",
    ),
    "AWS-SGM-004": _setting('root_access = "Disabled"'),
    "AWS-TRF-001": _setting('protocols = ["SFTP"]'),
    "AWS-S3-003": _s3_kms,
    "AWS-S3-008": _s3_ownership,
    "AWS-S3-010": _s3_ownership,
    "AWS-SSM-001": _setting(
        'type   = "SecureString"',
        f"key_id = {_KMS}",
        "# and rotate the value: it was readable as plain text",
    ),
    "AWS-ECS-007": _setting(
        'network_mode = "awsvpc"',
        '# delete pid_mode and ipc_mode (or set them to "task")',
    ),
    "AWS-ECR-002": _setting('image_tag_mutability = "IMMUTABLE"'),
    "AWS-ECR-003": _setting("image_scanning_configuration {", "  scan_on_push = true", "}"),
    "AWS-DDB-001": _setting("point_in_time_recovery {", "  enabled = true", "}"),
    "AWS-NET-002": _setting("map_public_ip_on_launch = false"),
    "AWS-APIGW-006": _setting("xray_tracing_enabled = true"),
}


# --- SQL (PostgreSQL 15) -------------------------------------------------------------


def _pg_parts(t: _Target, kind: str) -> list[str] | None:
    """The names in a PostgreSQL address: a role's name, a schema's database and name, a
    table's database, schema and name; None when the address is not of that kind or is
    ambiguous (a name holding `/`)."""
    server = _PG_SERVER.match(t.address)
    if server is None:
        return None
    rest = t.address[server.end() :]
    if kind == "role":
        return [rest[len("?role=") :]] if rest.startswith("?role=") and len(rest) > 6 else None
    if kind == "server":
        return [] if rest == "" else None
    parts = rest.split("/")
    wanted = {"schema": 3, "table": 4}[kind]
    if len(parts) != wanted or parts[0] != "" or not all(parts[1:]):
        return None
    return parts[1:]


def _role(statement: str, why: str) -> Callable[[_Target], str | None]:
    def build(t: _Target) -> str | None:
        parts = _pg_parts(t, "role")
        if parts is None:
            return None
        return f"-- {why}\n" + statement.format(role=_ident(parts[0]))

    return build


def _table_rls(t: _Target) -> str | None:
    parts = _pg_parts(t, "table")
    if parts is None:
        return None
    database, schema, table = (_ident(p) for p in parts)
    return "\n".join([
        f"-- In database {database}. Write the policies first: with RLS on and no policy,",
        "-- only the owner and BYPASSRLS roles see rows. For example:",
        f"-- CREATE POLICY tenant_rows ON {schema}.{table}",
        "--     USING (tenant_id = current_setting('app.tenant_id')::bigint);",
        f"ALTER TABLE {schema}.{table} ENABLE ROW LEVEL SECURITY;",
        "-- and, if the application connects as the table's owner:",
        f"-- ALTER TABLE {schema}.{table} FORCE ROW LEVEL SECURITY;",
    ])  # fmt: skip


def _server(*settings: str, note: str = "") -> Callable[[_Target], str | None]:
    """ALTER SYSTEM lines (they cannot run inside a transaction block) and a reload."""

    def build(t: _Target) -> str | None:
        if _pg_parts(t, "server") is None:
            return None
        lines = [f"-- {note}"] if note else []
        lines.append("-- One statement at a time (psql does), outside BEGIN ... COMMIT.")
        lines += [f"ALTER SYSTEM SET {s};" for s in settings]
        lines.append("SELECT pg_reload_conf();")
        return "\n".join(lines)

    return build


_SUGGESTIONS_SQL: dict[str, Callable[[_Target], str | None]] = {
    "PG-ROLE-001": _role(
        "ALTER ROLE {role} NOSUPERUSER;",
        "Keep superuser to the admin roles; grant this one what its job needs (e.g. pg_monitor).",
    ),
    "PG-ROLE-003": _role(
        "ALTER ROLE {role} NOBYPASSRLS;",
        "Jobs that must see every row get a separate role without LOGIN.",
    ),
    "PG-TBL-001": _table_rls,
    "PG-SRV-001": _server(
        "ssl = on",
        note="Needs ssl_cert_file and ssl_key_file in place; require TLS with hostssl lines.",
    ),
    "PG-SRV-002": _server("ssl_min_protocol_version = 'TLSv1.2'"),
    "PG-SRV-003": _server(
        "password_encryption = 'scram-sha-256'",
        note="Then reset each role's password so it is stored as SCRAM.",
    ),
    "PG-SRV-004": _server("log_connections = on", "log_disconnections = on"),
    "PG-SRV-005": _server("log_statement = 'ddl'"),
}

_SUGGESTIONS: dict[str, tuple[str, Callable[[_Target], str | None]]] = {
    **{check: (TERRAFORM, build) for check, build in _SUGGESTIONS_TF.items()},
    **{check: (SQL, build) for check, build in _SUGGESTIONS_SQL.items()},
}

SUGGESTED_CHECKS = frozenset(_SUGGESTIONS)


def suggestion_kind(check_id: str) -> str | None:
    """TERRAFORM or SQL for a check that has a suggestion template, else None."""
    entry = _SUGGESTIONS.get(check_id)
    return entry[0] if entry else None


@dataclass(frozen=True)
class Advice:
    """What a report shows for a failing finding: a suggested change, or the command of
    its check's automatic fix."""

    finding: Finding
    suggestion: Suggestion | None
    automatic: str | None  # `opa-comply remediate plan --check <ID>`


def advice_for(finding: Finding) -> Advice | None:
    """The advice for a failing finding that has a suggestion or an automatic fix."""
    if finding.status is not Status.FAIL:
        return None
    command = automatic_fix_command(finding.check.check_id)
    if command is not None:
        return Advice(finding, None, command)
    suggestion = suggestion_for(finding)
    return Advice(finding, suggestion, None) if suggestion else None


def advice(findings: Iterable[Finding]) -> list[Advice]:
    """The advice for the failing findings that have some, in the order given."""
    return [a for a in map(advice_for, findings) if a is not None]
