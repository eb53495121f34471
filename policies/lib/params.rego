# METADATA
# title: Check parameters
# description: |
#   Values checks read instead of hard-coding them: the documented defaults in
#   policies/config/data.json (data.config), each overridable per scan through
#   input.parameters (the CLI fills it from `--config`).
package lib.params

# value is the parameter `name`: the scan's override when given, else the default.
value(name) := object.get(object.get(input, "parameters", {}), name, data.config[name])
