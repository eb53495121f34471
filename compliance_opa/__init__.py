"""opa-comply: policy-as-code compliance checks evaluated by Open Policy Agent."""

__version__ = "0.1.0"
