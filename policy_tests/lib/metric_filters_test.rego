package lib.metric_filters_test

import data.lib.metric_filters

_required := ["$.eventName = CreateTrail", "$.eventName = DeleteTrail"]

_group := "arn:aws:logs:eu-west-1:123456789012:log-group:trail:*"

_trail(filters, unknown) := {
	"address": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/t",
	"type": "aws_cloudtrail",
	"name": "t",
	"attributes": {"cloud_watch_logs_group_arn": _group, "metric_filters": filters},
	"unknown": unknown,
}

_filter(pattern, alarms) := {"name": "f", "pattern": pattern, "metric_name": "m", "metric_namespace": "n", "alarms": alarms}

_alarm(actions) := {"name": "a", "actions": actions}

_covering := "{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }"

test_normalise_drops_whitespace_and_double_quotes if {
	metric_filters.normalise(" $.eventName = \"Create Trail\"\n") == "$.eventName=CreateTrail"
}

test_comparisons_split_on_braces_parentheses_and_operators if {
	metric_filters.comparisons(`{($.a = "x") && (($.b != y) || $.c = z)}`) == {"$.a=x", "$.b!=y", "$.c=z"}
}

test_covers_whatever_the_spacing_and_quoting if {
	metric_filters.covers(`{($.eventName="DeleteTrail")||($.eventName="CreateTrail")}`, _required)
}

test_covers_with_further_events_ored_in if {
	metric_filters.covers("{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) || ($.eventName = DeleteTrail) }", _required)
}

test_does_not_cover_without_a_required_event if {
	not metric_filters.covers("{ ($.eventName = CreateTrail) }", _required)
}

# A longer event name is not the required one.
test_does_not_cover_a_longer_name if {
	not metric_filters.covers("{ ($.eventName = CreatePolicyVersion) }", ["$.eventName = CreatePolicy"])
}

# CloudWatch compares values case-sensitively.
test_does_not_cover_another_case if {
	not metric_filters.covers("{ ($.eventName = createtrail) || ($.eventName = deletetrail) }", _required)
}

test_does_not_cover_a_pattern_that_is_not_a_string if {
	not metric_filters.covers(null, _required)
}

test_judgement_pass if {
	metric_filters.judgement(_trail([_filter(_covering, [_alarm(["arn:aws:sns:eu-west-1:123456789012:t"])])], []), _required) == {"outcome": "pass"}
}

test_judgement_pass_with_one_of_several_filters if {
	filters := [_filter("{ $.eventName = CreateTrail }", []), _filter(_covering, [_alarm([]), _alarm(["arn:aws:sns:eu-west-1:123456789012:t"])])]
	metric_filters.judgement(_trail(filters, []), _required) == {"outcome": "pass"}
}

# An action known only after apply (a new SNS topic) is still an action.
test_judgement_pass_with_an_action_known_after_apply if {
	r := _trail([_filter(_covering, [_alarm([null])])], ["metric_filters.0.alarms.0.actions.0"])
	metric_filters.judgement(r, _required) == {"outcome": "pass"}
}

# A new log group's ARN is known only after apply; its filters are known.
test_judgement_pass_with_group_known_after_apply if {
	r := object.union(
		_trail([_filter(_covering, [_alarm(["arn:aws:sns:eu-west-1:123456789012:t"])])], ["cloud_watch_logs_group_arn"]),
		{"attributes": {"cloud_watch_logs_group_arn": null}},
	)
	metric_filters.judgement(r, _required) == {"outcome": "pass"}
}

test_judgement_fail_actions_turned_off if {
	alarm := object.union(_alarm(["arn:aws:sns:eu-west-1:123456789012:t"]), {"actions_enabled": false})
	metric_filters.judgement(_trail([_filter(_covering, [alarm])], []), _required) == {
		"outcome": "fail",
		"detail": "metric filter \"f\" matches, but no alarm on its metric has an action",
	}
}

test_judgement_fail_no_alarm if {
	metric_filters.judgement(_trail([_filter(_covering, [])], []), _required).outcome == "fail"
}

test_judgement_fail_no_log_group if {
	r := object.union(_trail([], []), {"attributes": {"cloud_watch_logs_group_arn": null}})
	metric_filters.judgement(r, _required).outcome == "fail"
	metric_filters.no_log_group(r)
}

test_judgement_indeterminate_actions_known_after_apply if {
	r := _trail([_filter(_covering, [{"name": "a"}])], ["metric_filters.0.alarms.0.actions"])
	metric_filters.judgement(r, _required) == {
		"outcome": "indeterminate",
		"detail": "metric_filters is known only after apply in part (metric_filters.0.alarms.0.actions)",
		"paths": ["metric_filters"],
	}
}

test_judgement_indeterminate_pattern_known_after_apply if {
	r := _trail([{"name": "f", "alarms": [_alarm(["arn:aws:sns:eu-west-1:123456789012:t"])]}], ["metric_filters.0.pattern"])
	metric_filters.judgement(r, _required) == {
		"outcome": "indeterminate",
		"detail": "metric_filters is known only after apply in part (metric_filters.0.pattern)",
		"paths": ["metric_filters"],
	}
}

# Unknown alarms of a filter that does not cover the events change nothing.
test_judgement_fail_unknown_part_of_another_filter if {
	r := _trail([_filter("{ $.eventName = StopLogging }", [])], ["metric_filters.0.alarms"])
	metric_filters.judgement(r, _required) == {"outcome": "fail", "detail": "no metric filter on its log group matches those events"}
}

test_judgement_indeterminate_unexpected_shape if {
	metric_filters.judgement(_trail([_filter(_covering, "arn:aws:sns:eu-west-1:123456789012:t")], []), _required) == {
		"outcome": "indeterminate",
		"detail": "metric_filters has an unexpected shape",
		"paths": ["metric_filters"],
	}
	metric_filters.judgement(_trail({"f": _covering}, []), _required).outcome == "indeterminate"
	metric_filters.judgement(_trail([_filter(_covering, [_alarm("x")])], []), _required).outcome == "indeterminate"
}

test_judgement_indeterminate_group_and_filters_missing if {
	r := {"address": "a", "type": "aws_cloudtrail", "name": "t", "attributes": {}}
	metric_filters.judgement(r, _required) == {
		"outcome": "indeterminate",
		"detail": "cloud_watch_logs_group_arn is missing from the inventory, metric_filters is missing from the inventory",
		"paths": ["cloud_watch_logs_group_arn", "metric_filters"],
	}
}

# A whole filter known only after apply makes its pattern unknown too.
test_judgement_indeterminate_whole_filter_known_after_apply if {
	r := _trail([null], ["metric_filters.0"])
	metric_filters.judgement(r, _required) == {
		"outcome": "indeterminate",
		"detail": "metric_filters is known only after apply in part (metric_filters.0.pattern)",
		"paths": ["metric_filters"],
	}
}

# The comparisons no filter holds are named when the filters hold some of them.
test_judgement_fail_names_what_no_filter_holds if {
	filters := [_filter("{ $.eventName = CreateTrail }", [_alarm(["arn:aws:sns:eu-west-1:123456789012:t"])])]
	metric_filters.judgement(_trail(filters, []), _required) == {
		"outcome": "fail",
		"detail": "no metric filter on its log group matches those events (none holds $.eventName = DeleteTrail)",
	}
}
