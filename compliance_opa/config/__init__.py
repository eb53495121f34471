"""The YAML config file and the waivers file: read, checked against their schemas,
and turned into plain values for the services.

May import: domain (waiver values), the settings schemas of the adapters, support, errors.
"""
