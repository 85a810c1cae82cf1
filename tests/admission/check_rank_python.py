"""eligo.rank from Python (the binding over eligo::admission::rank_json): the same values as the C test, the
exact text of Decimal points, and a ValueError naming the spec's mistake."""
import decimal

import eligo

spec = {"seed": "2021-yuexiu-g1", "order": [{"by": "total", "desc": True}], "preferences": "preferences",
        "schools": [{"id": "S01", "places": 1}, {"id": "S02", "places": 1}]}
rows = [{"key": "A1", "total": 100, "preferences": "S01;S02"},
        {"key": "A2", "total": 90, "preferences": "S01;S02"},
        {"key": "A3", "total": decimal.Decimal("80.50"), "preferences": "S01"}]
r = eligo.rank(spec, rows)
assert r["placed"] == 2, r
assert [(p["key"], p["points"], p["school"], p["preference"]) for p in r["placements"]] == [
    ("A1", "100", "S01", 1), ("A2", "90", "S02", 2), ("A3", "80.50", "", 0)], r["placements"]
assert r["placements"][1]["reason_zh"] == "第 2 志愿录取（S02）；第 1 志愿 S01 未录取：积分低于该校录取线 100 分", r["placements"][1]
assert [(s["school"], s["admitted"], s["cutoff"]) for s in r["schools"]] == [("S01", 1, "100"), ("S02", 1, "90")]
assert r["rejected"] == []
# The lottery value is the documented formula.
import hashlib
assert r["placements"][0]["lottery"] == hashlib.sha256("2021-yuexiu-g1|A1".encode()).hexdigest()
try:
    eligo.rank({"order": []}, rows)
    raise AssertionError("a spec without a seed was accepted")
except ValueError as e:
    assert str(e).startswith("spec:1:1: /: 'seed' is required"), str(e)
# A key that is an ID number is refused, and the message masks it.
try:
    eligo.rank(spec, [{"key": "110105199001010010", "total": 1, "preferences": "S01"}])
    raise AssertionError("an ID number as key was accepted")
except ValueError as e:
    assert str(e).startswith("column 'key' holds ID numbers (1 row: 1; row 1: 110105********0010)"), str(e)
    assert "110105199001010010" not in str(e)
print("eligo.rank: checked")
