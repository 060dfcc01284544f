"""Engine configuration: operators per entity type, the hash secret, limits, the k threshold.

Built from a plain dict (a JSON/YAML file, or ``ckanext.anonymize.*`` options on the CKAN side)::

    EngineConfig.from_dict({
        "operators": {"PERSON": {"type": "hash"}, "PHONE_NUMBER": {"type": "mask"}},
        "hash_secret": "a long secret from the portal's config",
        "k_threshold": 5,
    })

Unknown keys are an error (a typo must not silently weaken the scrub).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

OPERATOR_TYPES = ("replace", "mask", "hash", "redact")


@dataclass(frozen=True)
class EngineConfig:
    # Operator per entity type: {"type": "replace"|"mask"|"hash"|"redact", ...params}.
    # Params: replace → new_value; mask → masking_char, chars_to_mask, from_end.
    operators: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_operator: dict[str, Any] = field(default_factory=lambda: {"type": "replace"})
    # Key of the keyed hash (HMAC-SHA256). Without it a random key is drawn per engine, so
    # pseudonyms are stable within one run only (the report says so).
    hash_secret: str | None = None
    score_threshold: float = 0.5
    # NER (GiNZA) use: "auto" = only for cells the rules leave undecided; "always"; "never".
    ner: str = "auto"
    # Limits: bad input fails closed with InputError.
    max_bytes: int = 512 * 1024 * 1024
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_compression_ratio: int = 200
    max_cell_chars: int = 1_000_000
    # Column profiling and batching.
    sample_rows: int = 200
    chunk_rows: int = 512
    cache_size: int = 100_000
    examples_per_column: int = 3
    # k-anonymity over quasi-identifier columns.
    k_threshold: int = 3
    max_groups: int = 200_000
    smallest_groups: int = 5
    quasi_identifiers: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> EngineConfig:
        """Build a config, checking keys and operator types.

        >>> EngineConfig.from_dict({"k_threshold": 5}).k_threshold
        5
        >>> EngineConfig.from_dict({"operators": {"PERSON": {"type": "shred"}}})
        Traceback (most recent call last):
        ...
        ckanext.anonymize.engine.errors.InputError: 設定が不正です: PERSON の演算子 shred は使えません。 / Invalid configuration: operator shred for PERSON is not supported.
        """
        data = dict(data or {})
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise InputError(
                "config",
                f"設定が不正です: 不明な項目 {', '.join(unknown)}。",
                f"Invalid configuration: unknown keys {', '.join(unknown)}.",
            )
        if "quasi_identifiers" in data:
            data["quasi_identifiers"] = tuple(data["quasi_identifiers"])
        operators = {str(k): dict(v) for k, v in (data.get("operators") or {}).items()}
        data["operators"] = operators
        for entity, op in list(operators.items()) + [
            ("DEFAULT", data.get("default_operator") or {"type": "replace"})
        ]:
            if op.get("type") not in OPERATOR_TYPES:
                raise InputError(
                    "config",
                    f"設定が不正です: {entity} の演算子 {op.get('type')} は使えません。",
                    f"Invalid configuration: operator {op.get('type')} for {entity} is not supported.",
                )
        if data.get("ner", "auto") not in ("auto", "always", "never"):
            raise InputError(
                "config",
                "設定が不正です: ner は auto / always / never です。",
                "Invalid configuration: ner must be auto, always or never.",
            )
        return cls(**data)

    def operator_for(self, entity_type: str) -> dict[str, Any]:
        return self.operators.get(entity_type) or self.default_operator
