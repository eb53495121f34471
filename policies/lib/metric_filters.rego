# METADATA
# title: CloudWatch Logs metric filters and their alarms on a CloudTrail trail
# description: |
#   Judges whether a trail's CloudWatch Logs group has a metric filter that
#   catches a set of CloudTrail events and an alarm on that filter's metric
#   that acts (the CIS AWS Foundations monitoring controls, section 4). It
#   reads the trail's own attributes only: cloud_watch_logs_group_arn and
#   metric_filters, a list of {name, pattern, metric_name, metric_namespace,
#   alarms: [{name, actions, actions_enabled?}]} that the plan adapter folds in
#   from aws_cloudwatch_log_metric_filter and aws_cloudwatch_metric_alarm and the
#   AWS collector joins from DescribeMetricFilters and DescribeAlarmsForMetric.
#
#   How strict the pattern match is. A filter pattern is reduced to the set of
#   its comparisons: whitespace and double quotes are removed (CloudWatch
#   matches `$.eventName = "DeleteTrail"` and `$.eventName=DeleteTrail` alike),
#   then the text is cut at braces, parentheses, `&&` and `||`. A filter covers
#   a control when every required comparison, reduced the same way, is one of
#   those comparisons exactly. So a filter that ORs further events, or adds the
#   noise exclusions later CIS versions suggest, still covers; one that lacks a
#   required event name, or names it with another case (CloudWatch compares
#   values case-sensitively), or only as a longer name (CreatePolicyVersion is
#   not CreatePolicy), does not. The boolean structure is not parsed: a filter
#   that joins the required comparisons with && where || is meant, or ANDs a
#   narrowing condition onto them, is still read as covering. That is the
#   same reach as the benchmark's own audit step, which compares the pattern
#   text; judging the structure would need a parser of the filter syntax.
#
#   The required comparisons of each control are those that pick its events
#   (event names, error codes, the Root identity, the MFA and failed-login
#   conditions), not the narrowing ones (eventSource, the exclusions of
#   delivery.logs.amazonaws.com, HeadBucket or AWS service events): a filter
#   without them catches more, never less.
package lib.metric_filters

import data.lib.result

# normalise reduces a filter pattern, or one required comparison, to the form
# they are compared in: no whitespace, no double quotes.
normalise(text) := regex.replace(text, `[\s"]`, "")

# comparisons is the set of comparisons of a filter pattern, normalised.
comparisons(pattern) := {c |
	some c in regex.split(`[{}()]|&&|\|\|`, normalise(pattern))
	c != ""
}

# covers holds when the pattern holds every required comparison.
covers(pattern, required) if {
	is_string(pattern)
	have := comparisons(pattern)
	every term in required {
		normalise(term) in have
	}
}

# judgement of a trail for a control whose filter needs the `required`
# comparisons: {"outcome": "pass"}, {"outcome": "fail", "detail": text} or
# {"outcome": "indeterminate", "detail": text, "paths": [...]}. Checked in
# this order: no log group (fail), a covering filter with an acting alarm
# (pass), undecided values (indeterminate), else fail. A covering filter passes
# even when the group's ARN is unknown (a new log group in a plan): its filters
# are known, so the trail does deliver to it.
judgement(r, required) := {"outcome": "fail", "detail": "it delivers no logs to CloudWatch Logs (cloud_watch_logs_group_arn not set), so no metric filter can watch its events"} if {
	no_log_group(r)
} else := {"outcome": "pass"} if {
	watched(r, required)
} else := {"outcome": "indeterminate", "detail": detail, "paths": paths} if {
	paths := [p | some p in ["cloud_watch_logs_group_arn", "metric_filters"]; _state(r, p) != "known"]
	count(paths) > 0
	detail := concat(", ", [sprintf("%s is %s", [p, result.state_text[_state(r, p)]]) | some p in paths])
} else := {"outcome": "indeterminate", "detail": "metric_filters has an unexpected shape", "paths": ["metric_filters"]} if {
	not _well_formed(r)
} else := {"outcome": "indeterminate", "detail": detail, "paths": ["metric_filters"]} if {
	undecided := _undecided(r, required)
	count(undecided) > 0
	detail := sprintf("metric_filters is known only after apply in part (%s)", [concat(", ", sort(undecided))])
} else := {"outcome": "fail", "detail": detail} if {
	alarmless := sort([sprintf("%q", [f.name]) |
		some f in r.attributes.metric_filters
		covers(f.pattern, required)
	])
	count(alarmless) > 0
	detail := sprintf("metric filter %s matches, but no alarm on its metric has an action", [concat(", ", alarmless)])
} else := {"outcome": "fail", "detail": concat("", ["no metric filter on its log group matches those events", _lacking(r, required)])}

# _lacking names the required comparisons no filter holds, when the filters
# hold some of them (a filter that misses an event or two).
_lacking(r, required) := sprintf(" (none holds %s)", [concat(", ", missing)]) if {
	held := {c | some f in r.attributes.metric_filters; some c in comparisons(f.pattern)}
	missing := [term | some term in required; not normalise(term) in held]
	count(missing) > 0
	count(missing) < count(required)
} else := ""

# no_log_group: the trail is known to deliver to no CloudWatch Logs group.
no_log_group(r) if {
	result.attribute_state(r, "cloud_watch_logs_group_arn") == "known"
	not _has_group(r)
}

_has_group(r) if {
	is_string(r.attributes.cloud_watch_logs_group_arn)
	r.attributes.cloud_watch_logs_group_arn != ""
}

# watched: some filter whose pattern is known covers `required`, and some alarm
# on its metric has an action (a known, non-empty list; an action ARN known
# only after apply still counts) and its actions not turned off.
watched(r, required) if {
	is_array(r.attributes.metric_filters)
	some i, f in r.attributes.metric_filters
	not _unknown_at(r, sprintf("metric_filters.%d.pattern", [i]))
	covers(f.pattern, required)
	some j, alarm in object.get(f, "alarms", [])
	_acts(r, i, j, alarm)
}

_acts(r, i, j, alarm) if {
	not _unknown_at(r, sprintf("metric_filters.%d.alarms.%d.actions", [i, j]))
	not _unknown_at(r, sprintf("metric_filters.%d.alarms.%d.actions_enabled", [i, j]))
	is_array(alarm.actions)
	count(alarm.actions) > 0
	object.get(alarm, "actions_enabled", true) != false
}

# The parts that keep a filter from being judged: a pattern known only after
# apply, or a covering filter whose alarms or their actions are.
_undecided(r, required) := {p |
	some i, f in r.attributes.metric_filters
	some p in _undecided_paths(r, required, i, f)
}

_undecided_paths(r, required, i, f) := {path} if {
	path := sprintf("metric_filters.%d.pattern", [i])
	_unknown_at(r, path)
} else := {path |
	covers(f.pattern, required)
	some path in _alarm_paths(i, f)
	_unknown_at(r, path)
}

_alarm_paths(i, f) := array.concat(
	[sprintf("metric_filters.%d.alarms", [i])],
	[p |
		some j, _ in object.get(f, "alarms", [])
		some field in ["actions", "actions_enabled"]
		p := sprintf("metric_filters.%d.alarms.%d.%s", [i, j, field])
	],
)

# Fail closed on a shape we do not expect: a list of objects whose pattern is
# a string and whose alarms are a list of objects with a list of actions. A
# part known only after apply is left to _undecided.
_well_formed(r) if {
	is_array(r.attributes.metric_filters)
	every i, f in r.attributes.metric_filters {
		_filter_well_formed(r, i, f)
	}
}

_filter_well_formed(r, i, _) if _unknown_at(r, sprintf("metric_filters.%d", [i]))

_filter_well_formed(r, i, f) if {
	is_object(f)
	_string_or_unknown(r, sprintf("metric_filters.%d.pattern", [i]), object.get(f, "pattern", null))
	_alarms_well_formed(r, i, object.get(f, "alarms", null))
}

_string_or_unknown(_, _, value) if is_string(value)

_string_or_unknown(r, path, _) if _unknown_at(r, path)

_alarms_well_formed(r, i, _) if _unknown_at(r, sprintf("metric_filters.%d.alarms", [i]))

_alarms_well_formed(r, i, alarms) if {
	is_array(alarms)
	every j, alarm in alarms {
		is_object(alarm)
		_actions_well_formed(r, sprintf("metric_filters.%d.alarms.%d.actions", [i, j]), object.get(alarm, "actions", null))
	}
}

_actions_well_formed(_, _, actions) if is_array(actions)

_actions_well_formed(r, path, _) if _unknown_at(r, path)

# The state of the list itself: unknown only when the whole list (or the
# trail) is; parts of it known only after apply are judged one by one.
_state(r, "metric_filters") := "unknown" if {
	_unknown_at(r, "metric_filters")
} else := "known" if {
	"metric_filters" in object.keys(r.attributes)
} else := "missing"

_state(r, "cloud_watch_logs_group_arn") := result.attribute_state(r, "cloud_watch_logs_group_arn")

# _unknown_at: the path itself or one of its parents is known only after
# apply (a part inside it is not enough).
_unknown_at(r, path) if path in object.get(r, "unknown", [])

_unknown_at(r, path) if {
	some i in indexof_n(path, ".")
	substring(path, 0, i) in object.get(r, "unknown", [])
}
