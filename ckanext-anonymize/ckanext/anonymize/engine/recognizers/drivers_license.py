"""Driver's licence numbers (運転免許証番号): 12 digits, recognised only beside their context words.

Twelve digits alone are too common (My Numbers, IDs, codes) to be called a licence number, so
the base score stays under the threshold until a word such as 免許 is near.

>>> is_plausible("301234567890"), is_plausible("3012345678")
(True, False)
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from ckanext.jatext.width import digits

from .base import JaPatternRecognizer


def is_plausible(number: str) -> bool:
    return len(digits(number)) == 12


class DriversLicenseRecognizer(JaPatternRecognizer):
    ENTITY = "JP_DRIVERS_LICENSE"
    PATTERNS = [
        Pattern("license", r"(?<![0-9])[0-9]{12}(?![0-9])", 0.2),
        Pattern("license_grouped", r"(?<![0-9])[0-9]{4}[ \-][0-9]{4}[ \-][0-9]{4}(?![0-9])", 0.2),
    ]
    CONTEXT = ["運転免許", "免許証", "免許番号", "driver", "licence", "license"]
    CONTEXT_SCORE = 0.9  # above My Number's unvalidated score when both could apply

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if is_plausible(pattern_text) else False
