package lib.inventory_test

import data.lib.inventory

_resource(type, name) := {
	"address": sprintf("%s.%s", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"attributes": {},
}

_db := _resource("aws_db_instance", "orders")

_replica := _resource("aws_db_instance", "orders-replica")

_cluster := _resource("aws_rds_cluster", "analytics")

_bucket := _resource("aws_s3_bucket", "invoices")

_input := {"resources": [_db, _bucket, _cluster, _replica]}

test_pass_of_selects_the_resources_of_the_metadata_types if {
	selected := inventory.of({"resource_types": ["aws_db_instance", "aws_rds_cluster"]}) with input as _input
	selected == {_db, _replica, _cluster}
}

test_pass_of_a_type_absent_from_the_input_is_empty if {
	selected := inventory.of({"resource_types": ["aws_kms_key"]}) with input as _input
	selected == set()
}

test_pass_of_an_empty_input_is_empty if {
	selected := inventory.of({"resource_types": ["aws_db_instance"]}) with input as {"resources": []}
	selected == set()
}

test_pass_by_type_groups_every_resource_once if {
	groups := inventory.by_type with input as _input
	groups == {
		"aws_db_instance": {_db, _replica},
		"aws_rds_cluster": {_cluster},
		"aws_s3_bucket": {_bucket},
	}
}

# A check of one type gets that type's set; of several, their union.
test_pass_of_one_type_is_its_group if {
	selected := inventory.of({"resource_types": ["aws_db_instance"]}) with input as _input
	selected == {_db, _replica}
	both := inventory.of({"resource_types": ["aws_s3_bucket", "aws_kms_key"]}) with input as _input
	both == {_bucket}
}
