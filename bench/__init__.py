"""Benchmark helpers for opa-comply (not part of the package or its tests)."""
