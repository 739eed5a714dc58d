"""Scripts a maintainer runs on PolNeAR *train* to regenerate the engine's mined word lists
and learned weights; never imported at run time.

    python -m quotes.extraction.training.derive_lexicon TRAIN_DIR --out quotes/extraction/lexicon/mined.py
    python -m quotes.extraction.training.train_cues TRAIN_DIR --out quotes/extraction/learned/cue_weights.json
    python -m quotes.extraction.training.train_unattributed TRAIN_DIR \\
        --out quotes/extraction/learned/unattributed_weights.json
"""
