# METADATA
# title: EKS control-plane audit logs not enabled
# description: >-
#   Without the audit and authenticator control-plane logs there is no record
#   of who called the Kubernetes API, with which identity, and what they
#   changed or read (secrets included).
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EKS-003
#   severity: medium
#   resource_types: [aws_eks_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.2"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Set enabled_cluster_log_types to include every type in the
#     required_eks_log_types parameter (by default api, audit and
#     authenticator), and give the /aws/eks/<cluster>/cluster log group a
#     retention period.
package checks.aws.eks.control_plane_logging

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enabled_cluster_log_types") == "known"
	enabled := {t | some t in object.get(r.attributes, "enabled_cluster_log_types", null)}
	absent := {t | some t in params.value("required_eks_log_types")} - enabled
	count(absent) > 0
	msg := sprintf("EKS cluster %q does not send control-plane log type(s) %s to CloudWatch Logs", [r.name, concat(", ", sort(absent))])
}

findings contains result.indeterminate(metadata, r, msg, ["enabled_cluster_log_types"]) if {
	some r in resources
	state := result.attribute_state(r, "enabled_cluster_log_types")
	state != "known"
	msg := sprintf("EKS cluster %q: enabled_cluster_log_types is %s", [r.name, result.state_text[state]])
}
