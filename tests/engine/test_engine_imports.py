"""Import hygiene of the engine and renderers (checked in a fresh interpreter)."""

from __future__ import annotations

from tests.helpers import modules_after


def _top(mods: set[str]) -> set[str]:
    return {m.split(".")[0] for m in mods}


def test_engine_and_render_import_neither_textual_nor_torch():
    loaded = _top(
        modules_after(
            "import gquiz.engine, gquiz.render\n"
            "from gquiz.engine.registry import list_solvers, run\n"
            "from gquiz.render import render_steps\n"
            "list_solvers()\n"
            "render_steps(run('conv_output_size', {'in_size': 5, 'kernel_size': 3}))"
        )
    )
    assert "textual" not in loaded
    assert "torch" not in loaded
    assert "shap" not in loaded


def test_importing_gquiz_engine_is_lazy():
    loaded = modules_after("import gquiz.engine")
    assert "gquiz.engine.conv" not in loaded
    assert "gquiz.engine.shapley" not in loaded


def test_solve_cmd_does_not_import_numpy_at_module_level():
    loaded = _top(modules_after("import gquiz.solve_cmd"))
    assert "numpy" not in loaded
    assert "torch" not in loaded
    assert "textual" not in loaded
