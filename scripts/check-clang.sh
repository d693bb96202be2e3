#!/usr/bin/env bash
# Compiles every translation unit of build/ with clang 14 for syntax and warnings only (no code):
# the project builds with g++ 12, and this keeps it portable to the other compiler Debian ships.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/compile_commands.json ] || { echo "check-clang: run scripts/build.sh first" >&2; exit 1; }
command -v clang++-14 >/dev/null || { echo "check-clang: clang++-14 is missing (scripts/setup.sh installs it)" >&2; exit 1; }
python3 - <<'PY'
import json, shlex, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
units = [u for u in json.load(open("build/compile_commands.json")) if u["file"].endswith(".cpp")]
def check(unit):
    args = shlex.split(unit["command"])
    out = ["clang++-14", "-fsyntax-only", "-Werror=return-type"]
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD"):
            continue
        out.append(a)
    r = subprocess.run(out, cwd=unit["directory"], capture_output=True, text=True)
    return unit["file"], r.returncode, r.stderr
failed = 0
with ThreadPoolExecutor(max_workers=2) as pool:
    for file, code, err in pool.map(check, units):
        if code != 0:
            failed += 1
            sys.stderr.write(f"check-clang: {file}\n{err}\n")
print(f"check-clang: {len(units)} files, {failed} failed")
sys.exit(1 if failed else 0)
PY
