"""The two trained models the pipeline runs after the rules, each beside its weights:
the learned-cue model (``cue_model``, ``cue_weights.json``) and the unattributed-quote
classifier (``unattributed``, ``unattributed_weights.json``)."""
