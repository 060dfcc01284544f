"""A Presidio ``PatternRecognizer`` with Japanese context handling.

Presidio's context enhancer matches lemmas of tokens before a match; Japanese context sits
both before (「個人番号：…」) and after (「…生まれ」) and often without token boundaries, so each
recognizer here looks for its ``CONTEXT`` words in a character window around the match and
marks the result as enhanced (Presidio then leaves it alone).
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult


class JaPatternRecognizer(PatternRecognizer):
    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[list[str]] = []
    # Words that count only when they follow the match (「昭和55年3月1日生」).
    CONTEXT_AFTER: ClassVar[list[str]] = []
    CONTEXT_SCORE: ClassVar[float] = 0.85
    WINDOW_BEFORE: ClassVar[int] = 16
    WINDOW_AFTER: ClassVar[int] = 6

    def __init__(self, supported_language: str = "ja"):
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            patterns=[Pattern(p.name, p.regex, p.score) for p in self.PATTERNS],
            supported_language=supported_language,
        )
        self._before = [w.lower() for w in self.CONTEXT]
        self._after = [w.lower() for w in self.CONTEXT + self.CONTEXT_AFTER]

    def has_context(self, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - self.WINDOW_BEFORE) : start].lower()
        after = text[end : end + self.WINDOW_AFTER].lower()
        return any(w in before for w in self._before) or any(w in after for w in self._after)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts=None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            if self.has_context(text, result.start, result.end):
                result.score = max(result.score, self.CONTEXT_SCORE)
            if result.recognition_metadata is None:
                result.recognition_metadata = {}
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return results
