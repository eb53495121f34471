"""Column classification: personal (pii), health (phi) and card (pci) data.

Three sources, strongest first: an explicit label in the column comment
(`classification=phi`), values sampled from the column (only counts leave this
module, never a value), and the column's name. Pure: no database access.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Classifications the inventory schema knows for a column.
CLASSIFICATIONS = ("pii", "phi", "pci", "email", "phone", "national_id", "pan", "none")
# The data class a table inherits from a column of each classification.
TABLE_CLASS = {
    "pii": "pii",
    "email": "pii",
    "phone": "pii",
    "national_id": "pii",
    "phi": "phi",
    "pci": "pci",
    "pan": "pci",
}
MIN_CONFIDENCE = 0.5  # share of sampled non-null values a detector must match

_LABEL = re.compile(r"\bclassification\s*[=:]\s*([a-z_]+)", re.IGNORECASE)
_ENCRYPTED = re.compile(r"\bencrypted\s*[=:]\s*(true|false|yes|no)\b", re.IGNORECASE)

# Name patterns over the normalised name (lower case, words joined by "_"), English
# and common Spanish, French, German, Italian and Portuguese spellings. Order matters:
# the first class whose pattern matches wins (card numbers before generic numbers).
_NAME_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (
        "pan",
        "card_number",
        r"^pan$|(^|_)(pan_?(num(ber)?|no|encrypted|clear)|card_?pan|card_?num(ber)?|card_?no"
        r"|cc_?num(ber)?|credit_?card(_?num(ber)?)?"
        r"|numero_?(de_?)?tarjeta|kartennummer|numero_?(de_?)?carte|numero_?(do_?)?cartao)(_|$)",
    ),
    (
        "pci",
        "card_security",
        r"(^|_)(cvv2?|cvc2?|card_?(expiry|expiration|exp)(_?date)?|track_?[12]?_?data"
        r"|pin_?block|cardholder(_?name)?|card_?holder(_?name)?)(_|$)",
    ),
    (
        "national_id",
        "national_id",
        r"(^|_)(ssn|social_?security(_?num(ber)?)?|national_?id|nino|nin|tax_?id|tin"
        r"|passport(_?(no|num(ber)?))?|driver_?licen[cs]e(_?(no|num(ber)?))?|dni|nif|nie|codice_?fiscale"
        r"|steuer_?id|steuernummer|personalausweis|bsn|nir|insee|cpf|curp|aadhaar|sin_?number)(_|$)",
    ),
    (
        "email",
        "email",
        r"(^|_)(e_?mail(_?address)?|correo(_?electronico)?|courriel|mail_?address)(_|$)",
    ),
    (
        "phone",
        "phone",
        r"(^|_)(phone(_?num(ber)?)?|telephone|tel|mobile|cell(_?phone)?|fax|telefono"
        r"|telefone|telefon|handy|portable)(_|$)",
    ),
    (
        "phi",
        "health",
        r"(^|_)(diagnos[ie]s|diagnostico|diagnose|icd(_?10)?(_?code)?|prescriptions?"
        r"|medications?|medicamento|ordonnance|receta|rezept|mrn|medical_?record(_?num(ber)?)?"
        r"|health_?(id|record|condition)|medical_?condition|allerg(y|ies)|lab_?results?|symptoms?"
        r"|krankheit|maladie|enfermedad|nhs_?(no|num(ber)?)|medicare_?(id|num(ber)?)|mbi)(_|$)",
    ),
    (
        "pii",
        "personal",
        r"(^|_)(first_?name|last_?name|full_?name|sur_?name|given_?name|family_?name"
        r"|middle_?name|maiden_?name|apellidos?|prenom|nom_?de_?famille|vorname|nachname|cognome"
        r"|date_?of_?birth|dob|birth_?date|birthday|fecha_?(de_?)?nacimiento|date_?de_?naissance"
        r"|geburtsdatum|data_?di_?nascita|data_?de_?nascimento|(home_|street_|postal_|mailing_)?address"
        r"|street|postcode|postal_?code|zip(_?code)?|direccion|adresse|anschrift|indirizzo|endereco"
        r"|ip_?address|gender|geschlecht)(_|$)",
    ),
)
_COMPILED = tuple((cls, name, re.compile(pattern)) for cls, name, pattern in _NAME_PATTERNS)
# Words too common inside other names ("nombre_producto") to match anywhere but alone.
_WHOLE_NAMES = {"nombre": "pii", "nombre_completo": "pii"}


def normalise_name(name: str) -> str:
    """snake_case ASCII words: "CardNumber", "card-number" and "número_tarjeta" become
    "card_number" and "numero_tarjeta"."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", ascii_only)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def by_name(name: str) -> tuple[str, str] | None:
    """(classification, pattern name) the column's name suggests, if any."""
    normalised = normalise_name(name)
    if normalised in _WHOLE_NAMES:
        return _WHOLE_NAMES[normalised], "personal"
    for classification, pattern_name, pattern in _COMPILED:
        if pattern.search(normalised):
            return classification, pattern_name
    return None


def comment_label(comment: str | None) -> str | None:
    """The classification a comment declares (`classification=phi`), if a known one."""
    match = _LABEL.search(comment or "")
    if match and match.group(1).lower() in CLASSIFICATIONS:
        return match.group(1).lower()
    return None


def table_label(comment: str | None) -> str | None:
    """The data class a table comment declares: a table class (pii, phi, pci, confidential,
    public) or a column classification mapped to its class (email -> pii)."""
    match = _LABEL.search(comment or "")
    if match is None:
        return None
    label = match.group(1).lower()
    if label in ("pii", "phi", "pci", "confidential", "public"):
        return label
    return TABLE_CLASS.get(label)


def comment_encrypted(comment: str | None) -> bool | None:
    match = _ENCRYPTED.search(comment or "")
    return None if match is None else match.group(1).lower() in ("true", "yes")


# --- value detectors: each says whether one sampled value looks like its kind -----------

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_SSN = re.compile(r"^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$")
_ICD10 = re.compile(r"^[A-Z][0-9][0-9AB](\.?[0-9A-Z]{1,4})?$")
_NDC = re.compile(r"^\d{4,5}-\d{3,4}-\d{1,2}$")  # US National Drug Code (prescriptions)
_MBI = re.compile(  # US Medicare Beneficiary Identifier
    r"^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}$"
)
_CARD_CHARS = re.compile(r"^[0-9][0-9 -]{11,22}[0-9]$")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_card_number(value: str) -> bool:
    """13 to 19 digits (spaces or dashes allowed), a card network prefix, Luhn-valid."""
    if not value.isascii() or not _CARD_CHARS.match(value):
        return False
    digits = value.replace(" ", "").replace("-", "")
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits)


def is_nhs_number(value: str) -> bool:
    """UK NHS number: ten digits with a modulus-11 check digit."""
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    return check != 10 and (check % 11) == int(digits[9])


@dataclass(frozen=True)
class Detector:
    name: str
    classification: str

    def matches(self, value: str) -> bool:
        value = value.strip()
        return bool(_TESTS[self.name](value))


_TESTS = {
    "card_number": is_card_number,
    "ssn": lambda v: bool(_SSN.match(v)),
    "email": lambda v: bool(_EMAIL.match(v)),
    "icd10": lambda v: bool(_ICD10.match(v)),
    "ndc_prescription": lambda v: bool(_NDC.match(v)),
    "medicare_mbi": lambda v: bool(_MBI.match(v)),
    "nhs_number": is_nhs_number,
}
DETECTORS = (
    Detector("card_number", "pan"),
    Detector("ssn", "national_id"),
    Detector("email", "email"),
    Detector("icd10", "phi"),
    Detector("ndc_prescription", "phi"),
    Detector("medicare_mbi", "phi"),
    Detector("nhs_number", "phi"),
)


@dataclass(frozen=True)
class SampleResult:
    """What sampling found in one column: counts and a confidence, never a value."""

    detector: str
    classification: str
    matched: int
    sampled: int

    @property
    def confidence(self) -> float:
        return round(self.matched / self.sampled, 3) if self.sampled else 0.0


def detect(values: Iterable[str | None]) -> SampleResult | None:
    """The best detector for a column's sampled values, if it reaches MIN_CONFIDENCE."""
    present = [v for v in values if v is not None and v.strip()]
    if not present:
        return None
    best: SampleResult | None = None
    for detector in DETECTORS:
        matched = sum(1 for v in present if detector.matches(v))
        if matched and (best is None or matched > best.matched):
            best = SampleResult(detector.name, detector.classification, matched, len(present))
    if best is None or best.confidence < MIN_CONFIDENCE:
        return None
    return best
