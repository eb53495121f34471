"""Collectors that snapshot live inventory (AWS, PostgreSQL) and the Terraform plan adapter.

Each collector writes an inventory document that validates against
``inventory_schemas/inventory.json``; none exists yet in this first release, so
inventories are written by hand or by other tools (see ``examples/``).
"""
