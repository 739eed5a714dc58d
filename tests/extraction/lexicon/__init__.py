"""The word lists: hand-written and mined."""
