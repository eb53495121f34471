# METADATA
# title: PostgreSQL setting parsers
# description: |
#   Read postgresql_server settings the way the server reads them, whether they
#   come from pg_settings (canonical lower case) or from a configuration file or
#   another tool (any case, surrounding spaces, quoted list items).
package lib.postgres

# The words PostgreSQL accepts for a boolean setting and the value each means.
# Any unique prefix of a word is accepted too ("t", "ye", "of"); "o" alone is
# ambiguous, so on and off need at least two characters.
_bool_words := {
	"true": true,
	"yes": true,
	"on": true,
	"1": true,
	"false": false,
	"no": false,
	"off": false,
	"0": false,
}

_min_prefix(word) := 2 if {
	word in {"on", "off"}
} else := 1

# setting_bool is true or false for a value PostgreSQL accepts as a boolean, in
# any case and with surrounding spaces; undefined for anything else (an empty
# string, an unrecognised word, a value that is not text).
setting_bool(value) := b if {
	s := setting_enum(value)
	some word, b in _bool_words
	count(s) >= _min_prefix(word)
	startswith(word, s)
}

# is_setting_bool holds when PostgreSQL accepts the value as a boolean (use it
# as `not postgres.is_setting_bool(v)`: a negated call to setting_bool would
# also hold for false).
is_setting_bool(value) if is_boolean(setting_bool(value))

# setting_enum is an enum setting's value as PostgreSQL compares it: trimmed and
# lower-cased; undefined for a value that is not text.
setting_enum(value) := lower(trim_space(value)) if is_string(value)

# setting_list is a comma-separated list setting (shared_preload_libraries) as a
# set of lower-cased names, with spaces and quotes around each name removed and
# empty items dropped; undefined for a value that is not text.
setting_list(value) := {name |
	some item in split(value, ",")
	name := lower(trim(item, " \t\r\n\"'"))
	name != ""
} if is_string(value)
