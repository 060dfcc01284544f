"""Detection: Presidio's AnalyzerEngine with the Japanese recognizers, fed with GiNZA docs.

Speed comes from not doing work: repeated texts come from a cache; a text with no digit, no
``@`` and no name-like token cannot match any recognizer and skips Presidio; NER runs only on
the texts whose names the dictionary tags cannot decide, in batches.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ckanext.jatext.fold import fold_map
from ckanext.jatext.width import fold

from .config import EngineConfig
from .nlp import GinzaNlpEngine, chunks
from .recognizers.person import HOUSEHOLD, PERSON_ROLES, RELATIONS


@dataclass(frozen=True)
class Finding:
    entity_type: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict:
        return {
            "entity_type": self.entity_type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
        }


CACHE_MAX_CHARS = 256
# Without one of these (and without a name-like token) no recognizer can match: the text skips
# Presidio. Era names cover dates written in kanji numerals (昭和五十五年三月一日).
_PERSON_CUE_TOKENS = frozenset(HOUSEHOLD + RELATIONS + PERSON_ROLES)
# Digits and the separators of numbers, dates, codes and phone numbers, nothing else.
_NUMBERS_ONLY = re.compile(r"[0-9 \-+().,/:#%]*")
_POSTAL_SHAPE = re.compile(r"(?<![0-9])[0-9]{3}-[0-9]{4}(?![0-9])")
_MAY_MATCH = re.compile(
    r"[0-9@]|丁目|番地|明治|大正|昭和|平成|令和|[一二三四五六七八九十]月|"
    r"[〇一二三四五六七八九]{4}|^[○◯〇●◎]|[ぁ-ゖ] ?(?:さん|くん|ちゃん|様)"
)


def resolve(findings: Iterable[Finding]) -> list[Finding]:
    """Non-overlapping findings in text order. Overlapping findings are merged (fail closed: no
    part of either survives); the merged span takes the type of the member covering most text.

    >>> resolve([Finding("A", 0, 5, 0.6), Finding("B", 3, 9, 0.9), Finding("C", 10, 12, 0.5)])
    [Finding(entity_type='B', start=0, end=9, score=0.9), Finding(entity_type='C', start=10, end=12, score=0.5)]
    """
    merged: list[list[Finding]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < max(g.end for g in merged[-1]):
            merged[-1].append(f)
        else:
            merged.append([f])
    out = []
    for group in merged:
        top = max(group, key=lambda f: (f.end - f.start, f.score))
        out.append(
            Finding(
                top.entity_type,
                min(g.start for g in group),
                max(g.end for g in group),
                max(g.score for g in group),
            )
        )
    return out


class TextAnalyzer:
    def __init__(self, config: EngineConfig):
        self.config = config
        self.nlp_engine = GinzaNlpEngine()
        self._analyzer: Any = None  # presidio AnalyzerEngine, built on first use
        self._person: Any = None  # our PersonRecognizer inside it
        self._supported_entities: frozenset | None = None
        self._cache: OrderedDict = OrderedDict()
        # One engine may serve several threads (web requests, jobs); spaCy docs and the cache
        # are not shared safely, so detection runs one batch at a time.
        self._lock = threading.RLock()
        self.stats = {"texts": 0, "cache_hits": 0, "presidio_calls": 0, "ner_texts": 0}

    @property
    def analyzer(self):
        if self._analyzer is None:
            from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

            from . import recognizers

            self.nlp_engine.load()
            registry = RecognizerRegistry(supported_languages=["ja"])
            for recognizer in recognizers.build("ja", self.config.score_threshold):
                registry.add_recognizer(recognizer)
                if recognizer.name == "JaPersonRecognizer":
                    self._person = recognizer
            self._analyzer = AnalyzerEngine(
                registry=registry,
                nlp_engine=self.nlp_engine,
                supported_languages=["ja"],
                default_score_threshold=self.config.score_threshold,
            )
        return self._analyzer

    def _supported(self, analyzer) -> frozenset:
        if self._supported_entities is None:
            self._supported_entities = frozenset(analyzer.get_supported_entities("ja"))
        return self._supported_entities

    def analyze(self, text: str, entities: Sequence[str] | None = None) -> list[Finding]:
        return self.analyze_many([text], entities)[0]

    def analyze_many(
        self, texts: Sequence[str], entities: Sequence[str] | None = None
    ) -> list[list[Finding]]:
        """Findings for each text (offsets into that text), deduplicated and batched."""
        with self._lock:
            return self._analyze_many(texts, entities)

    def _analyze_many(self, texts: Sequence[str], entities: Sequence[str] | None) -> list[list[Finding]]:
        key_entities = tuple(sorted(entities)) if entities else None
        out: dict[str, list[Finding] | None] = {}
        todo: list[str] = []
        for text in texts:
            self.stats["texts"] += 1
            if text in out:
                continue
            cached = self._cache.get((text, key_entities))
            if cached is not None:
                self.stats["cache_hits"] += 1
                self._cache.move_to_end((text, key_entities))
                out[text] = cached
            elif not text.strip():
                out[text] = []
            else:
                out[text] = None  # placeholder, keeps first-seen order
                todo.append(text)
        if todo:
            for text, findings in zip(todo, self._detect(todo, key_entities)):
                out[text] = findings
                if len(text) <= CACHE_MAX_CHARS:  # long texts rarely repeat; keep memory flat
                    self._cache[(text, key_entities)] = findings
            while len(self._cache) > self.config.cache_size:
                self._cache.popitem(last=False)
        return [out[text] or [] for text in texts]  # every placeholder is filled by now

    def _structured(self, text: str, entities) -> list[Finding]:
        """A cell of digits and separators only (IDs, dates, amounts, phone numbers): no name
        can be in it, so no tokenizer and no NER; only the recognizers of numbers run, directly.
        Without words around it a number is personal only from ten digits (phone, My Number,
        licence, card) or in the shape of a postal code: shorter ones (IDs, dates, amounts) are
        not even looked at."""
        if sum(ch.isdigit() for ch in text) < 10 and not _POSTAL_SHAPE.search(text):
            return []
        wanted = [e for e in self._supported(self.analyzer) if entities is None or e in entities]
        found = []
        for recognizer in self._number_recognizers:
            for r in recognizer.analyze(text, wanted):
                if r.score >= self.config.score_threshold and (entities is None or r.entity_type in entities):
                    found.append(Finding(r.entity_type, r.start, r.end, r.score))
        return resolve(found)

    @property
    def _number_recognizers(self) -> list:
        if not hasattr(self, "_numbers"):
            self.analyzer  # noqa: B018 - builds the registry
            self._numbers = [
                r
                for r in self._analyzer.registry.recognizers
                if r.name != "JaPersonRecognizer"
                and hasattr(r, "patterns")
                and r.name != "DateOfBirthRecognizer"
            ]  # a date of birth needs words
        return self._numbers

    def _detect(self, texts: list[str], entities) -> list[list[Finding]]:
        analyzer = self.analyzer
        pieces = []  # (text index, offset, folded piece, doc)
        results: list[list[Finding]] = [[] for _ in texts]
        for i, text in enumerate(texts):
            folded_all = fold(text)
            if _NUMBERS_ONLY.fullmatch(folded_all):
                results[i] = self._structured(folded_all, entities)
                continue
            for offset, piece in chunks(text):
                folded = fold_map(piece)
                pieces.append([i, offset, folded, self.nlp_engine.tokenize(folded.text)])
        mode = self.config.ner
        wants_person = entities is None or "PERSON" in entities
        if mode != "never" and wants_person:
            chosen = [p for p in pieces if mode == "always" or self._person.needs_ner(p[3])]
            if chosen:
                self.stats["ner_texts"] += len(chosen)
                for p, doc in zip(chosen, self.nlp_engine.ner([p[3] for p in chosen])):
                    p[3] = doc
        if entities:
            # Ask Presidio only for types it has recognizers for (column-level types such as
            # PERSONAL_ID have none, and Presidio warns about every such request).
            supported = self._supported(analyzer)
            entities = [e for e in entities if e in supported]
            if not entities:
                return [resolve(r) for r in results]
        for i, offset, folded, doc in pieces:
            if not (
                _MAY_MATCH.search(folded.text)
                or doc.ents
                or any(t.tag_.startswith("名詞-固有名詞-人名") or t.text in _PERSON_CUE_TOKENS for t in doc)
            ):
                continue
            self.stats["presidio_calls"] += 1
            found = analyzer.analyze(
                folded.text,
                "ja",
                entities=list(entities) if entities else None,
                nlp_artifacts=self.nlp_engine.artifacts(doc),
                score_threshold=self.config.score_threshold,
            )
            for r in found:
                start, end = folded.original_span(r.start, r.end)
                results[i].append(Finding(r.entity_type, start + offset, end + offset, r.score))
        return [resolve(r) for r in results]
