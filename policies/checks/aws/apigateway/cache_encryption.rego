# METADATA
# title: API Gateway response cache not encrypted
# description: >-
#   A stage cache holds API responses, often personal or account data; with
#   caching on and cache_data_encrypted off they are stored unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-APIGW-005
#   severity: medium
#   resource_types: [aws_api_gateway_method_settings]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set settings.cache_data_encrypted = true wherever settings.caching_enabled
#     is true.
package checks.aws.apigateway.cache_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "settings.caching_enabled") == "known"
	r.attributes.settings.caching_enabled == true
	result.attribute_state(r, "settings.cache_data_encrypted") == "known"
	r.attributes.settings.cache_data_encrypted != true
	msg := sprintf("API Gateway method settings %q cache responses unencrypted (%v)", [r.name, object.get(r.attributes, "method_path", "?")])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.caching_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "settings.caching_enabled")
	state != "known"
	msg := sprintf("API Gateway method settings %q: settings.caching_enabled is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["settings.cache_data_encrypted"]) if {
	some r in resources
	result.attribute_state(r, "settings.caching_enabled") == "known"
	r.attributes.settings.caching_enabled == true
	state := result.attribute_state(r, "settings.cache_data_encrypted")
	state != "known"
	msg := sprintf("API Gateway method settings %q cache responses; settings.cache_data_encrypted is %s", [r.name, result.state_text[state]])
}
