# METADATA
# title: Personal data stored outside the allowed regions
# description: >-
#   Personal data stored in a region outside the allowed ones (by default the
#   EU/EEA regions) is a transfer to a third country, lawful only under an
#   adequacy decision or appropriate safeguards; data residency keeps it where
#   the transfer assessment says it may be.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-REG-001
#   severity: high
#   resource_types:
#     - aws_db_instance
#     - aws_rds_cluster
#     - aws_db_snapshot
#     - aws_db_cluster_snapshot
#     - aws_s3_bucket
#     - aws_dynamodb_table
#     - aws_redshift_cluster
#     - aws_ebs_volume
#     - aws_elasticache_replication_group
#     - aws_sagemaker_notebook_instance
#     - aws_sagemaker_model
#     - aws_cloudwatch_log_group
#     - aws_backup_vault
#     - aws_secretsmanager_secret
#   controls:
#     gdpr: ["Art.44", "Art.46(1)"]
#     iso27001: ["A.5.34", "A.5.31"]
#   remediation: >-
#     Move the data to an allowed region (restore a snapshot or replicate there,
#     then delete the copy outside), or, where the transfer is lawful under an
#     adequacy decision or appropriate safeguards, add the region to
#     allowed_regions with `opa-comply scan --config`.
package checks.aws.residency.personal_data_region

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only resources holding personal data (lib.tags.personal) are in scope.
resources := {r | some r in inventory.of(metadata); tags.personal(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	region := _region(r)
	not region in params.value("allowed_regions")
	msg := sprintf("%s %q holds personal data (%s) in region %q, outside allowed_regions", [
		r.type, r.name, _classes(r), region,
	])
}

# The region is a common field: null or absent means it was not collected.
findings contains result.indeterminate(metadata, r, msg, ["region"]) if {
	some r in resources
	not _region(r)
	msg := sprintf("%s %q holds personal data (%s) but its region is not recorded", [r.type, r.name, _classes(r)])
}

_region(r) := r.region if {
	is_string(r.region)
	trim_space(r.region) != ""
}

_classes(r) := concat(", ", sort([c |
	some c in tags.data_classes(r)
	c in params.value("personal_data_classes")
]))
