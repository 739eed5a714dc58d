"""The quotes app: speakers, statements and the articles they come from."""
