"""The database cache's table (settings.CACHES without CACHE_URL): the throttles' shared counters.

Made whatever the cache of the process migrating (a deployment may switch CACHE_URL on and
off); ``createcachetable`` skips a table that exists, so running it again is harmless.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", "quotetracker_cache", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0009_appearance_provenance")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
