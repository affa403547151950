"""gquiz's math engine: pure NumPy functions returning worked solutions.

Every public function returns ``Solution(answer, steps)`` where each step is
``Step(kind, args)`` with plain data; :mod:`gquiz.render` turns steps into Japanese
lines and ``Solution.to_json()`` into JSON. Bad arguments raise one
:class:`EngineError` (a ``ValueError``) whose Japanese message names the parameter.

Importing this package is cheap: it imports only :mod:`gquiz.engine.core` (and NumPy).
The solver modules are imported lazily by :mod:`gquiz.engine.registry` when a solver is
listed or run. Nothing here imports Textual or PyTorch (PyTorch is only the tests' oracle).

Conventions chosen (details in each module's docstring):

* conv: cross-correlation, zero padding, ``floor((N + 2P − D(K−1) − 1)/S) + 1``.
* pooling: no padding, stride defaults to the window, incomplete windows dropped.
* quant: int8 [−128, 127], uint8 [0, 255]; affine range extended to include 0;
  symmetric scale ``max|x| / 127.5`` with zero point 0 (int8) / 128 (uint8);
  ``q = clamp(round(x/scale + zero_point))``, half-to-even by default (PyTorch), or
  ``half_up`` = ties away from zero.
* pruning: ``round(amount × n)`` removed (Python's round); ties prune the lower index.
* distillation: ``α·T²·KL(teacher‖student) + (1 − α)·CE``; batch mean.
* Shapley: exact over all coalitions; model form is SHAP's interventional value.
* detection: continuous box coordinates; NMS suppresses IoU > threshold; AP all-point
  interpolated (VOC2010+), VOC greedy matching; RoI pool / RoIAlign as torchvision.
* metrics: a 0 denominator gives ``None`` plus a step saying it is undefined.
* attention mask: true / 1 = keep.
* optimizers: exactly ``torch.optim`` (SGD momentum buffer form, Adam bias correction).
* Grad-CAM: GAP of gradients, ReLU, divided by the maximum (all-zero stays zero).
"""

from gquiz.engine.core import EngineError, Solution, Step

__all__ = ["EngineError", "Solution", "Step"]
