"""R8 scan (issue 10 item 3, TARGETS R8): after the other tests, looks through the CTest log and every file
the tests wrote under the build tree (xlsx workbooks unzipped) for valid ID numbers, Luhn-valid card numbers
and mobiles in clear text, with tests/pii/r8_check.py (an implementation apart from eligo's masking).

A test that writes clear text on purpose (inputs it generated, output made with clear text asked for)
marks it: a file named `.r8-clear` in the same folder lists shell patterns, one a line, of the names there
that are clear by intent ("*" for the whole folder, subfolders included).

Files written since the test run started (the "Start testing" line of the run's log, LastTest.log.tmp,
to the minute) are scanned; build outputs (objects, libraries, executables, the assembled Python package)
are not test output and are skipped.

usage: r8_scan.py BUILD_DIR"""
import calendar
import fnmatch
import os
import sys
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii"))
import r8_check  # noqa: E402

build = os.path.abspath(sys.argv[1])
# While CTest runs, the run's log is LastTest.log.tmp (renamed LastTest.log at the end); LastTest.log is then
# the previous run's, not scanned again.
log = os.path.join(build, "Testing", "Temporary", "LastTest.log")
stale_log = None
if os.path.exists(log + ".tmp"):
    stale_log, log = log, log + ".tmp"
since = 0.0
try:
    with open(log, encoding="utf-8", errors="replace") as f:
        head = f.readline()
    # "Start testing: Nov 29 04:31 UTC": to the minute, so take the minute before.
    t = time.strptime(head.split(":", 1)[1].strip() + " " + time.strftime("%Y"), "%b %d %H:%M %Z %Y")
    since = calendar.timegm(t) - 60
except (OSError, ValueError, IndexError):
    pass  # no log: scan everything
SKIP_DIRS = {"CMakeFiles", ".git", os.path.join(build, "python", "eligo")}
SKIP_EXT = {".o", ".a", ".so", ".d", ".ninja", ".pyc", ".bin"}
MAX_BYTES = 64 << 20


def clear_patterns(folder, cache={}):
    """Patterns that mark files clear by intent, from .r8-clear files in `folder` and its parents."""
    if folder not in cache:
        pats = []
        marker = os.path.join(folder, ".r8-clear")
        if os.path.exists(marker):
            pats = [("", l.strip()) for l in open(marker, encoding="utf-8") if l.strip() and not l.startswith("#")]
        parent = os.path.dirname(folder)
        if folder != build and parent.startswith(build):
            pats += [(os.path.join(os.path.basename(folder), sub) if sub else os.path.basename(folder), p)
                     for sub, p in clear_patterns(parent) if p == "*"]
        cache[folder] = pats
    return cache[folder]


def marked_clear(path):
    folder, name = os.path.split(path)
    return any(p == "*" or fnmatch.fnmatch(name, p) for _, p in clear_patterns(folder))


def texts(path):
    if path.endswith(".xlsx"):
        try:
            with zipfile.ZipFile(path) as z:
                for member in z.namelist():
                    yield path + ":" + member, z.read(member).decode("utf-8", "replace")
        except zipfile.BadZipFile:
            yield path, open(path, "rb").read(MAX_BYTES).decode("utf-8", "replace")
        return
    with open(path, "rb") as f:
        head = f.read(4096)
        if b"\0" in head and not head.startswith(b"SQLite format 3"):
            return  # other binary files (executables, images)
        data = head + f.read(MAX_BYTES)
    if data.startswith(b"SQLite format 3"):
        # A store's pages: the strings in it are what a reader of the file would see.
        yield path, data.decode("latin-1")
        return
    yield path, data.decode("utf-8", "replace")


scanned = 0
problems = []
for root, dirs, files in os.walk(build):
    dirs[:] = [d for d in dirs if d not in SKIP_DIRS and os.path.join(root, d) not in SKIP_DIRS]
    for name in files:
        path = os.path.join(root, name)
        if (os.path.splitext(name)[1] in SKIP_EXT or name == ".r8-clear" or os.path.islink(path)
                or (root == build and name.startswith(".ninja"))):
            continue
        try:
            if os.path.getmtime(path) < since:
                continue
        except OSError:
            continue
        if path == stale_log:
            continue
        is_log = os.path.join("Testing", "Temporary") in path
        if not is_log and marked_clear(path):
            continue
        scanned += 1
        for where, text in texts(path):
            found = r8_check.findings(text)
            if found:
                problems.append((os.path.relpath(where, build), found))

for where, found in problems:
    kinds = ", ".join(sorted({k for k, _ in found}))
    # The finding itself is not printed: this log is scanned too.
    print(f"R8: {where}: {len(found)} in clear ({kinds}), e.g. {found[0][1][:6]}… (masked here: this log is scanned)")
print(f"r8 scan: {scanned} files written by the tests, {len(problems)} with PII in clear")
sys.exit(1 if problems else 0)
