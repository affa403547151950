"""The labs' networks, built as ``nn.Sequential`` with named layers.

torch is imported inside the functions, never at module level, so that importing this module
(or :mod:`gquiz.labs`) costs nothing when torch is not installed.

Both networks end in global average pooling and one linear layer (so CAM applies) and carry
a ``QuantStub``/``DeQuantStub`` pair: identities in float mode, the int8 boundaries once the
model is converted by eager-mode static quantization. Every convolution is followed by its
own ``ReLU`` module so that ``fuse_modules`` can fuse the pair into one ``ConvReLU2d``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from torch import nn

__all__ = [
    "FUSE_GROUPS",
    "LAST_CONV_OUTPUT",
    "build_student",
    "build_teacher",
    "count_parameters",
    "prunable",
]

LAST_CONV_OUTPUT = "relu3"
"""Name of the module whose output is the last convolution layer's feature maps
(after its ReLU): the tensor that feeds global average pooling, hooked for Grad-CAM."""

FUSE_GROUPS = [["conv1", "relu1"], ["conv2", "relu2"], ["conv3", "relu3"]]


def _build(widths: tuple[int, int, int], n_classes: int) -> nn.Sequential:
    from collections import OrderedDict

    from torch import nn
    from torch.ao.quantization import DeQuantStub, QuantStub

    c1, c2, c3 = widths
    return nn.Sequential(
        OrderedDict(
            quant=QuantStub(),
            conv1=nn.Conv2d(1, c1, 3, padding=1),
            relu1=nn.ReLU(),
            pool1=nn.MaxPool2d(2),  # 32 → 16
            conv2=nn.Conv2d(c1, c2, 3, padding=1),
            relu2=nn.ReLU(),
            pool2=nn.MaxPool2d(2),  # 16 → 8
            conv3=nn.Conv2d(c2, c3, 3, padding=1),
            relu3=nn.ReLU(),  # 8×8 feature maps: Grad-CAM / CAM resolution
            gap=nn.AdaptiveAvgPool2d(1),
            flatten=nn.Flatten(),
            fc=nn.Linear(c3, n_classes),
            dequant=DeQuantStub(),
        )
    )


def build_teacher(n_classes: int = 3) -> nn.Sequential:
    """The lab's CNN (≈ 23 k parameters): conv 16-32-64, GAP, linear."""
    return _build((16, 32, 64), n_classes)


def build_student(n_classes: int = 3) -> nn.Sequential:
    """The distillation student (≈ 1.6 k parameters): conv 4-8-16, GAP, linear."""
    return _build((4, 8, 16), n_classes)


def prunable(model: nn.Module) -> list[tuple[Any, str]]:
    """``(module, "weight")`` of every conv and linear layer, for ``global_unstructured``."""
    from torch import nn

    return [(m, "weight") for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
