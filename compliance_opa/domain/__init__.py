"""Domain: pure values and rules, no I/O.

Findings and checks, the scan report, finding identity, risk, compliance rates, waiver
application, baseline comparison, drift, assessment, redaction, and parsing OPA's
answer into findings. Everything here is a frozen dataclass or a function of them.

May import: ``compliance_opa.errors`` and the standard library only.
"""
