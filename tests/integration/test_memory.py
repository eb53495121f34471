"""The allocator setting that keeps a large scan's resident memory near what it holds."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from compliance_opa.support.memory import return_large_blocks


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_glibc_takes_the_fixed_mmap_threshold() -> None:
    assert return_large_blocks() is True


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_the_cli_sets_it_before_any_command_runs() -> None:
    """main() sets the allocator before the command's own code runs (in a child, since
    main installs a signal handler)."""
    probe = (
        "from unittest import mock\n"
        "from compliance_opa.cli import app as cli\n"
        "calls = []\n"
        "real = cli.return_large_blocks\n"
        "with mock.patch.object(cli, '_run_app', lambda: calls.append(real.__name__) or 0),"
        " mock.patch.object(cli, 'return_large_blocks', lambda: calls.append('set')):\n"
        "    try:\n"
        "        cli.main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(','.join(calls))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "set,return_large_blocks"
