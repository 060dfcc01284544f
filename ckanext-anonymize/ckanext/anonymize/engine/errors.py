"""Errors the engine raises on bad input: a code, and a message in Japanese and in English."""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be processed safely; nothing is written.

    ``code`` is stable for programs (``encoding``, ``ragged_rows``, ``empty``, ``binary``,
    ``zip_bomb``, ``too_large``, ``format``, ``not_found``); the messages are for people.

    >>> e = InputError("empty", "ファイルが空です。", "The file is empty.")
    >>> e.code, str(e)
    ('empty', 'ファイルが空です。 / The file is empty.')
    """

    def __init__(self, code: str, message_ja: str, message_en: str):
        super().__init__(f"{message_ja} / {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en

    def to_dict(self) -> dict:
        return {"code": self.code, "message_ja": self.message_ja, "message_en": self.message_en}
