"""Every bundled pack and case file is valid against the JSON Schemas in schema/ (draft 2020-12), each pack
names its schema in "$schema" (so editors complete and check it), and the schemas are not vacuous: packs
broken on purpose in tests/golden/diagnostics are rejected. Run with Debian's python3-jsonschema."""
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")


def validator(kind):
    with open(os.path.join(ROOT, "schema", f"eligo-{kind}.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    failures = []
    packs, cases = validator("pack"), validator("cases")
    bundled = sorted(glob.glob(os.path.join(ROOT, "rules", "*", "*.pack.json")))
    case_files = sorted(glob.glob(os.path.join(ROOT, "rules", "*", "tests", "*.cases.json")))
    if len(bundled) < 4 or len(case_files) < 4:
        failures.append(f"expected the bundled packs and cases, found {len(bundled)} packs, {len(case_files)} case files")
    for path in bundled:
        doc = load(path)
        for e in packs.iter_errors(doc):
            failures.append(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
        if doc.get("$schema") != "../../schema/eligo-pack.schema.json":
            failures.append(f"{path}: \"$schema\" should name ../../schema/eligo-pack.schema.json")
    # Packs with the sections the bundled ones lack: a compare section (eligo compare), outputs written as
    # tables, a date_format, and their case files.
    extra = [os.path.join(ROOT, "tests", "admission", "compare", "points.pack.json"),
             os.path.join(ROOT, "tests", "golden", "outputs", "output-tables.pack.json"),
             os.path.join(ROOT, "tests", "golden", "outputs", "dates-chinese.pack.json")]
    for path in extra:
        for e in packs.iter_errors(load(path)):
            failures.append(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    case_files += sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "outputs", "tests", "*.cases.json")))
    for path in case_files:
        for e in cases.iter_errors(load(path)):
            failures.append(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    # Mistakes the schema must catch as an editor would show them (the rest need eligo check).
    broken = ["02-unknown-top-level-key", "03-wrong-type", "04-missing-required-keys", "13-missing-reason",
              "29-unknown-hit-policy", "42-unknown-key-in-check", "43-unknown-pii-kind", "44-unknown-rounding-mode",
              "50-per-and-points-together", "57-output-table-mistakes", "58-unknown-date-format"]
    for name in broken:
        path = os.path.join(ROOT, "tests", "golden", "diagnostics", name + ".pack.json")
        if packs.is_valid(load(path)):
            failures.append(f"{path}: broken on purpose, but the schema accepts it")
    bad_case = {"cases": [{"name": "x", "expect": {"verdcit": "eligible"}}]}
    if cases.is_valid(bad_case):
        failures.append("a case with a misspelt expect key is accepted by the cases schema")
    for f in failures:
        print(f)
    print(f"{len(bundled)} packs, {len(case_files)} case files, {len(broken)} broken packs checked: "
          f"{'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
