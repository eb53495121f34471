package lib.params_test

import data.lib.params
import data.lib.tags

test_default_value_comes_from_config if {
	params.value("minimum_log_retention_days") == 365 with input as {}
}

test_scan_parameter_overrides_the_default if {
	params.value("minimum_log_retention_days") == 400 with input as {"parameters": {"minimum_log_retention_days": 400}}
}

test_false_override_is_still_an_override if {
	params.value("flag") == false with input as {"parameters": {"flag": false}} with data.config as {"flag": true}
}

test_unknown_parameter_is_undefined if {
	not params.value("no_such_parameter") with input as {}
}

test_data_classes_merge_field_and_tags if {
	r := {"data_classes": ["pii"], "tags": {"DataClassification": "PHI, confidential"}}
	tags.data_classes(r) == {"pii", "phi", "confidential"} with input as {}
}

test_classified_and_personal if {
	tags.classified({"data_classes": ["pci"]}) with input as {}
	not tags.personal({"data_classes": ["pci"]}) with input as {}
	tags.personal({"tags": {"Classification": "pii"}}) with input as {}
	not tags.classified({"data_classes": ["public"]}) with input as {}
}

test_production_and_sensitivity_from_tags if {
	tags.production({"tags": {"Environment": "Production"}}) with input as {}
	not tags.production({"tags": {"Environment": "staging"}}) with input as {}
	not tags.production({}) with input as {}
	tags.high_sensitivity({"tags": {"ModelRisk": "High"}}) with input as {}
	not tags.high_sensitivity({"tags": {"ModelRisk": "low"}}) with input as {}
}

test_tag_value_takes_the_first_configured_key if {
	tags.tag_value({"tags": {"env": "dev", "Environment": "prod"}}, ["Environment", "env"]) == "prod"
}

test_empty_tag_does_not_hide_a_later_key if {
	tags.production({"tags": {"Environment": "", "env": "prod"}}) with input as {}
	tags.production({"tags": {"Environment": "production "}}) with input as {}
	tags.tag_value({"tags": {"Purpose": " Audit-Logs "}}, ["Purpose"]) == "Audit-Logs"
}
