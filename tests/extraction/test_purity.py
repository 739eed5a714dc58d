"""The engine is a library: importing it pulls in nothing from Django, Celery or the project."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import REPO

PROBE = """
import json, sys
import quotes.extraction
from quotes.extraction import extract, jsonl
extract("Jane Doe said the plan would work.")
bad = sorted(m for m in sys.modules
             if m.split('.')[0] in ('django', 'celery', 'rest_framework', 'quotetracker')
             or (m.startswith('quotes.') and not m.startswith('quotes.extraction'))
             or m == 'quotes' and False)
print(json.dumps(bad))
"""


def test_engine_imports_nothing_from_django_celery_or_the_project():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = REPO
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
