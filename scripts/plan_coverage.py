"""How much of a Terraform plan our checks judge: the plan coverage.

For each plan, every AWS managed resource the plan creates or updates (`resource_changes`
with mode "managed", an `aws` provider and a "create" or "update" action; a plan with
planned values only is read as creating them, as the adapter reads it) is one of:

- judged: at least one check evaluated it. The plan is adapted by the real plan adapter
  and evaluated by the real OPA with every bundled check (the scan's own code path); a
  resource is judged when its address is in some check's `evaluated` list. A split
  resource the adapter folds into its parent (an S3 bucket's versioning or public access
  block, a security-group rule, a parameter group folded into the database that uses it,
  a flow log attached to its VPC, a metric filter joined to the trail whose log group it
  watches) is judged when its parent is.
- out of scope: its type carries no compliance-relevant setting of its own (OUT_OF_SCOPE
  below, each with the reason). Never counted as judged, even if a check looked at it.
- uncovered: anything else, including types the adapter does not know at all.

The figure is judged / (all - out of scope). Deletions, reads, no-op changes, data
sources and other providers are not counted.

Usage: python scripts/plan_coverage.py PLAN.json... [--format table|json] [--skip-unreadable]
       [--policies DIR]

Exit 0 with the report; 2 when an input is not a readable plan (one line on stderr; with
--skip-unreadable such a file is reported and left out instead); 3 when OPA fails, or when
the adapter folds resources this script cannot place (folded_into() is out of date).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance_opa.app.evaluate import run_scan
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.errors import ComplianceError, ExitCode, InputError
from compliance_opa.inventory.load import Inventory, load_inventory, parse_json
from compliance_opa.inventory.terraform import plan as adapter

PROG = "plan_coverage.py"

# Types that carry no setting a compliance check could judge: links between resources,
# names for other resources, and forwarding entries whose effect is decided where
# exposure is configured (security groups, network ACLs, public IP settings, the resource
# itself). Each reason says where the setting that matters lives. A type stays in scope
# when any of its own arguments can weaken a control (an IAM policy attachment names the
# policy it grants, an S3 ACL can make a bucket public, a target group chooses HTTP or
# HTTPS to its targets), whether or not a check judges it yet. The integration test keeps
# this list disjoint from every check's resource_types.
_ROUTES = "security groups, network ACLs and public IP settings decide what is reachable"
OUT_OF_SCOPE: dict[str, str] = {
    "aws_route_table_association": (
        "links a subnet or gateway to a route table: two ids, no setting of its own"
    ),
    "aws_main_route_table_association": (
        "makes a route table the VPC's main one: two ids, no setting of its own"
    ),
    "aws_route": f"one forwarding entry, no access setting; {_ROUTES}",
    "aws_route_table": f"forwarding entries (as aws_route) and tags, no access setting; {_ROUTES}",
    "aws_eip": (
        "allocates a public address; what it exposes is set on the instance, interface or"
        " NAT gateway it is bound to and their security groups"
    ),
    "aws_eip_association": "binds an Elastic IP to an instance or interface: ids only",
    "aws_internet_gateway": f"a VPC id and tags only; {_ROUTES}",
    "aws_egress_only_internet_gateway": "an outbound-only IPv6 gateway: a VPC id and tags only",
    "aws_nat_gateway": (
        "outbound address translation for private subnets: a subnet, an address and a"
        " connectivity type, none of which weakens a control"
    ),
    "aws_kms_alias": "a display name for a KMS key; rotation and key policy are set on the key",
    "aws_volume_attachment": (
        "binds an EBS volume to an instance (device name and ids); encryption is set on the volume"
    ),
    "aws_network_interface_attachment": "binds a network interface to an instance: ids only",
    "aws_network_interface_sg_attachment": (
        "binds a security group to a network interface: ids only; the rules are set on the"
        " security group"
    ),
    "aws_lb_target_group_attachment": "registers a target in a target group: ids and a port",
    "aws_alb_target_group_attachment": "registers a target in a target group: ids and a port",
    "aws_autoscaling_attachment": "binds an Auto Scaling group to a load balancer: ids only",
    "aws_iam_user_group_membership": (
        "puts a user in groups: names only; what it grants is set by the groups' policies"
    ),
    "aws_iam_group_membership": (
        "puts users in a group: names only; what it grants is set by the group's policies"
    ),
    "aws_iam_service_linked_role": (
        "its trust and permissions are fixed by AWS for the service, not set by the configuration"
    ),
    "aws_db_subnet_group": (
        "only the subnets a database may be placed in; reachability is set on the database"
        " (publicly_accessible) and its security groups"
    ),
    "aws_elasticache_subnet_group": (
        "only the subnets a cache may be placed in; reachability is set by its security groups"
    ),
    "aws_redshift_subnet_group": (
        "only the subnets a cluster may be placed in; reachability is set on the cluster"
        " (publicly_accessible) and its security groups"
    ),
    "aws_neptune_subnet_group": (
        "only the subnets a graph database may be placed in; reachability is set by its"
        " security groups"
    ),
    "aws_docdb_subnet_group": (
        "only the subnets a document database may be placed in; reachability is set by its"
        " security groups"
    ),
    "aws_vpc_dhcp_options_association": "binds a DHCP option set to a VPC: ids only",
    "aws_vpc_endpoint_route_table_association": (
        "adds a gateway endpoint's route to a table: ids only; the policy is set on the endpoint"
    ),
    "aws_vpc_endpoint_subnet_association": (
        "places an interface endpoint in a subnet: ids only; the policy is set on the endpoint"
    ),
    "aws_acm_certificate_validation": (
        "waits until a certificate is validated: no setting; key and domains are set on the"
        " certificate"
    ),
    "aws_api_gateway_deployment": (
        "a snapshot of a REST API for its stages; logging, TLS, caching and authorization are"
        " set on stages and methods"
    ),
    "aws_api_gateway_resource": (
        "a path segment of a REST API; authorization is set on its methods"
    ),
    "aws_api_gateway_method_response": "status codes and response models: no security setting",
    "aws_api_gateway_integration_response": "response mappings: no security setting",
    "aws_cloudwatch_log_stream": (
        "a stream inside a log group; retention and encryption are set on the group"
    ),
}

_ACTIONS = ("create", "update")  # a replacement (delete + create) counts as a create


def is_aws(provider: Any, resource_type: str) -> bool:
    """`registry.terraform.io/hashicorp/aws`, `aws` or an old-format alias `aws.west`;
    no provider name (a hand-trimmed plan): by the type's prefix."""
    if not isinstance(provider, str) or not provider:
        return resource_type.startswith("aws_")
    return provider.rsplit("/", 1)[-1].split(".")[0] == "aws"


@dataclass(frozen=True)
class Counted:
    """One AWS managed resource the plan creates or updates."""

    address: str
    type: str


def counted_resources(document: dict[str, Any]) -> list[Counted]:
    """What the plan creates or updates, AWS and managed, in file order."""
    changes = document.get("resource_changes")
    if changes is None:
        return list(_planned(document))
    return [
        Counted(str(entry["address"]), str(entry["type"]))
        for entry in changes
        if entry.get("mode") == "managed"
        and is_aws(entry.get("provider_name"), str(entry["type"]))
        and any(action in _ACTIONS for action in entry["change"]["actions"])
    ]


def _planned(document: dict[str, Any]) -> Iterable[Counted]:
    """Planned values only: every managed AWS resource, as the adapter reads them (created)."""
    stack = [(document.get("planned_values") or {}).get("root_module") or {}]
    while stack:
        module = stack.pop()
        for resource in module.get("resources") or []:
            if resource.get("mode") == "managed" and is_aws(
                resource.get("provider_name"), str(resource["type"])
            ):
                yield Counted(str(resource["address"]), str(resource["type"]))
        stack.extend(reversed(module.get("child_modules") or []))


def folded_into(document: dict[str, Any], path: Path) -> dict[str, list[str]]:
    """Split or attached resource address -> the addresses of the resources the adapter
    folds it into (one parent for a split resource; every user of a parameter group; every
    trail whose log group a metric filter watches). Taken from the adapter's own fold."""
    changes, _skipped, _folded, _unmatched = adapter.folded_changes(document, path)
    return {c.address: list(c.parents) for c in changes if c.parents}


@dataclass
class PlanInput:
    """One plan read and adapted, before evaluation."""

    path: Path
    inventory: Inventory
    counted: list[Counted]
    parents: dict[str, list[str]]


def read_plan_input(path: Path) -> PlanInput:
    """The plan at ``path``, adapted as a scan adapts it; InputError when it is not one."""
    inventory = load_inventory(path)  # every check and error message a scan has
    document = parse_json(path, path.read_bytes())
    if not adapter.is_plan(document):
        raise InputError(f"{path}: not a Terraform plan (`terraform show -json` output)")
    parents = folded_into(document, path)
    found = sum(len(p) for p in parents.values())
    if found != _adapter_folds(inventory):
        # The script's fault, not the plan's: never skipped as an unreadable plan.
        raise ComplianceError(
            f"{path}: the adapter folded {_adapter_folds(inventory)} split resources,"
            f" {PROG} found {found}: bring folded_into() up to date with the adapter"
        )
    return PlanInput(path, inventory, counted_resources(document), parents)


def _adapter_folds(inventory: Inventory) -> int:
    """How many split resources the adapter says it folded (its source detail)."""
    for source in inventory.document["sources"]:
        match = re.search(r"(\d+) split resources folded in", str(source.get("detail", "")))
        if match:
            return int(match.group(1))
    return 0


@dataclass
class TypeFigures:
    resources: int = 0
    judged: int = 0
    folded: int = 0  # judged through the parent it is folded into


@dataclass
class Coverage:
    """The figures over every plan read."""

    plans: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    types: dict[str, TypeFigures] = field(default_factory=dict)
    out_of_scope_judged: set[str] = field(default_factory=set)  # the list may be wrong

    def add(self, plan: PlanInput, evaluated: set[str]) -> None:
        judged_here = out_here = 0
        for resource in plan.counted:
            figures = self.types.setdefault(resource.type, TypeFigures())
            figures.resources += 1
            parents = plan.parents.get(resource.address, [])
            folded = any(p in evaluated for p in parents)
            if resource.type in OUT_OF_SCOPE:
                out_here += 1
                if resource.address in evaluated or folded:
                    self.out_of_scope_judged.add(resource.type)
            elif resource.address in evaluated or folded:
                figures.judged += 1
                judged_here += 1
                if resource.address not in evaluated:
                    figures.folded += 1
        self.plans.append(
            {
                "path": str(plan.path),
                "resources": len(plan.counted),
                "out_of_scope": out_here,
                "judged": judged_here,
                "share": _share(judged_here, len(plan.counted) - out_here),
            }
        )

    def as_json(self) -> dict[str, Any]:
        total = sum(f.resources for f in self.types.values())
        out = sum(f.resources for t, f in self.types.items() if t in OUT_OF_SCOPE)
        judged = sum(f.judged for f in self.types.values())
        in_scope = {t: f for t, f in sorted(self.types.items()) if t not in OUT_OF_SCOPE}
        return {
            "plans": self.plans,
            "refused": self.refused,
            "resources": total,
            "out_of_scope": out,
            "in_scope": total - out,
            "judged": judged,
            "folded": sum(f.folded for f in self.types.values()),
            "share": _share(judged, total - out),
            "types": [
                {
                    "type": name,
                    "resources": f.resources,
                    "judged": f.judged,
                    "folded": f.folded,
                    "status": _status(f),
                }
                for name, f in in_scope.items()
            ],
            "uncovered_types": [t for t, f in in_scope.items() if f.judged == 0],
            "partly_judged_types": [t for t, f in in_scope.items() if 0 < f.judged < f.resources],
            "out_of_scope_types": [
                {"type": t, "resources": f.resources, "reason": OUT_OF_SCOPE[t]}
                for t, f in sorted(self.types.items())
                if t in OUT_OF_SCOPE
            ],
            "out_of_scope_but_judged": sorted(self.out_of_scope_judged),
        }


def _share(judged: int, in_scope: int) -> float | None:
    return round(judged / in_scope, 4) if in_scope else None


def _status(figures: TypeFigures) -> str:
    if figures.judged == 0:
        return "uncovered"
    return "judged" if figures.judged == figures.resources else "partly judged"


def evaluated_addresses(inventory: Inventory, client: Evaluator) -> set[str]:
    """Every address some check evaluated, from a scan of this one inventory."""
    report = run_scan([inventory], client, summarize=False)
    return {address for result in report.results for address in result.evaluated}


def measure(
    plans: Sequence[PlanInput],
    settings: EngineSettings | None = None,
    coverage: Coverage | None = None,
) -> Coverage:
    """Evaluate every plan with one OPA and count."""
    coverage = coverage or Coverage()
    with open_engine(settings or EngineSettings()) as client:
        for plan in plans:
            coverage.add(plan, evaluated_addresses(plan.inventory, client))
    return coverage


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f}%"


def render_table(report: dict[str, Any]) -> str:
    lines = [
        f"plans: {len(report['plans'])} read"
        + (f", {len(report['refused'])} refused" if report["refused"] else ""),
        f"AWS managed resources created or updated: {report['resources']}"
        f" ({report['out_of_scope']} out of scope, {report['in_scope']} in scope)",
        f"judged by at least one check: {report['judged']} of {report['in_scope']}"
        f" = {_percent(report['share'])}"
        f" ({report['folded']} of them split resources judged through their parent)",
        "",
    ]
    rows = [("type", "resources", "judged", "folded", "status")]
    rows += [
        (t["type"], str(t["resources"]), str(t["judged"]), str(t["folded"]), t["status"])
        for t in report["types"]
    ]
    rows += [
        (t["type"], str(t["resources"]), "-", "-", "out of scope")
        for t in report["out_of_scope_types"]
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:4], widths[1:4], strict=True)
        ]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    lines.append("")
    lines.append("uncovered types: " + (", ".join(report["uncovered_types"]) or "none"))
    if report["partly_judged_types"]:
        lines.append("partly judged types: " + ", ".join(report["partly_judged_types"]))
    if report["out_of_scope_types"]:
        lines.append("out of scope:")
        lines += [f"  {t['type']}: {t['reason']}" for t in report["out_of_scope_types"]]
    if report["out_of_scope_but_judged"]:
        lines.append(
            "out of scope but judged by a check (remove them from OUT_OF_SCOPE): "
            + ", ".join(report["out_of_scope_but_judged"])
        )
    for plan in report["plans"]:
        lines.append(
            f"plan {plan['path']}: {plan['judged']} of {plan['resources'] - plan['out_of_scope']}"
            f" judged ({_percent(plan['share'])})"
        )
    for refused in report["refused"]:
        lines.append(f"refused: {refused['error']}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("plans", nargs="+", type=Path, metavar="PLAN.json")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument(
        "--policies",
        type=Path,
        help="policy directory for the managed OPA (default: the bundled policies)",
    )
    parser.add_argument(
        "--skip-unreadable",
        action="store_true",
        help="report a file that is not a readable plan and go on (default: exit 2)",
    )
    args = parser.parse_args(argv)
    coverage = Coverage()
    plans: list[PlanInput] = []
    try:
        for path in args.plans:
            try:
                plans.append(read_plan_input(path))
            except InputError as exc:
                if not args.skip_unreadable:
                    raise
                coverage.refused.append({"path": str(path), "error": _one_line(exc)})
        measure(plans, EngineSettings(policies=args.policies), coverage)
    except ComplianceError as exc:
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return int(exc.exit_code)
    report = coverage.as_json()
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(render_table(report))
    return int(ExitCode.OK)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":
    sys.exit(main())
