"""scripts/lock_requirements.py: what a lock holds for a package asked for with extras."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "lock_requirements.py"


def _lock_module():
    spec = importlib.util.spec_from_file_location("lock_requirements", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _item(name: str, version: str, requires=(), requested_extras=()):
    return {"metadata": {"name": name, "version": version, "requires_dist": list(requires)},
            "download_info": {"archive_info": {"hashes": {"sha256": f"{name}-hash"}}},
            "requested_extras": list(requested_extras)}


def test_a_package_asked_for_with_extras_is_locked_with_them_and_bare():
    # One asks for lxml[html_clean], another for plain lxml: pip 23 in --require-hashes mode
    # needs each spelling pinned (pypa/pip#9644).
    lock = _lock_module()
    lines = lock.lock_lines([
        _item("trafilatura", "2.3.1", requires=["lxml[html_clean]>=5"], requested_extras=()),
        _item("htmldate", "1.11.0", requires=["lxml>=6.1.3"]),
        _item("lxml", "6.2.0"),
    ])
    assert lines == [
        "htmldate==1.11.0 \\\n    --hash=sha256:htmldate-hash\n",
        "lxml==6.2.0 \\\n    --hash=sha256:lxml-hash\n",
        "lxml[html_clean]==6.2.0 \\\n    --hash=sha256:lxml-hash\n",
        "trafilatura==2.3.1 \\\n    --hash=sha256:trafilatura-hash\n",
    ]
