"""Nothing is downloaded at run time: set the libraries that could reach the network offline.

- tldextract fetches the public suffix list on first use (Presidio's email and URL recognizers
  call it); its bundled snapshot is used instead.
- Hugging Face / transformers-based models are never loaded, and told so.
- spaCy models are loaded only from installed packages (``ja_ginza`` ships its weights).
"""

from __future__ import annotations

import os

_done = False


def configure() -> None:
    global _done
    if _done:
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TLDEXTRACT_CACHE_TIMEOUT", "0")
    try:
        import tldextract.tldextract as tld
    except ImportError:  # pragma: no cover - tldextract comes with presidio-analyzer
        pass
    else:
        tld.TLD_EXTRACTOR.suffix_list_urls = ()
        tld.TLD_EXTRACTOR.fallback_to_snapshot = True
        tld.TLD_EXTRACTOR._extractor = None
    _done = True
