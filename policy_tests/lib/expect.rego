# METADATA
# title: Expected findings for the policy tests
# description: |
#   Builds the whole finding a check should report from the test file's one
#   literal copy of the check's metadata, so a test still compares whole result
#   objects with == but writes the check's fields once. The fields are written
#   out here rather than built with lib.result, so a change to the result
#   builder fails the tests instead of changing what they expect.
package test.expect

# finding is the finding a check reports for the resource at address, of type
# type: the check's own fields from metadata (the test file's literal copy of
# its METADATA), the resource's and the verdict's from the arguments.
finding(metadata, address, type, status, message, paths) := {
	"check_id": metadata.check_id,
	"title": metadata.title,
	"severity": metadata.severity,
	"controls": metadata.controls,
	"remediation": metadata.remediation,
	"resource": address,
	"resource_type": type,
	"status": status,
	"message": message,
	"paths": paths,
}

# fail is a failing finding: it names no path.
fail(metadata, address, type, message) := finding(metadata, address, type, "fail", message, [])

# indeterminate is a finding for the paths whose values are not known.
indeterminate(metadata, address, type, message, paths) := finding(metadata, address, type, "indeterminate", message, paths)
