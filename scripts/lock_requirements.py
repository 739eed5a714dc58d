#!/usr/bin/env python3
"""Compile a requirements .in file into a lock: every package pinned, with its hash.

Uses pip's own resolver (``pip install --dry-run --report``), so the lock holds
exactly what pip would install here; ``pip install --require-hashes`` then
refuses anything that differs from what was locked.

    python scripts/lock_requirements.py requirements.in requirements.txt
    python scripts/lock_requirements.py requirements-dev.in requirements-dev.txt --constraint requirements.txt

A package that something asks for with extras is locked with them, e.g.
``smart-open[http]==9.0.2`` (weasel needs ``smart-open[http]``): the pip that
Python 3.11's venv ships (23.x) treats ``smart-open[http]`` as a requirement
of its own, and with only ``smart-open==9.0.2`` locked it calls it unpinned and
refuses the whole install in --require-hashes mode (pypa/pip#9644). It is locked bare
too (``smart-open==9.0.2`` then ``smart-open[http]==9.0.2``), for a package that asks for
it with no extras: htmldate's ``lxml>=6.1.3`` was called unpinned beside ``lxml[html_clean]``
once a newer lxml was published.

``--constraint`` keeps the packages two locks share at the same versions: the
development lock is resolved within the runtime lock's pins.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)")


def resolve(source: Path, constraint: Path | None) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
                   "--report", str(report), "-r", str(source)]
        if constraint is not None:
            pins = Path(tmp) / "constraints.txt"
            pins.write_text(pins_of(constraint))
            command += ["-c", str(pins)]
        subprocess.run(command, check=True)
        return json.loads(report.read_text())["install"]


def pins_of(lock: Path) -> str:
    """A lock's pins without extras or hashes, as a constraints file wants them.

    ``smart-open[http]==9.0.2 \\`` and its ``--hash=`` line become ``smart-open==9.0.2``.
    """
    return "".join(f"{m[1]}=={m[2]}\n" for line in lock.read_text().splitlines() if (m := PIN.match(line)))


def extras_asked(items: list[dict]) -> dict[str, set[str]]:
    """Each package's extras that the user or a dependency (its markers holding) asks for."""
    asked = {canonicalize_name(i["metadata"]["name"]): set(i.get("requested_extras", ())) for i in items}
    changed = True
    while changed:  # an extra may pull in a dependency's extra: go round until nothing new
        changed = False
        for item in items:
            parent = canonicalize_name(item["metadata"]["name"])
            for line in item["metadata"].get("requires_dist", ()):
                req = Requirement(line)
                name = canonicalize_name(req.name)
                wanted = req.marker is None or any(
                    req.marker.evaluate({"extra": extra}) for extra in asked[parent] | {""}
                )
                if wanted and name in asked and not req.extras <= asked[name]:
                    asked[name] |= req.extras
                    changed = True
    return asked


def lock_lines(items: list[dict]) -> list[str]:
    asked = extras_asked(items)
    lines = []
    for item in sorted(items, key=lambda i: i["metadata"]["name"].lower()):
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        hashes = item["download_info"].get("archive_info", {}).get("hashes", {})
        if "sha256" not in hashes:
            sys.exit(f"{name}: pip reported no sha256; cannot lock it")
        extras = sorted(asked[canonicalize_name(name)])
        pinned = f"=={version} \\\n    --hash=sha256:{hashes['sha256']}\n"
        if extras:  # bare too: a package asking for it with no extras is pinned as well (pypa/pip#9644)
            lines.append(f"{name}{pinned}")
        lines.append(f"{name}[{','.join(extras)}]{pinned}" if extras else f"{name}{pinned}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--constraint", type=Path, help="a lock whose pins this one must keep")
    args = parser.parse_args()
    lines = lock_lines(resolve(args.source, args.constraint))
    header = f"# Compiled from {args.source} by scripts/lock_requirements.py (make lock); do not edit.\n"
    args.target.write_text(header + "".join(lines))
    print(f"{args.target}: {len(lines)} packages locked")


if __name__ == "__main__":
    main()
