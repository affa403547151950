"""gquiz's math engine: pure NumPy functions returning worked solutions.

Importing this package is cheap: it imports only :mod:`gquiz.engine.core` (and NumPy).
The solver modules are imported lazily by :mod:`gquiz.engine.registry` when a solver is
listed or run. Nothing here imports Textual or PyTorch.
"""

from gquiz.engine.core import EngineError, Solution, Step

__all__ = ["EngineError", "Solution", "Step"]
