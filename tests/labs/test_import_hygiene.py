"""The labs import torch lazily: gquiz (and the labs menu) work without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import modules_after

# torch is hidden from a subprocess by a None entry in sys.modules: `import torch` then
# raises ImportError and importlib.util.find_spec("torch") returns None, as if not installed.
NO_TORCH = "import sys\nsys.modules['torch'] = None\n"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "module",
    [
        "gquiz.labs",
        "gquiz.labs.plain",
        "gquiz.labs.data",
        "gquiz.labs.render",
        "gquiz.labs.texts",
        "gquiz.labs.nets",
        "gquiz.labs.train",
        "gquiz.labs.gradcam_lab",
        "gquiz.labs.compression",
    ],
)
def test_importing_the_labs_does_not_import_torch(module: str) -> None:
    loaded = modules_after(f"import {module}")
    assert "torch" not in loaded


def test_lab_cli_module_is_light() -> None:
    loaded = modules_after("from gquiz.cli import lab")
    assert not {"torch", "textual", "numpy"} & loaded


def test_labs_screen_module_does_not_import_torch() -> None:
    assert "torch" not in modules_after("import gquiz.tui.screens.labs")


def test_without_torch_the_labs_say_how_to_install_it() -> None:
    out = _run(
        NO_TORCH
        + "from gquiz.labs import torch_available, INSTALL_HINT\nprint(torch_available())\nprint(INSTALL_HINT)"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("False")
    assert "pip install 'gquiz[torch]'" in out.stdout
    assert "pip install torch==2.13.0" in out.stdout


def test_without_torch_lab_plain_exits_with_the_install_hint() -> None:
    code = NO_TORCH + (
        "from gquiz.cli import lab\nlab(['compression', '--plain'], standalone_mode=True)\n"
    )
    out = _run(code)
    assert out.returncode == 1
    assert "gquiz[torch]" in out.stderr
    assert "Traceback" not in out.stderr


def test_without_torch_the_rest_of_gquiz_imports() -> None:
    out = _run(
        NO_TORCH
        + "import gquiz.cli, gquiz.tui.app, gquiz.tui.screens.labs, gquiz.engine.explain\nprint('ok')"
    )
    assert out.returncode == 0, out.stderr
