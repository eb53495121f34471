"""Small utilities with no business rule: atomic file writes, bounded reads of user
files, JSON to bytes, where the bundled policies and schemas live, allocator tuning.

May import: ``compliance_opa.errors`` only.
"""
