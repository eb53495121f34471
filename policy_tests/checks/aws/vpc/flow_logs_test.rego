package checks.aws.vpc.flow_logs_test

import data.checks.aws.vpc.flow_logs as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NET-001",
	"title": "VPC has no flow log of rejected traffic",
	"description": "Without a flow log recording rejected (or all) traffic, a VPC leaves no record of port scans, blocked exfiltration attempts or which addresses talked to a compromised instance.",
	"severity": "medium",
	"resource_types": ["aws_vpc"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16", "A.8.20"],
	},
	"remediation": "Add an aws_flow_log with vpc_id naming the VPC, traffic_type = \"ALL\" (or at least \"REJECT\"), delivered to CloudWatch Logs or S3 with a retention that meets the logging policy.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_all_traffic if {
	r := _resource("aws_vpc", "main", {"cidr_block": "10.0.0.0/16", "flow_logs": [{"traffic_type": "ALL", "log_destination_type": "s3"}]}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_rejected_traffic if {
	r := _resource("aws_vpc", "main", {"flow_logs": [{"traffic_type": "ACCEPT"}, {"traffic_type": "REJECT"}]}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_no_flow_log if {
	r := _resource("aws_vpc", "main", {"flow_logs": []}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "VPC \"main\" has no flow log")}
}

test_fail_accepted_only if {
	r := _resource("aws_vpc", "main", {"flow_logs": [{"traffic_type": "ACCEPT"}]}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "VPC \"main\" flow logs record only accepted traffic (no traffic_type ALL or REJECT)")}
}

test_missing_flow_logs if {
	r := _resource("aws_vpc", "main", {"cidr_block": "10.0.0.0/16"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "VPC \"main\": flow_logs is missing from the inventory", ["flow_logs"])}
}

test_unknown_flow_logs if {
	r := _resource("aws_vpc", "main", {}, {"unknown": ["flow_logs"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "VPC \"main\": flow_logs is known only after apply", ["flow_logs"])}
}
