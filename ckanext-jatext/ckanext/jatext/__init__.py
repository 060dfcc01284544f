"""Japanese text core of the Gifu suite: pure Python, no CKAN, shared by the plugins.

The scrubber (``anonymize``) and the opt-out matcher (``optout``) must never disagree about what
a date, a reading or a column header is; both call this package. It is a library, not a plugin
(no entry point), and imports nothing but the standard library and ``jaconv``.

- :mod:`.width`    length-preserving width folding (offsets stay valid), digits of either width
- :mod:`.fold`     folding for detection (half-width kana, era ligatures) with a map back
- :mod:`.kana`     katakana/hiragana, half-/full-width kana, reading keys
- :mod:`.numbers`  kanji numerals (五十五, 二〇二四, 元)
- :mod:`.wareki`   和暦 and 西暦 dates, as a parser and as patterns for running text
- :mod:`.headers`  column headers as comparison keys
"""
