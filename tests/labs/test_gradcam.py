"""Grad-CAM lab: the engine's map from autograd's tensors, a torch oracle, CAM, localisation."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

torch = pytest.importorskip("torch")
import torch.nn.functional as F  # noqa: E402

from gquiz.engine.explain import gradcam  # noqa: E402
from gquiz.labs.gradcam_lab import analyse, feature_maps_and_gradients, upsample  # noqa: E402
from gquiz.labs.nets import LAST_CONV_OUTPUT  # noqa: E402
from gquiz.labs.train import as_tensor, torch_settings  # noqa: E402


def torch_gradcam(model, image: np.ndarray, target: int) -> np.ndarray:
    """Grad-CAM written directly in torch, without hooks: split the network at the last
    conv layer's output and ask autograd for dy/dA."""
    names = list(dict(model.named_children()))
    cut = names.index(LAST_CONV_OUTPUT) + 1
    head, tail = model[:cut], model[cut:]
    with torch.enable_grad():
        a = head(as_tensor(image[None]).double())
        y = tail(a)[0, target]
        (g,) = torch.autograd.grad(y, a)
    weights = g.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * a).sum(dim=1))[0]
    peak = cam.max()
    return (cam / peak if peak > 0 else cam).detach().numpy()


@pytest.fixture(scope="module")
def model64(trained):
    import copy

    return copy.deepcopy(trained.model).double().eval()


@pytest.mark.parametrize("index", [0, 1, 2, 7, 42])
def test_heatmap_is_the_engines_gradcam_of_autograd_tensors(trained, index: int) -> None:
    view = analyse(trained, index)
    for k, maps in enumerate(view.maps):
        with torch_settings():
            a, g, _ = feature_maps_and_gradients(trained.model, trained.test.images[index], k)
        assert_array_equal(maps.feature_maps, a)
        assert_array_equal(maps.gradients, g)
        assert_array_equal(maps.gradcam, gradcam(a, g).answer["cam"])


@pytest.mark.parametrize("index", [0, 1, 2, 7, 42])
def test_heatmap_matches_a_pure_torch_oracle(trained, model64, index: int) -> None:
    view = analyse(trained, index)
    for k in range(3):
        oracle = torch_gradcam(model64, trained.test.images[index], k)
        assert_allclose(view.maps[k].gradcam, oracle, atol=1e-6)


def test_gradcam_equals_cam_for_a_gap_model(trained) -> None:
    for index in range(10):
        view = analyse(trained, index)
        for maps in view.maps:
            assert maps.max_difference < 1e-6
            if np.any(maps.cam_raw != 0):
                assert maps.gradcam_raw_ratio == pytest.approx(1 / 64, rel=1e-5)


def test_heatmap_peak_lies_in_the_shapes_bounding_box(trained) -> None:
    hits = []
    for index in range(50):
        view = analyse(trained, index)
        heat = upsample(view.maps[view.predicted].gradcam)
        y, x = np.unravel_index(np.argmax(heat), heat.shape)
        x0, y0, x1, y1 = view.bbox
        hits.append(x0 <= x <= x1 and y0 <= y <= y1)
    assert np.mean(hits) >= 0.9, f"{sum(hits)}/50 peaks inside the box"


def test_upsample_matches_torch_bilinear() -> None:
    rng = np.random.default_rng(0)
    for shape in [(8, 8), (4, 8), (3, 5)]:
        m = rng.random(shape)
        ref = F.interpolate(
            torch.from_numpy(m)[None, None], size=(32, 32), mode="bilinear", align_corners=False
        )
        assert_allclose(upsample(m, 32), ref[0, 0].numpy(), atol=1e-12)


def test_view_names_a_wrong_class(trained) -> None:
    view = analyse(trained, 3)
    assert view.runner_up != view.predicted
    assert view.probabilities.sum() == pytest.approx(1.0)
