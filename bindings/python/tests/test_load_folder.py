"""eligo.load(folder): every version of a pack, the one in force on as_of chosen as `eligo eval FOLDER` does."""
import datetime
import json

import pytest

import eligo


def first_applicant(root):
    with open(root / "examples/applicants/gz-points.jsonl", encoding="utf-8") as f:
        return json.loads(f.readline())


def test_a_folder_loads_as_a_pack_set_with_every_version(root):
    rules = eligo.load(root / "rules/gz-points")
    assert isinstance(rules, eligo.PackSet)
    assert rules.ids == ["cn.gz.points"]
    assert sorted(p.version for p in rules.packs) == ["2018.1", "2021.1"]
    assert len(rules) == 2


def test_the_version_in_force_on_as_of_is_chosen(root):
    rules = eligo.load(str(root / "rules/gz-points"))
    assert rules.select(as_of="2021-11-15").file.endswith("gz-points-2018.pack.json")
    assert rules.select(as_of="2021-11-16").file.endswith("gz-points-2021.pack.json")
    assert rules.select(as_of=datetime.date(2024, 5, 1)).version == "2021.1"
    with pytest.raises(KeyError, match="no version of .* is in force on 2030-01-01"):
        rules.select(as_of="2030-01-01")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        rules.select(as_of="2024-02-30")


def test_evaluating_a_set_equals_evaluating_the_chosen_file(root):
    rules = eligo.load(root / "rules/gz-points")
    applicant = first_applicant(root)
    for as_of, file in [("2020-06-01", "gz-points-2018.pack.json"), ("2024-05-01", "gz-points-2021.pack.json")]:
        by_set = rules.evaluate(applicant, as_of=as_of)
        by_file = eligo.load(root / "rules/gz-points" / file).evaluate(applicant, as_of=as_of)
        assert by_set.to_dict()["pack"] == by_file.to_dict()["pack"]
        assert by_set.score == by_file.score and by_set.verdict == by_file.verdict
    batch = rules.evaluate_batch([applicant], as_of="2024-05-01")
    assert batch.iloc[0]["total"] == rules.evaluate(applicant, as_of="2024-05-01").score


def test_a_folder_of_several_packs_needs_an_id(root, tmp_path):
    for name in ["gz-points/gz-points-2021.pack.json", "yuexiu-school/yuexiu-school-2021.pack.json"]:
        (tmp_path / name.split("/")[1]).write_bytes((root / "rules" / name).read_bytes())
    rules = eligo.load(tmp_path)
    assert sorted(rules.ids) == ["cn.gz.points", "cn.gz.yuexiu.school-admission"]
    with pytest.raises(ValueError, match="several pack ids"):
        rules.select(as_of="2024-05-01")
    assert rules.select(as_of="2024-05-01", id="cn.gz.points").file.endswith("gz-points-2021.pack.json")


def test_a_broken_file_in_the_folder_is_a_rule_error_naming_it(tmp_path):
    (tmp_path / "bad.pack.json").write_text('{"pack": "t.bad", "version": "1", "inputs": {"a": {"fields": '
                                            '{"x": "number"}}}, "checks": [{"id": "c", "require": "a.y"}]}')
    with pytest.raises(eligo.RuleError) as e:
        eligo.load(tmp_path)
    assert [(d["code"], d["file"], d["pointer"]) for d in e.value.diagnostics] == [
        ("E1203", str(tmp_path / "bad.pack.json"), "/checks/0/require"), ("E1108", str(tmp_path / "bad.pack.json"), "/checks/0")]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(eligo.RuleError, match=r"error\[E1002\]"):
        eligo.load(empty)


def test_the_rules_folder_loads_every_bundled_pack_from_its_subfolders(root):
    rules = eligo.load(root / "rules")
    assert {"cn.gz.points", "cn.minsheng.major-illness"} <= set(rules.ids)
    assert rules.select(as_of="2021-11-15", id="cn.gz.points").version == "2018.1"


def test_reload_keeps_the_set_in_use_when_a_pack_breaks_and_takes_the_fixed_one(tmp_path):
    pack = ('{"pack": "t.live", "version": "%s", "effective": {"from": "%s"}, "inputs": {"a": {"fields": '
            '{"x": "number"}}}, "checks": [{"id": "c", "require": "%s", "reason": {"en": "x too small"}}]}')
    (tmp_path / "v1.pack.json").write_text(pack % ("1", "2024-01-01", "a.x > 1"))
    rules = eligo.load(tmp_path)
    old = rules.select(as_of="2025-06-01")
    assert old.version == "1" and rules.generation == 1
    (tmp_path / "v2.pack.json").write_text(pack % ("2", "2025-01-01", "a.y > 2"))  # a.y is not declared
    with pytest.raises(eligo.RuleError, match=r"E1203"):
        rules.reload()
    assert rules.generation == 1 and rules.select(as_of="2025-06-01").version == "1"
    (tmp_path / "v2.pack.json").write_text(pack % ("2", "2025-01-01", "a.x > 2"))
    rules.reload()
    assert rules.generation == 2
    assert rules.select(as_of="2025-06-01").version == "2"
    assert rules.evaluate({"a": {"x": 2}}, as_of="2025-06-01").verdict == "ineligible"
    assert old.version == "1" and old.evaluate({"a": {"x": 2}}, as_of="2025-06-01").verdict == "eligible"
    (tmp_path / "v2-copy.pack.json").write_text(pack % ("2", "2025-01-01", "a.x > 2"))
    with pytest.raises(eligo.RuleError, match=r"E1005"):
        rules.reload()
