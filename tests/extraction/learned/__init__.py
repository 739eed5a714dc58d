"""The learned models: the cue model and the unattributed-quote classifier."""
