"""Fixers: the write side beside `collectors/`, one per check that has a safe automatic fix.

Like the collectors, this package imports only `compliance_opa.errors` and
`compliance_opa.inventory.schema`; the app layer (`compliance_opa/app/remediate.py`)
plans, approves, applies, verifies and rolls back through it.
"""
