#!/usr/bin/env python3
"""Compile requirements.in into requirements.txt: every package pinned, with its hash.

Uses pip's own resolver (``pip install --dry-run --report``), so the lock holds
exactly what pip would install here; ``pip install --require-hashes`` then
refuses anything that differs from what was locked.

    python scripts/lock_requirements.py requirements.in requirements.txt
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def resolve(source: Path) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
             "--report", str(report), "-r", str(source)],
            check=True,
        )
        return json.loads(report.read_text())["install"]


def main(source: str, target: str) -> None:
    lines = [f"# Compiled from {source} by scripts/lock_requirements.py (make lock); do not edit.\n"]
    for item in sorted(resolve(Path(source)), key=lambda i: i["metadata"]["name"].lower()):
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        hashes = item["download_info"].get("archive_info", {}).get("hashes", {})
        if "sha256" not in hashes:
            sys.exit(f"{name}: pip reported no sha256; cannot lock it")
        lines.append(f"{name}=={version} \\\n    --hash=sha256:{hashes['sha256']}\n")
    Path(target).write_text("".join(lines))
    print(f"{target}: {len(lines) - 1} packages locked")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
