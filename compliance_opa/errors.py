"""One error type for every failure a user can cause or meet, with its exit code.

Each boundary (files, JSON, schema, OPA, disk) translates its library's
exceptions into one of these, with a one-line message naming what and where.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # findings at or above --fail-on
    BAD_INPUT = 2  # bad input or usage
    ENGINE = 3  # OPA, disk or other infrastructure failure
    INTERRUPTED = 130  # Ctrl-C or SIGTERM


class ComplianceError(Exception):
    """Base error; ``str(error)`` is the one line shown to the user."""

    exit_code: ExitCode = ExitCode.ENGINE


class InputError(ComplianceError):
    """The user's input (file, JSON, schema, option) is wrong."""

    exit_code = ExitCode.BAD_INPUT


class EngineError(ComplianceError):
    """OPA or the machine failed: unreachable, timed out, crashed, disk full."""

    exit_code = ExitCode.ENGINE
