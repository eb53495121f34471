# METADATA
# title: Security group opens a database port to the internet
# description: >-
#   An ingress rule from 0.0.0.0/0 or ::/0 that covers a database port lets
#   anyone on the internet try to connect to the database.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-001
#   severity: critical
#   resource_types: [aws_security_group]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.4"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Restrict the ingress rule to the application's security group or to
#     private CIDR ranges; reach databases through a VPN or bastion.
package checks.aws.ec2.security_group_open_db_port

import data.lib.inventory
import data.lib.result

# PostgreSQL, MySQL/MariaDB/Aurora, SQL Server, Oracle, Redshift, MongoDB,
# Redis, Cassandra, Elasticsearch/OpenSearch.
database_ports := {5432, 3306, 1433, 1521, 5439, 27017, 6379, 9042, 9200}

open_cidrs := {"0.0.0.0/0", "::/0"}

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "ingress") == "known"
	exposed := _exposed_ports(r)
	count(exposed) > 0
	ports := concat(", ", [sprintf("%d", [p]) | some p in sort(exposed)])
	msg := sprintf("security group %q allows the internet to database port(s) %s", [r.name, ports])
}

findings contains result.indeterminate(metadata, r, msg, ["ingress"]) if {
	some r in resources
	state := result.attribute_state(r, "ingress")
	state != "known"
	msg := sprintf("security group %q: ingress is %s", [r.name, result.state_text[state]])
}

# A port is exposed when the CIDRs of the rules covering it reach the whole
# internet: per rule or added up over several rules for the same port.
_exposed_ports(r) := {port |
	some port in database_ports
	_open_to_world([cidr |
		some rule in r.attributes.ingress
		_covers(rule, port)
		some cidr in array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
	])
}

# The whole internet: 0.0.0.0/0 or ::/0, any /0 prefix (whatever its base
# address), or CIDRs of one family that merge into it (0.0.0.0/1 with
# 128.0.0.0/1). The families are merged apart (net.cidr_merge folds IPv4 into
# IPv6), and malformed CIDRs are skipped rather than raise an error.
_open_to_world(cidrs) if {
	some family in [false, true]
	valid := [cidr |
		some cidr in cidrs
		is_string(cidr)
		net.cidr_is_valid(cidr)
		contains(cidr, ":") == family
	]
	some merged in net.cidr_merge(valid)
	merged in open_cidrs
}

# Protocol -1 means every protocol and port.
_covers(rule, _) if lower(rule.protocol) in {"-1", "all"}

_covers(rule, port) if {
	lower(rule.protocol) in {"tcp", "6"}
	rule.from_port <= port
	port <= rule.to_port
}
