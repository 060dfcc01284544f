"""The engine on the two held-out corpora of IRREGULAR files (benchmarks/anonymize/irregular.py
and heldout.py): files as offices really export them (no header, title lines, two-row headers,
owner columns, private contacts in public remarks, JSON keyed by names, one sheet per resident,
fixed-width host exports, minutes, web-form JSON, ...).

Per layout: at least 99 % of the planted personal values removed and at most 5 % of the
must-stay cells altered. A small scale keeps the run short; the corpus was written without
looking at the engine, so a failure here names a real leak or real damage (see the message)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[5] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from anonymize import heldout, irregular  # noqa: E402

SCALE = 0.3


@pytest.fixture(scope="module")
def result(engine, tmp_path_factory):
    """Generate, scrub (one shared engine) and score the small corpus once for every layout."""
    return irregular.evaluate(engine, str(tmp_path_factory.mktemp("irregular")), scale=SCALE)


@pytest.fixture(scope="module")
def blind(engine, tmp_path_factory):
    return heldout.evaluate(engine, str(tmp_path_factory.mktemp("heldout")), scale=SCALE)


def _details(result, layout: str) -> str:
    r = result["layouts"][layout]
    lines = [
        f"{layout}: recall {r['recall']:.3f} ({r['removed']}/{r['pii']}), "
        f"damage {r['damage']:.3f} ({r['altered']}/{r['stay']}), leaks {r['leak_kinds']}"
    ]
    lines += [
        f"refused {x['file']}: [{x['code']}] {x['message_en']}"
        for x in result["refusals"]
        if x["layout"] == layout
    ]
    lines += [f"crashed {x['file']}: {x['error']}" for x in result["crashes"] if x["layout"] == layout]
    lines += [
        f"leak {m['file']} {m['loc']} {m['kind']}: {m['key']!r} in {m['out']!r}"
        for m in result["misses"]
        if m["layout"] == layout
    ][:8]
    lines += [
        f"altered {a['file']} {a['loc']}: {a['expected']!r} -> {a['got']!r}"
        for a in result["alterations"]
        if a["layout"] == layout
    ][:8]
    return "\n".join(lines)


@pytest.mark.parametrize("layout", irregular.LAYOUT_NAMES)
def test_irregular_layout_recall_and_damage(result, layout):
    r = result["layouts"][layout]
    assert r["pii"] and r["stay"], "the generator planted nothing for this layout"
    assert r["recall"] >= 0.99 and r["damage"] <= 0.05, _details(result, layout)


@pytest.mark.parametrize("layout", heldout.LAYOUT_NAMES)
def test_blind_held_out_layout_recall_and_damage(blind, layout):
    r = blind["layouts"][layout]
    assert r["pii"] and r["stay"], "the generator planted nothing for this layout"
    assert r["recall"] >= 0.99 and r["damage"] <= 0.05, _details(blind, layout)
