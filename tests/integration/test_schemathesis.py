"""The schema and the API agree: schemathesis runs every check against a live server, bounded.

gunicorn serves this run's database on 127.0.0.1 (a port of QUOTETRACKER_TEST_PORTS when set);
schemathesis reads /api/schema/ from it and sends generated requests to every operation,
valid and invalid, as a staff user with every permission (so the writes run too), at most
SCHEMATHESIS_MAX_EXAMPLES cases per operation. Any failure of any check fails the test,
with schemathesis's report (and the command to reproduce it) in the output.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from quotes.models import DuplicateCandidate
from tests.factories import AppearanceFactory, ArticleFactory, SpeakerFactory, StaffFactory, StatementFactory
from tests.integration.processes import require_servers, start_web, stop

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CONFIG = Path(__file__).with_name("schemathesis.toml")  # the one decision, explained there
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "100"))
MAX_SECONDS = int(os.environ.get("SCHEMATHESIS_MAX_SECONDS", "600"))  # a hung run fails, bounded


def _a_little_of_everything() -> None:
    speaker = SpeakerFactory(name="Ida Ferro", slug="ida-ferro")
    SpeakerFactory(name="Tomas Brandt", slug="tomas-brandt")
    statements = []
    for n in range(3):
        statements.append(StatementFactory(text=f"We sail at dawn, day {n}.", speakers=[speaker]))
        article = ArticleFactory(title=f"Harbour {n}")
        AppearanceFactory(statement=statements[-1], article=article, start=0, end=10)
    DuplicateCandidate.objects.create(first=statements[0], second=statements[1], similarity=0.9)


def test_every_operation_matches_the_schema_under_every_check(loopback_port, tmp_path):
    require_servers()
    _a_little_of_everything()
    token = Token.objects.create(user=StaffFactory(username="schemathesis")).key
    # Generated requests come fast from one address: throttles and sign-in lock-outs would
    # turn them into 429s (both are tested on their own).
    web = start_web(
        loopback_port, API_THROTTLE_ANON="1000000/minute", API_THROTTLE_USER="1000000/minute",
        API_THROTTLE_EXPORT="1000000/minute", LOGIN_FAILURE_LIMIT="1000000", DJANGO_DEBUG="0",
    )
    try:
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG),
             "run", f"http://127.0.0.1:{loopback_port}/api/schema/",
             "--checks", "all", "--max-examples", str(MAX_EXAMPLES),
             "--header", f"Authorization: Token {token}", "--request-timeout", "30",
             "--generation-database", "none", "--seed", "15", "--workers", "2", "--no-color",
             "--report", "junit", "--report-dir", str(tmp_path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=MAX_SECONDS,
        )
    finally:
        server_log = stop(web)
    print(run.stdout[-20000:], run.stderr[-3000:], server_log[-3000:])
    assert run.returncode == 0, "schemathesis found failures (see the captured output)"
