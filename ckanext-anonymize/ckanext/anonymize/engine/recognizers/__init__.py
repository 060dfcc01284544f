"""Japanese recognizers on Presidio, one identifier per module; :func:`build` lists them all.

Presidio's own checksum recognizers for cards, IBANs, IP addresses and US SSNs are registered
for ``ja`` too, so English identifiers in the same files are still found.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IbanRecognizer,
    IpRecognizer,
    UsSsnRecognizer,
)

from .address import AddressRecognizer  # re-exported
from .bank_account import BankAccountRecognizer
from .date_of_birth import DateOfBirthRecognizer
from .drivers_license import DriversLicenseRecognizer
from .email import EmailRecognizer
from .kana_name import KanaNameRecognizer
from .my_number import MyNumberRecognizer
from .passport import PassportRecognizer
from .person import PersonRecognizer
from .phone import PhoneRecognizer
from .postal_code import PostalCodeRecognizer
from .residence_card import ResidenceCardRecognizer

JAPANESE = (
    MyNumberRecognizer,
    PhoneRecognizer,
    PostalCodeRecognizer,
    AddressRecognizer,
    DateOfBirthRecognizer,
    EmailRecognizer,
    DriversLicenseRecognizer,
    PassportRecognizer,
    ResidenceCardRecognizer,
    BankAccountRecognizer,
    KanaNameRecognizer,
)
INTERNATIONAL = (CreditCardRecognizer, IbanRecognizer, IpRecognizer, UsSsnRecognizer)


def build(language: str = "ja", threshold: float = 0.5) -> list[EntityRecognizer]:
    """Fresh instances of every recognizer for ``language``."""
    recognizers: list[EntityRecognizer] = [cls(supported_language=language) for cls in JAPANESE]
    recognizers += [cls(supported_language=language) for cls in INTERNATIONAL]
    recognizers.append(PersonRecognizer(supported_language=language, threshold=threshold))
    return recognizers


def supported_entities() -> list[str]:
    return sorted({e for r in build() for e in r.supported_entities})
