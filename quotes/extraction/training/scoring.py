"""The PolNeAR scorer, as the training scripts use it.

The scorer (``score_attributions.py``) lives beside the corpus in ``../shared/bench``,
outside the repository, so it is loaded from its path rather than imported.
"""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType

DEFAULT_SCORER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared",
                              "bench", "score_attributions.py")


def load_scorer(path: str) -> ModuleType:
    """The scorer module at ``path``."""
    spec = importlib.util.spec_from_file_location("score_attributions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def matches(sc: ModuleType, text: str, span: tuple[int, int], g: dict) -> bool:
    """The scorer's content match: the trimmed span overlaps gold by half of the shorter one."""
    a = sc.trim(text, *span)
    ov = sc.overlap(a, g["content"])
    return ov > 0 and ov * 2 >= (min(a[1] - a[0], g["content"][1] - g["content"][0]) or 1)
