"""Credentials in a URL, masked before any message shows it."""

from __future__ import annotations

import re

# From `scheme://` to the last `@` on the line: a password may itself hold `@`, `/`, `#`
# or (unencoded, by mistake) a space, so anything shorter could show part of it. Masking
# a little more than the user name and password is the safe side.
_USERINFO = re.compile(r"(?<=://)[^\n]*@")


def mask_userinfo(text: str) -> str:
    """`mysql://root:p@ss@db/x` -> `mysql://****@db/x`."""
    return _USERINFO.sub("****@", text)
