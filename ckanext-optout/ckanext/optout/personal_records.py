"""Whether a resource holds personal records, read from the ``anonymize`` plugin's scrub report
(the answer of ``anonymize_report_show``), pure: a release checks that every such resource names
its subject-key columns (``lifecycle.personal_records_keyed``).
"""

from __future__ import annotations

from typing import Any

# A resource holds personal records when a column of persons' names had cells replaced (policy
# transform, entity PERSON), or when any date of birth was found. An owner column (設置者, 開設者 …)
# is a PERSON transform too, but keeps an organisation's name: with no cell replaced (every owner
# was an organisation) it holds no person. A report without the count is taken as personal.
PERSON, DATE_OF_BIRTH, TRANSFORM = "PERSON", "DATE_OF_BIRTH", "transform"


def holds_personal_records(report: dict[str, Any]) -> bool:
    """Whether an ``anonymize_report_show`` answer shows personal records. The scrub report is
    read where the pipeline puts it (``report.stages.scrub``) or at the top (the engine's own).

    >>> holds_personal_records({"report": {"stages": {"scrub": {"sheets": [{"columns": [
    ...     {"name": "氏名", "policy": "transform", "entity": "PERSON", "entities": {}}]}]}}}})
    True
    >>> holds_personal_records({"report": {"sheets": [{"columns": [
    ...     {"name": "氏名", "policy": "keep", "entities": {}},
    ...     {"name": "生年月日", "policy": "transform", "entity": "DATE_OF_BIRTH"}]}]}})
    True
    >>> holds_personal_records({"report": {"sheets": [{"columns": [
    ...     {"name": "備考", "policy": "analyze", "entities": {"DATE_OF_BIRTH": 2}}]}]}})
    True
    >>> holds_personal_records({"report": {"stages": {"scrub": {"sheets": [{"columns": [
    ...     {"name": "施設名", "policy": "keep", "entities": {}},
    ...     {"name": "電話番号", "policy": "transform", "entity": "PHONE_NUMBER"}]}]}}}})
    False

    A Wi-Fi list whose 設置者 is the city in every row, and one where a person owns a spot:

    >>> owners = {"name": "設置者", "policy": "transform", "entity": "PERSON", "owner_role": "設置者"}
    >>> holds_personal_records({"report": {"sheets": [{"columns": [{**owners, "cells_changed": 0}]}]}})
    False
    >>> holds_personal_records({"report": {"sheets": [{"columns": [{**owners, "cells_changed": 1}]}]}})
    True
    """
    top = (report or {}).get("report") or {}
    stages = top.get("stages")
    if not isinstance(stages, dict):
        stages = {}
    for scrub in [top, *(stage for stage in stages.values() if isinstance(stage, dict))]:
        if (scrub.get("totals") or {}).get(DATE_OF_BIRTH):
            return True
        for sheet in scrub.get("sheets") or []:
            columns = list(sheet.get("columns") or [])
            columns += [sheet[k] for k in ("header", "preamble") if isinstance(sheet.get(k), dict)]
            for column in columns:
                entity = column.get("entity")
                if (
                    entity == PERSON
                    and column.get("policy") == TRANSFORM
                    and column.get("cells_changed", 1) != 0
                ):
                    return True
                found = column.get("entities")
                if entity == DATE_OF_BIRTH or (isinstance(found, dict) and found.get(DATE_OF_BIRTH)):
                    return True
    return False
