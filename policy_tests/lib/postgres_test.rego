package lib.postgres_test

import data.lib.postgres

test_setting_bool_true_words_any_case if {
	every value in ["on", "ON", "On", "true", "TRUE", "True", "yes", "YES", "1", " on ", "t", "tr", "y", "ye"] {
		postgres.setting_bool(value) == true
	}
}

test_setting_bool_false_words_any_case if {
	every value in ["off", "OFF", "Off", "false", "FALSE", "no", "No", "0", "\toff\n", "f", "fal", "n", "of"] {
		postgres.setting_bool(value) == false
	}
}

test_setting_bool_unrecognised_is_undefined if {
	every value in ["", "  ", "o", "O", "onn", "offf", "enabled", "2", "01", "truest", null, true, 1] {
		not postgres.setting_bool(value)
	}
}

test_is_setting_bool if {
	postgres.is_setting_bool("Off")
	postgres.is_setting_bool("yes")
	not postgres.is_setting_bool("")
	not postgres.is_setting_bool(null)
}

test_setting_enum_trims_and_lowers if {
	postgres.setting_enum(" SCRAM-SHA-256 ") == "scram-sha-256"
	postgres.setting_enum("") == ""
	not postgres.setting_enum(null)
}

test_setting_list_splits_and_unquotes if {
	postgres.setting_list(`'pgaudit', "PG_Stat_Statements" , auto_explain,, " 'x' "`) == {"pgaudit", "pg_stat_statements", "auto_explain", "x"}
	postgres.setting_list("") == set()
	not postgres.setting_list(null)
}
