"""Everything OPA: the pinned binary, the managed sidecar, the HTTP client, the one
request builder (chunked evaluation of large inputs) and the Evaluator protocol the
services depend on.

May import: inventory (the input it sends), domain.answer (the answer's shape), support,
errors.
"""
