package lib.tags_test

import data.lib.tags

# The three tests answer false (not nothing) when they do not hold, so OPA keeps
# the answer per resource; a negated or plain condition reads false as before.
test_tests_answer_false_when_they_do_not_hold if {
	tags.classified({"data_classes": ["public"]}) == false with input as {}
	tags.personal({"data_classes": ["pci"]}) == false with input as {}
	tags.production({"tags": {"Environment": "staging"}}) == false with input as {}
	tags.production({}) == false with input as {}
}

test_tests_answer_true_when_they_hold if {
	tags.classified({"data_classes": ["pci"]}) == true with input as {}
	tags.personal({"tags": {"Classification": "pii"}}) == true with input as {}
	tags.production({"tags": {"env": "prod"}}) == true with input as {}
}

# A resource without tags is read from its data_classes alone; with tags, the
# configured classification keys add theirs.
test_data_classes_with_and_without_tags if {
	tags.data_classes({"data_classes": ["pii"]}) == {"pii"} with input as {}
	tags.data_classes({"data_classes": ["pii"], "tags": {}}) == {"pii"} with input as {}
	tags.data_classes({"tags": {"Classification": "PHI, pci", "Other": "x"}}) == {"phi", "pci"} with input as {}
	tags.data_classes({}) == set() with input as {}
}
