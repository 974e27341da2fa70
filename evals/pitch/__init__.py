"""The disguised-pitch detector: judge the ask, not the tone (see PRODUCT.md)."""

from evals.pitch.detector import detect_pitch

__all__ = ["detect_pitch"]
