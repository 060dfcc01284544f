"""GiNZA (ja_ginza) for Presidio: loaded once, offline, with only the components NER needs.

Tokenizing (Sudachi) is cheap and always done; the tok2vec + ner components run only on the
docs the engine selects, in batches through ``nlp.pipe``. Sudachi refuses input over 49,149
bytes, so long text is cut into chunks first (see :func:`chunks`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

from .errors import InputError
from .offline import configure

MODEL = "ja_ginza"
# The parser, morphology and bunsetu components do not feed NER; dropping them saves time and RAM.
EXCLUDE = ["parser", "morphologizer", "compound_splitter", "bunsetu_recognizer"]
MAX_CHUNK_CHARS = 4000  # ≤ 3 bytes a char in UTF-8: far under Sudachi's 49,149-byte limit
_BREAK = re.compile(r"(?<=[。．！？!?\n])")

_lock = threading.Lock()
_models: dict = {}


def load_model():
    """The shared spaCy pipeline (one per process), loaded from the installed package only."""
    configure()
    with _lock:
        if MODEL not in _models:
            import spacy

            if not spacy.util.is_package(MODEL):
                raise InputError(
                    "model",
                    "GiNZA（ja_ginza）がインストールされていません。",
                    "The ja_ginza model package is not installed.",
                )
            _models[MODEL] = spacy.load(MODEL, exclude=EXCLUDE)
        return _models[MODEL]


def chunks(text: str, size: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) of ``text`` cut at sentence ends, each at most ``size`` characters.

    >>> [(o, len(p)) for o, p in chunks("あ。" * 5, size=4)]
    [(0, 4), (4, 4), (8, 2)]
    """
    if len(text) <= size:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = max((m.start() for m in _BREAK.finditer(text, start + size // 2, end)), default=0)
            if cut > start:
                end = cut
        yield start, text[start:end]
        start = end


class GinzaNlpEngine(NlpEngine):
    """A Presidio NLP engine around the shared GiNZA pipeline, with separate tokenize / NER steps."""

    def __init__(self):
        self.nlp: Any = None  # a spaCy Language once loaded

    def load(self) -> None:
        if self.nlp is None:
            self.nlp = load_model()

    def is_loaded(self) -> bool:
        return self.nlp is not None

    def tokenize(self, text: str):
        self.load()
        return self.nlp.tokenizer(text)

    def ner(self, docs: Iterable, batch_size: int = 64) -> list:
        """Run tok2vec + ner over already tokenized docs."""
        self.load()
        return list(self.nlp.pipe(docs, batch_size=batch_size))

    def artifacts(self, doc) -> NlpArtifacts:
        return NlpArtifacts(
            entities=list(doc.ents),
            tokens=doc,
            tokens_indices=[t.idx for t in doc],
            lemmas=[t.lemma_ or t.text for t in doc],
            nlp_engine=self,
            language="ja",
            scores=[0.85] * len(doc.ents),
        )

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return self.artifacts(self.ner([self.tokenize(text)])[0])

    def process_batch(self, texts, language, batch_size: int = 1, n_process: int = 1, **kwargs):
        texts = list(texts)
        docs = self.ner([self.tokenize(t) for t in texts], batch_size=max(batch_size, 16))
        for text, doc in zip(texts, docs):
            yield text, self.artifacts(doc)

    def is_stopword(self, word: str, language: str) -> bool:
        self.load()
        return self.nlp.vocab[word].is_stop

    def is_punct(self, word: str, language: str) -> bool:
        self.load()
        return self.nlp.vocab[word].is_punct

    def get_supported_entities(self) -> list[str]:
        return ["PERSON"]

    def get_supported_languages(self) -> list[str]:
        return ["ja"]
