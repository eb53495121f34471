"""Usage errors are the documented single `opa-comply: error:` line with exit 2."""

from __future__ import annotations

import pytest

from tests.conftest import assert_one_line_error, run_cli


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["scan", "--bogus"], ["No such option: --bogus", "`opa-comply scan --help`"]),
        (["scan", "--fail-on", "x"], ["Invalid value for '--fail-on'"]),
        (["bogus"], ["No such command 'bogus'"]),
        (["alerts", "list", "--status", "x"], ["Invalid value for '--status'"]),
        (["collect", "aws"], ["Missing option '--output'"]),
        (["scan", "--opa-timeout", "soon"], ["'--opa-timeout'"]),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(args: list[str], fragments: list[str]) -> None:
    result = run_cli(*args)
    assert_one_line_error(result, 2, *fragments)
    assert result.stdout == ""


def test_no_command_still_shows_the_help() -> None:
    result = run_cli()
    assert result.code == 2
    assert "Usage:" in result.stdout
    assert "scan" in result.stdout
