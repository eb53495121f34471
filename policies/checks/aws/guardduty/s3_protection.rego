# METADATA
# title: GuardDuty detector without S3 data-event protection
# description: >-
#   Without S3 Protection GuardDuty watches no S3 data events, so bulk
#   downloads from unusual places, access with stolen credentials and
#   deliberate disabling of bucket logging go unflagged in the buckets that
#   hold the data. Other detector features can be required too.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-GD-002
#   severity: medium
#   resource_types: [aws_guardduty_detector]
#   controls:
#     gdpr: ["Art.32(1)(d)", "Art.33(1)"]
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"]
#     pci_dss: ["10.4.1", "11.5.1"]
#     soc2: ["CC7.2", "CC7.3"]
#     iso27001: ["A.8.16", "A.5.25"]
#   remediation: >-
#     Add an aws_guardduty_detector_feature with name = "S3_DATA_EVENTS" and
#     status = "ENABLED" for the detector (and for each other feature listed in
#     guardduty_required_features), or let the organization's delegated
#     administrator enable it for all accounts.
package checks.aws.guardduty.s3_protection

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	off := [name |
		some name in params.value("guardduty_required_features")
		_state(r, name) == "off"
	]
	count(off) > 0
	msg := sprintf("GuardDuty detector %q in %s does not have %s enabled", [r.name, _where(r), concat(", ", sort(off))])
}

findings contains result.indeterminate(metadata, r, msg, ["features"]) if {
	some r in resources
	every name in params.value("guardduty_required_features") {
		_state(r, name) != "off"
	}
	undecided := [name |
		some name in params.value("guardduty_required_features")
		_state(r, name) == "undecided"
	]
	count(undecided) > 0
	msg := sprintf("GuardDuty detector %q in %s: features is %s, so %s cannot be confirmed", [r.name, _where(r), _features_text(r), concat(", ", sort(undecided))])
}

# "on", "off" or "undecided" for one required feature. The legacy datasources
# block (s3_logs.enable) counts for S3_DATA_EVENTS.
_state(r, name) := "on" if {
	_enabled(r, name)
} else := "on" if {
	name == "S3_DATA_EVENTS"
	_legacy_s3(r) == true
} else := "off" if {
	_features_read(r)
	_feature_listed_off(r, name)
	not _legacy_s3_undecided(r, name)
} else := "off" if {
	_features_read(r)
	not _listed(r, name)
	not _legacy_s3_undecided(r, name)
} else := "undecided"

_features_read(r) if {
	result.attribute_state(r, "features") == "known"
	is_array(r.attributes.features)
}

_enabled(r, name) if {
	_features_read(r)
	some f in r.attributes.features
	object.get(f, "name", "") == name
	upper(object.get(f, "status", "")) == "ENABLED"
}

_listed(r, name) if {
	some f in r.attributes.features
	object.get(f, "name", "") == name
}

# Listed with a readable status other than ENABLED.
_feature_listed_off(r, name) if {
	some f in r.attributes.features
	object.get(f, "name", "") == name
	is_string(object.get(f, "status", null))
}

_legacy_s3(r) := r.attributes.datasources.s3_logs.enable if {
	result.attribute_state(r, "datasources.s3_logs.enable") == "known"
	is_boolean(r.attributes.datasources.s3_logs.enable)
}

# The legacy block may still turn S3 protection on: unknown in a plan.
_legacy_s3_undecided(r, "S3_DATA_EVENTS") if result.attribute_state(r, "datasources.s3_logs.enable") == "unknown"

_features_text(r) := result.state_text[state] if {
	state := result.attribute_state(r, "features")
	state != "known"
} else := "not a list of features" if {
	not is_array(r.attributes.features)
} else := "incomplete"

_where(r) := sprintf("account %s, region %s", [_text(object.get(r, "account", null)), _text(object.get(r, "region", null))])

_text(value) := value if is_string(value)

_text(value) := "unknown" if not is_string(value)
