"""The hand-written attribution rules: cues in the parse, words beside a quote, and
the rule families that turn them into statements."""
