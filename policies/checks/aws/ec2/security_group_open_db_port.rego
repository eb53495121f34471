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
# Each rule's CIDRs and the ports it covers are read once (not once per port), and
# only ports some rule with a CIDR covers are merged: most groups open one or two.
_exposed_ports(r) := {port |
	covering := [[ports, cidrs] |
		some rule in r.attributes.ingress
		ports := _covered(rule)
		count(ports) > 0 # before the CIDRs: they are read only for a rule covering a port, as before
		cidrs := array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
		count(cidrs) > 0
	]
	some port in {p | some c in covering; some p in c[0]}
	_open_to_world([cidr | some c in covering; port in c[0]; some cidr in c[1]])
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

# The ports of database_ports a rule covers. Protocol -1 means every protocol and port.
_covered(rule) := database_ports if lower(rule.protocol) in {"-1", "all"}

_covered(rule) := {port |
	some port in database_ports
	rule.from_port <= port
	port <= rule.to_port
} if lower(rule.protocol) in {"tcp", "6"}
