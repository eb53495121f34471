# METADATA
# title: EKS node group allows SSH from anywhere
# description: >-
#   A node group with an SSH key in remote_access but no source security
#   groups opens port 22 on every node to the internet (0.0.0.0/0).
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EKS-005
#   severity: high
#   resource_types: [aws_eks_node_group]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.5"]
#   remediation: >-
#     Remove remote_access and reach nodes with SSM Session Manager, or list
#     the bastion's security group in remote_access.source_security_group_ids.
package checks.aws.eks.node_group_ssh_open

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_ssh_key(r)
	result.attribute_state(r, "remote_access.source_security_group_ids") == "known"
	not _has_sources(r.attributes.remote_access.source_security_group_ids)
	msg := sprintf("EKS node group %q allows SSH to its nodes from anywhere (remote_access has a key and no source_security_group_ids)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["remote_access.source_security_group_ids"]) if {
	some r in resources
	_ssh_key(r)
	state := result.attribute_state(r, "remote_access.source_security_group_ids")
	state != "known"
	msg := sprintf("EKS node group %q: remote_access.source_security_group_ids is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["remote_access"]) if {
	some r in resources
	not is_object(object.get(r.attributes, "remote_access", null))
	state := result.attribute_state(r, "remote_access")
	state != "known"
	msg := sprintf("EKS node group %q: remote_access is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["remote_access.ec2_ssh_key"]) if {
	some r in resources
	is_object(object.get(r.attributes, "remote_access", null))
	state := result.attribute_state(r, "remote_access.ec2_ssh_key")
	state != "known"
	msg := sprintf("EKS node group %q: remote_access.ec2_ssh_key is %s", [r.name, result.state_text[state]])
}

_ssh_key(r) if {
	result.attribute_state(r, "remote_access.ec2_ssh_key") == "known"
	is_string(r.attributes.remote_access.ec2_ssh_key)
	r.attributes.remote_access.ec2_ssh_key != ""
}

_has_sources(ids) if {
	is_array(ids)
	count(ids) > 0
}
