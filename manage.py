#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quotetracker.settings")
    from django.core.management import execute_from_command_line

    from quotetracker.local_dirs import make_local_dirs

    make_local_dirs()  # SQLite's folder and the filesystem broker's, when the settings use them
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
