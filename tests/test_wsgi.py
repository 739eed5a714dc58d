"""The WSGI module a production server loads: warm as it starts, connected to nothing yet."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys, time
started = time.monotonic()
from quotetracker.wsgi import application
from django.urls import get_resolver
print(json.dumps({
    "seconds": time.monotonic() - started,
    "urlconf_filled": get_resolver()._populated,
    "views_imported": "quotes.api.views" in sys.modules and "quotes.views" in sys.modules,
    "cache_client_imported": "django_redis.client.default" in sys.modules,
    "broker_transport_imported": "kombu.transport.redis" in sys.modules,
}))
"""


def test_the_server_process_imports_what_requests_use_before_the_first_one_without_connecting(tmp_path):
    # Every server down: port 9 on loopback refuses. Starting must neither fail nor wait on them.
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "quotetracker.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none", "CACHE_URL": "redis://127.0.0.1:9/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:9/0", "QUOTETRACKER_VAR_DIR": str(tmp_path / "var"),
    }
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found.pop("seconds") < 30  # a connection attempt with its retries would take far longer
    assert found == {"urlconf_filled": True, "views_imported": True, "cache_client_imported": True,
                     "broker_transport_imported": True}
