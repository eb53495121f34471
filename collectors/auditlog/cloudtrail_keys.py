"""Where CloudTrail writes its files in S3: the log and digest object keys, parsed and built.

Layouts (AWS CloudTrail User Guide, "Finding your CloudTrail log files" and "CloudTrail
digest file structure"):

    <prefix>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/
        <account>_CloudTrail_<region>_<yyyymmddThhmmZ>_<unique>.json.gz
    <prefix>/AWSLogs/<account>/CloudTrail-Digest/<region>/<yyyy>/<mm>/<dd>/
        <account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<yyyymmddThhmmssZ>.json.gz

An organization trail puts the organization id before the account:
``<prefix>/AWSLogs/<o-id>/<account>/...``. The date folders are the file's own (UTC) date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from compliance_opa.errors import InputError

_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}"
_ORG = r"o-[a-z0-9]{10,32}"
_HEAD = (
    rf"AWSLogs/(?:(?P<org>{_ORG})/)?(?P<account>\d{{12}})/"
    r"(?P<kind>CloudTrail|CloudTrail-Digest)/"
    rf"(?P<region>{_REGION})/(?P<y>\d{{4}})/(?P<m>\d{{2}})/(?P<d>\d{{2}})/"
)
_LOG = re.compile(
    _HEAD + r"(?P=account)_CloudTrail_(?P=region)_(?P<ts>\d{8}T\d{4}Z)_(?P<unique>[A-Za-z0-9]+)"
    r"\.json\.gz\Z"
)
# Trail names are 3-128 letters, digits, '.', '_' and '-' (they may hold '_'): the home
# region and the time stamp are taken from the right.
_DIGEST = re.compile(
    _HEAD + r"(?P=account)_CloudTrail-Digest_(?P=region)_(?P<trail>[A-Za-z0-9._-]{1,128})_"
    rf"(?P<home>{_REGION})_(?P<ts>\d{{8}}T\d{{6}}Z)\.json\.gz\Z"
)
ACCOUNT = re.compile(r"\d{12}\Z")
ORGANIZATION = re.compile(rf"{_ORG}\Z")
REGION = re.compile(rf"{_REGION}\Z")


@dataclass(frozen=True)
class LogKey:
    """A log file's key: whose, where, and the time in its name (its delivery window)."""

    organization_id: str | None
    account: str
    region: str
    time: datetime
    unique: str


@dataclass(frozen=True)
class DigestKey:
    """A digest file's key: whose, which trail, and the digest's end time from its name."""

    organization_id: str | None
    account: str
    region: str
    trail: str
    home_region: str
    end: datetime


def parse_location(location: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` as (bucket, prefix without surrounding slashes)."""
    if not location.startswith("s3://"):
        raise InputError(f"CloudTrail location {location!r} is not an s3://bucket/prefix URI")
    bucket, _, prefix = location[len("s3://") :].partition("/")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        raise InputError(f"CloudTrail location {location!r}: {bucket!r} is not an S3 bucket name")
    return bucket, prefix.strip("/")


def logs_root(prefix: str) -> str:
    """The key prefix under which CloudTrail writes: ``<prefix>/AWSLogs/``."""
    return f"{prefix}/AWSLogs/" if prefix else "AWSLogs/"


def parse_key(prefix: str, key: str) -> LogKey | DigestKey | None:
    """The parts of a CloudTrail log or digest key under ``prefix``; None for any other key
    (a folder marker, a file of another service, a name with a date folder that is not its
    own date)."""
    head = f"{prefix}/" if prefix else ""
    if not key.startswith(head):
        return None
    rest = key[len(head) :]
    match = _LOG.match(rest) or _DIGEST.match(rest)
    if match is None:
        return None
    try:
        folder = date(int(match["y"]), int(match["m"]), int(match["d"]))
        stamp = match["ts"]
        if match["kind"] == "CloudTrail":
            time = datetime.strptime(stamp, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        else:
            time = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    if time.date() != folder:
        return None
    if match["kind"] == "CloudTrail":
        if match.re is not _LOG:
            return None
        return LogKey(match["org"], match["account"], match["region"], time, match["unique"])
    if match.re is not _DIGEST:
        return None
    return DigestKey(
        match["org"], match["account"], match["region"], match["trail"], match["home"], time
    )


def account_root(prefix: str, organization_id: str | None, account: str) -> str:
    org = f"{organization_id}/" if organization_id else ""
    return f"{logs_root(prefix)}{org}{account}/"


def log_key(prefix: str, k: LogKey) -> str:
    """The key CloudTrail gives a log file with these parts."""
    return (
        f"{account_root(prefix, k.organization_id, k.account)}CloudTrail/{k.region}/"
        f"{k.time:%Y/%m/%d}/{k.account}_CloudTrail_{k.region}_{k.time:%Y%m%dT%H%MZ}_"
        f"{k.unique}.json.gz"
    )


def digest_key(prefix: str, k: DigestKey) -> str:
    """The key CloudTrail gives a digest file with these parts."""
    return (
        f"{account_root(prefix, k.organization_id, k.account)}CloudTrail-Digest/{k.region}/"
        f"{k.end:%Y/%m/%d}/{k.account}_CloudTrail-Digest_{k.region}_{k.trail}_"
        f"{k.home_region}_{k.end:%Y%m%dT%H%M%SZ}.json.gz"
    )
