"""The data map in each report format, from hand-built maps: the data-map document
(Markdown), its section in the Markdown, HTML and JSON reports, and the data-map CSV.
Unknown values read "unknown", never "no"; text from the estate stays text everywhere;
a report without classified data renders exactly as before (no section, no key)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

from compliance_opa.domain.data_map import (
    ClassifiedColumn,
    Connected,
    DataMap,
    DataStore,
    Protection,
    Reach,
)
from compliance_opa.domain.data_map_json import as_dict
from compliance_opa.domain.report import ScanReport
from compliance_opa.reports import (
    FILE_NAMES,
    MEDIA_TYPES,
    RENDERERS,
    csv_report,
    data_map,
    data_map_csv,
    html,
    json_report,
    markdown,
)
from tests import report_builder as rb

SERVER = "postgresql://db.internal:5432"
EVIL = "<img src=x onerror=alert(1)>"
BIDI = "invoice\u202etxt.exe"
NEWLINE = "two\nlines"
FORMULA = '=HYPERLINK("http://evil","x")'

CUSTOMERS = DataStore(
    address=f"{SERVER}/shop/public/customers",
    type="postgresql_table",
    kind="table",
    name="shop.public.customers",
    system=SERVER,
    data_classes=("pii", "pci"),
    owner="app_owner",
    columns=(
        ClassifiedColumn("email", "email", "pii", "sample", "email", 0.95, 19, 20, False),
        ClassifiedColumn("card_number", "pan", "pci", "comment"),
        ClassifiedColumn("phone", "phone", "pii", "name"),
    ),
    protection=Protection(encrypted_in_transit=True),
    reach=Reach(public_grants=("SELECT",), roles=("app_owner", "reporting")),
    open_findings=(("PG-TABLE-001", "high"),),
    cde=True,
)
PATIENTS = DataStore(
    address="arn:aws:s3:::acme-patients",
    type="aws_s3_bucket",
    kind="bucket",
    name="acme-patients",
    system="aws:123456789012",
    data_classes=("phi",),
    account="123456789012",
    region="eu-west-1",
    region_allowed=False,
    owner="clinic",
    environment="production",
    protection=Protection(True, "customer", True, True, "versioning enabled"),
    reach=Reach(public=False, internet_exposed=True),
)
# Nothing known but where it is: every other value must read "unknown".
BARE = DataStore(
    address="arn:aws:rds:eu-west-1:123456789012:db:bare",
    type="aws_db_instance",
    kind="database instance",
    name="bare",
    system="aws:123456789012",
    data_classes=("confidential",),
)
SG = Connected("sg-0123", "aws_security_group", "security group of", CUSTOMERS.address)
MAP = DataMap(stores=(BARE, PATIENTS, CUSTOMERS), cde=(SG,))


def _report(data_map: DataMap) -> ScanReport:
    plain = rb.report({"C-1": ["r"]}, [rb.finding(rb.check("C-1"), "r")])
    return replace(plain, data_map=data_map)


def _store_table(text: str, name: str) -> dict[str, str]:
    """The field table under a store's heading in the Markdown: field -> value."""
    start = text.index(f"`{name}` (")
    block = text[start:].split("\n\n", 2)[1]
    rows = [line.strip("|").split(" | ", 1) for line in block.splitlines()[2:]]
    return {field.strip(): value.strip() for field, value in rows}


def test_formats_are_registered() -> None:
    assert RENDERERS["data-map"] is data_map.render
    assert RENDERERS["data-map-csv"] is data_map_csv.render
    assert (FILE_NAMES["data-map"], FILE_NAMES["data-map-csv"]) == ("data-map.md", "data-map.csv")
    assert MEDIA_TYPES["data-map"].startswith("text/markdown")
    assert MEDIA_TYPES["data-map-csv"].startswith("text/csv")


def test_document_groups_by_class_then_system() -> None:
    text = data_map.render(_report(MAP))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Data map",
        "## Personal data",
        f"### System `{SERVER}`",
        "#### `shop.public.customers` (table)",
        "## Health data",
        "### System `aws:123456789012`",
        "#### `acme-patients` (bucket)",
        "## Card data",
        f"### System `{SERVER}`",
        "#### `shop.public.customers` (table)",
        "## Confidential data",
        "### System `aws:123456789012`",
        "#### `bare` (database instance)",
        "## PCI DSS scope: the cardholder data environment",
    ]
    assert "| Personal data | GDPR Article 30: records of processing activities | 1 | 1 |" in text


def test_a_table_store_shows_where_it_is_and_each_column() -> None:
    text = data_map.render(_report(MAP))
    fields = _store_table(text, "shop.public.customers")
    assert fields["Database / schema / table"] == "`shop` / `public` / `customers`"
    assert fields["Data classes"] == "personal, card"
    assert fields["Granted to PUBLIC"] == "SELECT"
    assert fields["Roles with access"] == "app_owner, reporting"
    assert fields["Open findings"] == "PG-TABLE-001 (high)"
    assert fields["Encrypted in transit"] == "yes"
    assert fields["Cardholder data environment"] == "yes"
    assert (
        "| `email` | email | personal | sampled values | email | 95% | 19 of 20 sampled | no |"
        in text
    )
    assert "| `card_number` | pan | card | column comment | n/a | n/a | n/a | unknown |" in text
    assert "| `phone` | phone | personal | column name | n/a | n/a | n/a | unknown |" in text


def test_aws_store_shows_account_region_rule_encryption_and_reach() -> None:
    fields = _store_table(data_map.render(_report(MAP)), "acme-patients")
    assert fields["Account"] == "`123456789012`"
    assert fields["Region"] == "eu-west-1 (not allowed)"
    assert fields["Encrypted at rest"] == "yes (customer-managed key)"
    assert fields["Backup and retention"] == "yes: versioning enabled"
    assert (fields["Public"], fields["Internet-exposed"]) == ("no", "yes")
    assert "Granted to PUBLIC" not in fields  # PUBLIC is PostgreSQL's
    assert "Cardholder data environment" not in fields


def test_unknown_is_never_no() -> None:
    fields = _store_table(data_map.render(_report(MAP)), "bare")
    del fields["Address"], fields["Name"], fields["Data classes"]
    assert fields == {
        "Account": "unknown",
        "Region": "unknown",
        "Owner": "unknown",
        "Environment": "unknown",
        "Encrypted at rest": "unknown",
        "Encrypted in transit": "unknown",
        "Backup and retention": "unknown",
        "Public": "unknown",
        "Internet-exposed": "unknown",
        "Roles with access": "none listed in the inventory",
        "Open findings": "none",
    }
    row = _csv_rows(_report(MAP))[-1]
    assert row["name"] == "bare"
    unknown = (
        "account", "region", "owner", "environment", "encrypted_at_rest",
        "encrypted_in_transit", "backup_and_retention", "public", "internet_exposed",
    )  # fmt: skip
    for column in unknown:
        assert row[column] == "unknown", column
    page = html.render(_report(MAP))
    bare = page[page.index('data-address="arn:aws:rds:eu-west-1:123456789012:db:bare"') :]
    bare = bare[: bare.index("</tr>")]
    assert re.findall(r"\bno\b", bare) == []
    assert bare.count("unknown") == 9


def test_region_without_a_rule_and_sampled_column_without_counts() -> None:
    store = replace(
        PATIENTS,
        region_allowed=None,
        columns=(ClassifiedColumn("x", "email", "pii", "sample"),),
    )
    text = data_map.render(_report(DataMap(stores=(store,))))
    assert _store_table(text, "acme-patients")["Region"] == "eu-west-1 (no allowed-regions rule)"
    unknown = "| `x` | email | personal | sampled values | unknown | unknown | unknown | unknown |"
    assert unknown in text


def test_cardholder_data_environment() -> None:
    text = data_map.render(_report(MAP))
    cde = text[text.index("## PCI DSS scope") :]
    assert f"| `{CUSTOMERS.address}` | `sg-0123` | aws_security_group | security group of |" in cde
    lonely = replace(CUSTOMERS, address=f"{SERVER}/shop/public/cards", name="shop.public.cards")
    text = data_map.render(_report(DataMap(stores=(lonely,))))
    assert f"| `{lonely.address}` | none the inventory shows | | |" in text
    text = data_map.render(_report(DataMap(stores=(PATIENTS,))))
    assert "the inventory shows no cardholder data environment" in text
    rows = _csv_rows(_report(MAP))
    card = [r for r in rows if r["data_class"] == "card"]
    assert [r["connected"] for r in card] == ["sg-0123 (aws_security_group): security group of"]
    # A card-data store is in the CDE under whichever class it is listed.
    assert rows[0]["connected"] == card[0]["connected"]
    assert {r["connected"] for r in rows if r["cardholder_data_environment"] == "no"} == {"n/a"}


def test_report_sections_follow_the_document() -> None:
    report = _report(MAP)
    md = markdown.render(report)
    section = md[md.index("## Data map") : md.index("## Remediation plan")]
    document = data_map.render(report)
    body = document[document.index("Every data store") :]
    # The same text, one heading level down.
    assert section == "## Data map\n\n" + re.sub(r"(?m)^#", "##", body) + "\n"
    assert json.loads(json_report.render(report))["data_map"] == as_dict(MAP)
    page = html.render(report)
    assert page.count('<tr class="store"') == 4  # the customers table under two classes
    assert page.count('<tr class="column"') == 6
    assert page.count('<tr class="connected"') == 1


def test_reports_without_classified_data_are_unchanged() -> None:
    report = _report(DataMap())
    assert "data_map" not in json.loads(json_report.render(report))
    assert "Data map" not in markdown.render(report)
    assert 'id="data-map"' not in html.render(report)
    assert "Data map" not in RENDERERS["pr-comment"](report)
    assert "No store in the inputs holds personal, health, card or confidential data" in (
        data_map.render(report)
    )
    assert data_map_csv.render(report) == '"' + '","'.join(data_map_csv.COLUMNS) + '"\r\n'
    assert csv_report.render(report) == csv_report.render(_report(MAP))


def _hostile_map() -> DataMap:
    table = replace(
        CUSTOMERS,
        address=f"{SERVER}/shop/public/{EVIL}",
        name=f"shop.public.{EVIL}",
        owner=FORMULA,
        columns=(
            ClassifiedColumn(EVIL, "email", "pii", "sample", EVIL, 0.5, 1, 2),
            ClassifiedColumn(BIDI, "pan", "pci", "comment"),
            ClassifiedColumn(NEWLINE, "phone", "pii", "name"),
        ),
        reach=Reach(public_grants=("SELECT",), roles=("@admins", "-1+2", NEWLINE)),
        protection=Protection(backup=True, backup_detail="# heading\n| a | b |"),
    )
    link = Connected(f"sg-{EVIL}", "aws_security_group", "security group of", table.address)
    return DataMap(stores=(table,), cde=(link,))


def test_hostile_names_stay_text_in_markdown() -> None:
    report = _report(_hostile_map())
    for text in (data_map.render(report), markdown.render(report)):
        outside_code = re.sub(r"`[^`\n]*`", "", text)
        assert "<img" not in outside_code
        assert "\u202e" not in text
        assert "\\u202e" in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text  # the detector, as text
        # Every row of the store's table keeps its two cells: no newline, no bare `|`.
        fields = _store_table(text, f"shop.public.{EVIL}")
        assert fields["Backup and retention"] == "yes: # heading\\\\n\\| a \\| b \\|"
        assert fields["Roles with access"] == "@&#8203;admins, -1+2, two\\\\nlines"
        assert fields["Owner"] == '=HYPERLINK("http\\://evil","x")'  # no autolink
        assert "| `two\\nlines` | phone |" in text


def test_hostile_names_stay_text_in_html() -> None:
    page = html.render(_report(_hostile_map()))
    section = page[page.index('<section id="data-map">') : page.index('id="remediation-plan"')]
    assert "<img" not in section
    assert "&lt;img src=x onerror=alert(1)&gt;" in section
    assert "\u202e" not in section
    assert "invoice\\u202etxt.exe" in section
    assert "two\\nlines" in section


def _csv_rows(report: ScanReport) -> list[dict[str, str]]:
    text = data_map_csv.render(report)
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(data_map_csv.COLUMNS)
    assert all(len(row) == len(data_map_csv.COLUMNS) for row in rows)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_one_row_per_class_and_store() -> None:
    rows = _csv_rows(_report(MAP))
    assert [(r["data_class"], r["name"]) for r in rows] == [
        ("personal", "shop.public.customers"),
        ("health", "acme-patients"),
        ("card", "shop.public.customers"),
        ("confidential", "bare"),
    ]
    customers = rows[0]
    assert customers["database_schema_table"] == "shop / public / customers"
    assert customers["granted_to_public"] == "SELECT"
    assert customers["classified_columns"] == (
        "email: email (personal; sampled values, detector email, 95%, 19 of 20 sampled;"
        " encrypted by the application no); "
        "card_number: pan (card; column comment; encrypted by the application unknown); "
        "phone: phone (personal; column name; encrypted by the application unknown)"
    )
    assert rows[1]["database_schema_table"] == "n/a"
    assert rows[1]["granted_to_public"] == "n/a"
    assert rows[1]["region"] == "eu-west-1 (not allowed)"


def test_csv_neutralises_formulas() -> None:
    rows = _csv_rows(_report(_hostile_map()))
    for row in rows:
        assert row["owner"] == "'" + FORMULA
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    store = rows[0]
    assert store["roles"] == "'@admins, -1+2, two\nlines"
