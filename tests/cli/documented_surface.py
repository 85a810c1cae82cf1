#!/usr/bin/env python3
"""Every documented surface is exercised by some test (issue 17 item 5): a floor, checked on every run.

- CLI: every option `eligo <command> --help` lists, and every option the docs show on an `eligo <command>`
  line, must appear in a test file (tests/, bindings/python/tests/) that also names the command;
- C API: every function include/eligo/eligo.h declares must be called from a C test (tests/**/*.c);
- Python: every name of eligo.__all__ and every public method or property of its classes (read from
  bindings/python/eligo/__init__.py, no import needed) must be used in a Python test.

A name found in a test is not proof that the test checks its values (review does that); a name found
nowhere is proof that nothing does. KNOWN_GAPS lists what is not covered yet, so the list can only shrink:
the check fails on a gap missing from it and on an entry of it that is covered now.

Usage: documented_surface.py ELIGO_CLI SOURCE_DIR
"""
import ast
import glob
import os
import re
import subprocess
import sys

# (surface, name): nothing tests it yet (empty now: every documented surface has a test). Remove a line when a
# test covers it; add one only for a surface that cannot be tested here, saying why.
KNOWN_GAPS = set()

OPTION = re.compile(r"(?<![A-Za-z0-9-])--[a-z][a-z0-9-]*")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def main():
    cli, root = sys.argv[1], sys.argv[2]
    me = os.path.abspath(__file__)
    tests = {}
    # examples/ too: CTest runs the examples and checks their output (examples.*, admission.yuexiu_example).
    for pattern in ("tests/**/*", "bindings/python/tests/**/*", "examples/**/*"):
        for path in glob.glob(os.path.join(root, pattern), recursive=True):
            if os.path.isfile(path) and os.path.abspath(path) != me and not path.endswith((".xlsx", ".sqlite")):
                tests[path] = read(path)

    def covered(*needles):
        """Some test file holds every needle (each a compiled regex)."""
        return any(all(n.search(text) for n in needles) for text in tests.values())

    found = set()  # (surface, name) with no test

    # CLI: the commands of `eligo --help`, the options of each command's --help and of the docs' lines.
    top = subprocess.run([cli, "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^  ([a-z]+) ", top, re.M)
    assert len(commands) >= 9, "eligo --help lists too few commands:\n" + top
    docs = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    doc_lines = [line for path in docs for line in read(path).splitlines()]
    for command in commands:
        p = subprocess.run([cli, command, "--help"], capture_output=True, text=True)
        if p.returncode != 0:
            found.add(("cli", f"{command} --help exits {p.returncode}"))
            continue
        options = set()
        for line in (p.stdout + p.stderr).splitlines():
            # an option's own line ("  --window DAYS  ...", "  --head N, --tail N  ...") up to its description,
            # and usage lines; not options of other programs named in a description (eligo-server --reports)
            if line.lstrip().startswith("--"):
                options |= set(OPTION.findall(re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]))
            elif "usage:" in line or re.match(r"^\s*(eligo|\[)", line) or line.startswith(" " * 6):
                options |= set(OPTION.findall(line))
        for line in doc_lines:
            if re.search(r"(?:^|[\s`$])eligo " + command + r"(?:\s|$)", line):
                options |= set(OPTION.findall(line))
        options -= {"--help", "--version"}
        word = re.compile(r"(?<![A-Za-z0-9_-])" + command + r"(?![A-Za-z0-9_-])")
        for option in sorted(options):
            if not covered(word, re.compile(re.escape(option) + r"(?![a-z0-9-])")):
                found.add(("cli", f"{command} {option}"))

    # C API.
    header = read(os.path.join(root, "include", "eligo", "eligo.h"))
    c_tests = "\n".join(text for path, text in tests.items() if path.endswith(".c"))
    for fn in sorted(set(re.findall(r"ELIGO_API\s+[^;(]*?\b(eligo_[a-z0-9_]+)\s*\(", header))):
        if not re.search(r"\b" + fn + r"\s*\(", c_tests):
            found.add(("c", fn))

    # Python: eligo.__all__, the public methods and properties of its classes.
    module = ast.parse(read(os.path.join(root, "bindings", "python", "eligo", "__init__.py")))
    public = []
    classes = {node.name for node in module.body if isinstance(node, ast.ClassDef)}
    for node in module.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            public += [e.value for e in node.value.elts]
    for node in module.body:
        if isinstance(node, ast.ClassDef) and node.name in public:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                    public.append(node.name + "." + item.name)
                if isinstance(item, ast.Assign):
                    public += [node.name + "." + t.id for t in item.targets
                               if isinstance(t, ast.Name) and not t.id.startswith("_")]
    py_tests = "\n".join(text for path, text in tests.items() if path.endswith(".py"))
    for name in public:
        if name in classes:
            continue  # a class is covered through its members
        last = name.split(".")[-1]
        pattern = (r"\beligo\." + last + r"\b") if "." not in name else (r"\." + last + r"\b")
        if not re.search(pattern, py_tests):
            found.add(("python", name))

    new = sorted(found - KNOWN_GAPS)
    closed = sorted(KNOWN_GAPS - found)
    for surface, name in new:
        print(f"no test exercises {surface}: {name}")
    for surface, name in closed:
        print(f"KNOWN_GAPS lists {surface}: {name}, which a test now exercises: remove it from the list")
    print(f"{len(commands)} commands; {len(found)} known gaps")
    return 1 if new or closed else 0


if __name__ == "__main__":
    sys.exit(main())
