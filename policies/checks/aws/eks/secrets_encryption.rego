# METADATA
# title: EKS cluster does not envelope-encrypt Kubernetes secrets
# description: >-
#   Without an encryption_config for "secrets", Kubernetes Secrets sit in etcd
#   protected only by the volume encryption AWS manages; envelope encryption
#   with a KMS key adds a layer the cluster owner controls and can audit.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EKS-001
#   severity: high
#   resource_types: [aws_eks_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.6.1", "8.3.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24", "A.5.17"]
#   remediation: >-
#     Add encryption_config { resources = ["secrets"] provider { key_arn =
#     <customer KMS key ARN> } } (or associate-encryption-config on a running
#     cluster; it cannot be removed afterwards), then rewrite existing secrets
#     so they are encrypted with the key.
package checks.aws.eks.secrets_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encryption_config") == "known"
	r.attributes.encryption_config == null
	msg := sprintf("EKS cluster %q has no encryption_config: Kubernetes secrets are not envelope-encrypted with a KMS key", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_block(r)
	result.attribute_state(r, "encryption_config.resources") == "known"
	not "secrets" in object.get(r.attributes.encryption_config, "resources", [])
	msg := sprintf("EKS cluster %q encryption_config does not cover secrets (resources = %s)", [r.name, json.marshal(r.attributes.encryption_config.resources)])
}

findings contains result.indeterminate(metadata, r, msg, ["encryption_config.resources"]) if {
	some r in resources
	_block(r)
	state := result.attribute_state(r, "encryption_config.resources")
	state != "known"
	msg := sprintf("EKS cluster %q: encryption_config.resources is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["encryption_config"]) if {
	some r in resources
	not _block(r)
	state := result.attribute_state(r, "encryption_config")
	state != "known"
	msg := sprintf("EKS cluster %q: encryption_config is %s", [r.name, result.state_text[state]])
}

_block(r) if is_object(object.get(r.attributes, "encryption_config", null))
