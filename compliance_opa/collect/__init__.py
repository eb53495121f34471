"""Live collection: the Collector protocol and its registry over ``collectors/``.

A collector turns options into an inventory snapshot file; adding a source adds an
entry to the registry, not an ``if`` in a service.

May import: ``collectors``, inventory, support, errors.
"""
