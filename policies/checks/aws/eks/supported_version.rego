# METADATA
# title: EKS cluster runs an unsupported Kubernetes version
# description: >-
#   A Kubernetes version outside EKS support gets no security patches for the
#   control plane, its add-ons or the node AMIs, so known vulnerabilities stay
#   open.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EKS-004
#   severity: medium
#   resource_types: [aws_eks_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     pci_dss: ["6.3.3"]
#     soc2: ["CC7.1"]
#     iso27001: ["A.8.8"]
#   remediation: >-
#     Upgrade the cluster one minor version at a time to a version in the
#     supported_eks_versions parameter (keep that list in line with the EKS
#     release calendar), then upgrade node groups and add-ons.
package checks.aws.eks.supported_version

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "version") == "known"
	not r.attributes.version in params.value("supported_eks_versions")
	msg := sprintf("EKS cluster %q runs Kubernetes %s, not a supported version (%s)", [r.name, json.marshal(r.attributes.version), concat(", ", params.value("supported_eks_versions"))])
}

# Unset in a plan, the version is EKS's default at apply time.
findings contains result.indeterminate(metadata, r, msg, ["version"]) if {
	some r in resources
	state := result.attribute_state(r, "version")
	state != "known"
	msg := sprintf("EKS cluster %q: version is %s", [r.name, result.state_text[state]])
}
