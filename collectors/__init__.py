"""Collectors that snapshot live inventory into the inventory model.

``collectors.aws`` reads AWS accounts through boto3, ``collectors.postgres`` reads
PostgreSQL servers through psycopg2. Each collector returns an
inventory document that validates against ``inventory_schemas/inventory.json``.

May import from ``compliance_opa`` only ``errors`` and ``inventory.schema`` (the Terraform
plan adapter reads files, so it lives in ``compliance_opa.inventory.terraform``).
"""
