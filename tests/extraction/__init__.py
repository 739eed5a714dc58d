"""Pure tests of the extraction engine (no Django, no database)."""
