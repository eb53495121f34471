"""Input files: reading and validating inventory snapshots (whole or resource by
resource) and adapting Terraform plans (``terraform/``) into the same shape.

The plan adapter lives here, not in ``collectors/``: it reads a file, it does not
collect live state.

May import: ``collectors.snapshot`` (the envelope builder), domain.redact, support, errors.
"""
