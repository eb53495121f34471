"""Audit-log readers and summarisers (pgaudit, CloudTrail), returning inventory resources."""
