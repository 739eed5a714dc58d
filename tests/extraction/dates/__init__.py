"""Date resolution: grammar, calendar, saying, discourse."""
