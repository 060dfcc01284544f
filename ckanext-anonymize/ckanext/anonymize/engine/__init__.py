"""The Japanese PII engine of ``ckanext-anonymize``: pure Python, no CKAN imports, offline.

Detect (Presidio + Japanese recognizers + GiNZA) → decide (a policy per column) → transform
(operators per entity type) → report (counts and masked examples, never raw values)::

    from ckanext.anonymize.engine import Engine, EngineConfig, InputError, open_table, write_table

    engine = Engine(EngineConfig.from_dict({"hash_secret": "…", "k_threshold": 5}))
    tbl = open_table(path, filename="x.csv")       # InputError on bad input (code + ja/en)
    tbl.format, tbl.encoding                       # "csv", "cp932"
    sheets, report = engine.scrub_sheets(tbl.sheets, columns={"氏名": "keep"})
    write_table(dst, tbl.format, sheets)           # consumes the stream; CSV out in UTF-8
    report.to_dict()                               # complete once the stream is consumed

    engine.scrub_file(src, dst, filename=None, columns=None) -> Report
    engine.scan_file(src, filename=None, columns=None) -> Report
    engine.analyze_text(text) -> {"findings": [{entity_type, start, end, score}], "anonymized": str}

Sheets are ``Sheet(name, header, rows)`` with ``rows`` an iterator of ``list[str]``;
``sheet.with_rows(rows)`` gives the same sheet with other rows. ``columns`` overrides the
policy of named columns: ``keep`` | ``transform`` | ``analyze``.

The report dict holds ``format``, ``encoding``, ``layout`` (``自治体標準ODS:AED``, ``施設一覧``,
``generic``), per sheet and column the ``policy`` and ``reason``, ``entities`` counts and masked
``examples``; ``totals`` per entity type; ``high_risk`` (e.g. ``MY_NUMBER``: block publishing);
``k_anonymity`` (``k``, ``smallest_groups``, ``warning`` under ``k_threshold``).

The command line: ``python -m ckanext.anonymize scan FILE`` / ``scrub FILE -o OUT``.
"""

from .config import EngineConfig
from .engine import Engine
from .errors import InputError
from .report import Report
from .sheet import Sheet, Table
from .tables import open_table, write_table

__all__ = ["Engine", "EngineConfig", "InputError", "Report", "Sheet", "Table", "open_table", "write_table"]
