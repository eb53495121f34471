"""Turn botocore exceptions into coverage entries (denied, failed) or one-line errors."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "Forbidden",
    }
)
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "SlowDown",
        "BandwidthLimitExceeded",
    }
)
# Answers to a credential AWS does not accept; in one region only, the region is not enabled.
CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "AuthFailure",
        "InvalidAccessKeyId",
        "IncompleteSignature",
    }
)


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def attempts(exc: ClientError) -> int:
    """Calls made, the first one included, before botocore gave up."""
    return int(exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)) + 1


def classify(exc: Exception) -> tuple[str, str]:
    """(status, detail) for a call that failed: denied for permissions, failed otherwise."""
    if isinstance(exc, ClientError):
        code = error_code(exc)
        where = f"{exc.operation_name}"
        if code in DENIED_CODES:
            return "denied", f"{code} on {where}"
        if code in THROTTLING_CODES:
            return "failed", f"throttled: {code} on {where} after {attempts(exc)} attempts"
        if code in CREDENTIAL_CODES:
            return "failed", f"{code} on {where}: region not enabled or credentials refused there"
        message = str(exc.response.get("Error", {}).get("Message", "")).strip()
        return "failed", f"{code} on {where}" + (f": {message}" if message else "")
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError):
        return "failed", f"unreachable: {exc}"
    if isinstance(exc, ResponseParserError):
        return "failed", "unreadable answer from the AWS endpoint"
    if isinstance(exc, NoCredentialsError):
        return "failed", "no credentials"
    if isinstance(exc, BotoCoreError):
        return "failed", f"{type(exc).__name__}: {exc}"
    # A bug of ours in normalisation: recorded, so the rest of the estate is still collected.
    return "failed", f"internal error (please report it): {type(exc).__name__}: {exc}"
