"""Pilot tests of the drill and calculator screens (driven through the real app)."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from textual.widgets import Input, Markdown, OptionList, Static

from gquiz.config import Settings
from gquiz.tui.app import make_app
from gquiz.tui.screens.calculator import CalculatorScreen, parse_param
from gquiz.tui.screens.drill import DrillScreen


async def settle(app, pilot) -> None:
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


def attempts(settings: Settings) -> list[tuple]:
    engine = create_engine(settings.db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("select item_kind, item_id, correct, score, mode from attempts order by id")
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def shown(widget: Static) -> str:
    return str(widget.render())


async def open_drill(app, pilot, screen) -> DrillScreen:
    await settle(app, pilot)
    app.push_screen(screen)
    await settle(app, pilot)
    assert isinstance(app.screen, DrillScreen)
    return app.screen


class TestDrillScreen:
    async def test_right_then_wrong_then_choices(self, drill_settings: Settings) -> None:
        app = make_app(drill_settings)
        async with app.run_test(size=(80, 24)) as pilot:
            drill = await open_drill(app, pilot, DrillScreen("conv2d", seed=5))
            p = drill.problem
            assert p is not None
            assert p.id == "conv2d#1-5"
            # bad input: a message, the text stays
            await pilot.press(*"1 2; 3", "enter")
            await settle(app, pilot)
            assert "そろっていません" in shown(drill.query_one("#drill-error", Static))
            assert drill.query_one("#drill-answer", Input).value == "1 2; 3"
            assert attempts(drill_settings) == []
            # right answer
            drill.query_one("#drill-answer", Input).value = p.answer_text
            await pilot.press("enter")
            await settle(app, pilot)
            assert "正解！" in shown(drill.query_one("#drill-verdict", Static))
            solution = drill.query_one("#drill-solution", Markdown)
            assert solution.display
            assert "出力\\[0,0\\] = " in solution.source
            assert attempts(drill_settings) == [("family", "conv2d", 1, 1.0, "drill")]
            # next problem, answer wrong with one cell off: per-cell marks
            await pilot.press("n")
            await settle(app, pilot)
            q = drill.problem
            assert q is not None
            assert q.id == "conv2d#1-6"
            cells = [[int(v) for v in row] for row in q.answer]
            cells[0][0] += 1
            drill.query_one("#drill-answer", Input).value = "; ".join(
                " ".join(map(str, r)) for r in cells
            )
            drill.query_one("#drill-answer", Input).focus()
            await pilot.press("enter")
            await settle(app, pilot)
            verdict = shown(drill.query_one("#drill-verdict", Static))
            assert "不正解" in verdict
            assert "(1,1)" in verdict
            assert "89%" in verdict
            assert "赤が違うセル" in shown(drill.query_one("#drill-marks", Static))
            rows = attempts(drill_settings)
            assert rows[-1][:3] == ("family", "conv2d", 0)
            assert abs(rows[-1][3] - 8 / 9) < 1e-9
            # exam style for the next problem: c, then pick the right number
            await pilot.press("n")
            await settle(app, pilot)
            r = drill.problem
            assert r is not None
            drill.query_one("#drill-body").focus()
            await pilot.press("c")
            await settle(app, pilot)
            assert drill.choice_mode
            await pilot.press(str(r.correct_index + 1))
            await settle(app, pilot)
            assert "正解！" in shown(drill.query_one("#drill-verdict", Static))
            assert "選択肢の誤り" in drill.query_one("#drill-solution", Markdown).source
            assert len(attempts(drill_settings)) == 3
            await pilot.press("escape")
            await settle(app, pilot)
            assert not isinstance(app.screen, DrillScreen)

    async def test_pick_family_from_list(self, drill_settings: Settings) -> None:
        app = make_app(drill_settings)
        async with app.run_test(size=(80, 24)) as pilot:
            drill = await open_drill(app, pilot, DrillScreen(seed=0))
            options = drill.query_one("#drill-families", OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            assert "shapley" in ids
            assert "conv2d" in ids
            await pilot.press("2")
            assert drill.difficulty == 2
            options.highlighted = ids.index("shapley")
            await pilot.press("enter")
            await settle(app, pilot)
            p = drill.problem
            assert p is not None
            assert p.id == "shapley#2-0"
            drill.query_one("#drill-answer", Input).value = "０．０１"  # wrong, full-width
            await pilot.press("enter")
            await settle(app, pilot)
            assert "不正解" in shown(drill.query_one("#drill-verdict", Static))
            source = drill.query_one("#drill-solution", Markdown).source
            assert source.count("限界貢献") == 12  # every coalition of every player
            assert attempts(drill_settings) == [("family", "shapley", 0, 0.0, "drill")]
            await pilot.press("escape")  # back to the family list
            await settle(app, pilot)
            assert isinstance(app.screen, DrillScreen)
            assert drill.query_one("#drill-switcher").current == "drill-pick"


class TestCalculatorScreen:
    async def test_solve_and_bad_input(self, drill_settings: Settings) -> None:
        app = make_app(drill_settings)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            app.push_screen(CalculatorScreen())
            await settle(app, pilot)
            calc = app.screen
            assert isinstance(calc, CalculatorScreen)
            options = calc.query_one("#calc-solvers", OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            options.highlighted = ids.index("conv2d")
            options.focus()
            await pilot.press("enter")
            await settle(app, pilot)
            calc.query_one("#calc-param-input", Input).value = "1 2 3; 4 5 6; 7 8 9"
            calc.query_one("#calc-param-kernel", Input).value = "[[1, 0], [0, 1]]"
            calc.query_one("#calc-param-input", Input).focus()
            await pilot.press("enter")
            await settle(app, pilot)
            result = shown(calc.query_one("#calc-result", Static))
            assert "答え" in result
            assert "[ 6  8]" in result
            assert "出力[0,0] = 1×1" in result
            # an engine error: a message, no traceback
            calc.query_one("#calc-param-kernel", Input).value = "1 1 1 1; 1 1 1 1; 1 1 1 1; 1 1 1 1"
            await pilot.press("enter")
            await settle(app, pilot)
            assert "エラー" in shown(calc.query_one("#calc-error", Static))
            # unreadable text
            calc.query_one("#calc-param-kernel", Input).value = "1 2; x"
            await pilot.press("enter")
            await settle(app, pilot)
            assert "読めません" in shown(calc.query_one("#calc-error", Static))
            await pilot.press("escape")
            await settle(app, pilot)
            assert calc.query_one("#calc-switcher").current == "calc-pick"


def test_parse_param_syntaxes() -> None:
    assert parse_param("x", "３") == 3
    assert parse_param("x", "0.5") == 0.5
    assert parse_param("x", "1, 2, 3") == [1, 2, 3]
    assert parse_param("x", "1 2; 3 4") == [[1, 2], [3, 4]]
    assert parse_param("x", '{"": 0, "A": 1}') == {"": 0, "A": 1}
    assert parse_param("x", "max") == "max"
    assert parse_param("x", "true") is True
