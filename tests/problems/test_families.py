"""Every family: files valid, generation seeded, four distinct choices, worked solutions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gquiz.problems import (
    AnswerError,
    FamilyError,
    check_answer,
    check_families,
    generate,
    load_families,
    parse_problem_id,
)
from gquiz.problems.generate import _same
from gquiz.study.generated import as_question

from .conftest import PROBLEMS

FAMILY_IDS = sorted(p.stem for p in PROBLEMS.glob("*.yaml"))
SEEDS = range(40)

# A line every worked solution of the family shows (a stable part of the wording).
KEY_LINES = {
    "activation-derivative": r"微分",
    "attention": r"ソフトマックス",
    "backprop": r"逆伝播",
    "batchnorm": r"分散 σ² = ",
    "conv-output-size": r"出力サイズ = \(N \+ 2P − K\) / S \+ 1 = ",
    "conv-params": r"パラメータ数 = \d+ \+ \d+ = \d+",
    "conv2d": r"出力\[0,0\] = .+×.+\(バイアス .+\) = ",
    "cosine-similarity": r"a·b = ",
    "ctc": r"ブランク",
    "depthwise-separable": r"置き換え後の(重み|積和演算) = Depthwise \+ Pointwise = \d+ \+ \d+ = \d+",
    "detection-ap": r"1位 予測 \d",
    "distillation": r"exp\(",
    "fc-params": r"第1層 \(\d+ → \d+\): 重み",
    "gradcam": r"α_0 = 勾配の平均",
    "iou": r"IoU = 共通部分 / 和集合 = ",
    "metrics": r"再現率 = \(TP\) / \(TP \+ FN\)",
    "nms": r"を残す",
    "optimizer-step": r"p ← p − η",
    "pooling": r"出力\[0,0\] = ",
    "pruning": r"ゼロにする個数 = round\(",
    "quantization": r"round\(",
    "receptive-field": r"第1層: R ← R \+ ",
    "roi-pooling": r"出力\[0,0\] = max\(",
    "shapley": r"限界貢献 v\(",
    "softmax-cross-entropy": r"ソフトマックス",
    # statistics, information, generative models, RL, text, audio (issue 13 item 5)
    "bayes": r"全確率の公式: P\(",
    "descriptive-stats": r"平均 μ = |中央値 = ",
    "discounted-return": r"割引収益 G = r1",
    "discrete-expectation": r"期待値 E\[X\] = Σ x P\(X = x\) = ",
    "eigen-2x2": r"特性方程式 det\(A − λI\)",
    "entropy-kl": r"（(自然対数|底 2)、単位 (nat|bit)）",
    "gan-value": r"本物の項|非飽和損失",
    "mel-scale": r"700",
    "perplexity": r"パープレキシティ = ",
    "q-learning": r"Q 学習（方策オフ）",
    "regression-errors": r"誤差 e = 予測 − 正解",
    "sarsa": r"SARSA（方策オン）",
    "td-zero": r"ターゲット = r",
    "tf-idf": r"idf = ln\(N / df\)",
    "transposed-conv-size": r"転置畳み込みの出力サイズ = \(N − 1\)×S − 2P",
    "vae-kl": r"½ Σ_j \(μ_j² \+ σ_j² − log σ_j² − 1\)",
}


def test_every_planned_family_has_a_file(families) -> None:
    assert set(KEY_LINES) == set(families) == set(FAMILY_IDS)
    assert len(families) == 41


def test_family_files_are_valid() -> None:
    assert check_families(PROBLEMS) == []


@pytest.mark.parametrize("fid", FAMILY_IDS)
def test_same_seed_same_problem(families, fid: str) -> None:
    fam = families[fid]
    for d in (1, 2, 3):
        a, b = generate(fam, d, 7), generate(fam, d, 7)
        assert a.id == f"{fid}#{d}-7"
        assert a.statement == b.statement
        assert a.answer_text == b.answer_text
        assert [c.text for c in a.choices] == [c.text for c in b.choices]
        assert a.steps == b.steps


@pytest.mark.parametrize("fid", FAMILY_IDS)
def test_four_distinct_choices_and_the_correct_one_checks(families, fid: str) -> None:
    fam = families[fid]
    for d in (1, 2, 3):
        for seed in SEEDS:
            p = generate(fam, d, seed)
            assert len(p.choices) == 4
            assert sum(c.correct for c in p.choices) == 1
            texts = [c.text for c in p.choices]
            assert len(set(texts)) == 4, (p.id, texts)
            for i, x in enumerate(p.choices):
                for y in p.choices[i + 1 :]:
                    assert not _same(
                        x.value, y.value, p.kind, p.precision, x.text, y.text, fam.unordered
                    ), (
                        p.id,
                        x.text,
                        y.text,
                    )
            for c in p.choices:
                assert c.label.strip()
                try:
                    right = check_answer(p, c.text).correct
                except AnswerError:  # e.g. a one-row matrix when the answer has more rows
                    right = False
                assert right == c.correct, (p.id, c.text, c.label)
            assert check_answer(p, p.answer_text).correct


@pytest.mark.parametrize("fid", FAMILY_IDS)
def test_worked_solution_shows_its_key_line(families, fid: str) -> None:
    for d in (1, 2, 3):
        p = generate(families[fid], d, 3)
        assert p.steps, p.id
        if d == 1 or fid not in (
            "receptive-field",
            "quantization",
            "softmax-cross-entropy",
            "pruning",
            "backprop",
        ):
            assert any(re.search(KEY_LINES[fid], line) for line in p.steps), (p.id, p.steps[:6])
        q = as_question(p)
        assert q.kind == "family"
        assert q.family == fid
        assert q.item_id == fid
        assert q.id == p.id
        assert "選択肢の誤り" in q.explanation
        assert p.answer_text in q.explanation


def test_conv2d_shows_every_window(families) -> None:
    p = generate(families["conv2d"], 1, 0)
    cells = [line for line in p.steps if re.match(r"出力\[\d,\d\] = ", line)]
    assert len(cells) == np.asarray(p.answer).size == 9
    first = cells[0]
    x, w = np.asarray(p.params["x"]), np.asarray(p.params["w"])
    assert first.count("×") == w.size
    assert first.endswith(f"= {int((x[:2, :2] * w).sum())}")


def test_shapley_shows_every_coalition(families) -> None:
    p = generate(families["shapley"], 2, 0)
    terms = [line for line in p.steps if "限界貢献" in line]
    assert len(terms) == 3 * 4  # n · 2^(n−1) marginal contributions for three players
    assert any("効率性" in line for line in p.steps)


def test_problem_ids_parse() -> None:
    assert parse_problem_id("conv2d#2-17") == ("conv2d", 2, 17)
    with pytest.raises(ValueError, match="形"):
        parse_problem_id("conv2d-2")


def test_generation_is_the_same_in_another_process() -> None:
    code = (
        "from gquiz.problems import load_families, generate\n"
        f"f = load_families({str(PROBLEMS)!r})\n"
        "for fid in sorted(f):\n"
        "    p = generate(f[fid], 3, 12345)\n"
        "    print(p.id, p.answer_text, '|'.join(c.text for c in p.choices))\n"
    )

    def run():
        return subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": "random", "PATH": ""},
        ).stdout

    assert run() == run()


BAD_FAMILY = """\
id: broken
section: S5.2
title: 壊れた例
solver: no_such_solver
kind: float
statement: "x = {x}"
levels:
  1:
    params:
      x: {int: [1, 5]}
  2:
    params:
      x: {foo: 3}
distractors:
  - id: a
    label: ""
    value: "x +"
"""


def test_validation_errors_have_path_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BAD_FAMILY, encoding="utf-8")
    errors = [str(e) for e in check_families(tmp_path)]
    text = "\n".join(errors)
    assert all(e.startswith(f"{tmp_path / 'broken.yaml'}:") for e in errors)
    assert re.search(r"broken\.yaml:16: distractors\.a: label", text)
    assert "broken.yaml:13: levels.2.params.x: 生成方法を 1 つ指定してください" in text
    assert "precision" in text  # a float answer needs a stated precision rule
    assert "levels に難易度 3 がありません" in text
    with pytest.raises(FamilyError):
        load_families(tmp_path)
    assert load_families(tmp_path, strict=False) == {}


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("id: x\nsection: [S5.2\n", encoding="utf-8")
    (err,) = check_families(tmp_path)
    assert err.line >= 2
    assert "YAML" in err.message


def test_unsafe_expressions_are_refused(tmp_path: Path) -> None:
    text = (
        BAD_FAMILY.replace("solver: no_such_solver", "solver: iou")
        .replace('value: "x +"', "value: \"__import__('os').system('true')\"")
        .replace("x: {foo: 3}", 'x: "x.__class__"')
        .replace('label: ""', "label: 危ない式")
    )
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    messages = " ".join(e.message for e in check_families(tmp_path))
    assert "__import__" in messages
    assert "は使えません" in messages
    assert "使えない構文" in messages


def test_user_family_from_a_new_yaml(tmp_path: Path) -> None:
    """A learner adds a family with one file and only the documented language."""
    (tmp_path / "my-iou.yaml").write_text(
        """\
id: my-iou
section: S6.1
title: 正方形どうしの IoU
solver: iou
kind: float
precision: {decimals: 2}
args: {box_a: "[0, 0, a, a]", box_b: "[s, s, s + a, s + a]"}
statement: "一辺 {a} の正方形と、それを ({s}, {s}) だけずらした正方形の IoU を求めよ。"
levels:
  1: {params: {a: {int: [2, 6]}, s: 1}}
  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}
  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}
distractors:
  - {id: sum-areas, label: 面積の合計で割った, mistake: iou_sum_areas}
  - {id: over-a, label: 片方の面積で割った, mistake: iou_over_a}
""",
        encoding="utf-8",
    )
    fam = load_families(tmp_path)["my-iou"]
    for seed in range(20):
        p = generate(fam, 2, seed)
        assert len({c.text for c in p.choices}) == 4
        assert check_answer(p, p.answer_text).correct


OS_SYSTEM_FAMILY = """\
id: evil
section: S5.2
title: 悪意のある例
solver: os:system
kind: integer
args:
  command: "'touch {marker}'"
statement: "x"
levels:
  1: {{params: {{x: 1}}}}
  2: {{params: {{x: 1}}}}
  3: {{params: {{x: 1}}}}
distractors:
  - id: a
    label: 別のソルバー
    solver: subprocess.getoutput
"""


def test_a_dotted_solver_is_refused_and_never_run(tmp_path: Path, monkeypatch) -> None:
    """issue 17: `solver: os:system` once ran a shell command; now it is a path:line error."""
    import os

    marker = tmp_path / "ran"
    (tmp_path / "evil.yaml").write_text(OS_SYSTEM_FAMILY.format(marker=marker), encoding="utf-8")
    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda cmd: calls.append(cmd) or 0)
    errors = [str(e) for e in check_families(tmp_path)]
    assert any(e.startswith(f"{tmp_path / 'evil.yaml'}:4: ") and "os:system" in e for e in errors)
    assert any(":16: " in e and "subprocess.getoutput" in e for e in errors), errors
    with pytest.raises(FamilyError):
        load_families(tmp_path)
    assert load_families(tmp_path, strict=False) == {}
    assert calls == []
    assert not marker.exists()


def test_bank_check_runs_the_full_family_validator(tmp_path: Path, fixture_content: Path) -> None:
    from gquiz.bank.build import Sources, check

    problems = tmp_path / "problems"
    problems.mkdir()
    (problems / "evil.yaml").write_text(
        OS_SYSTEM_FAMILY.format(marker=tmp_path / "ran"), encoding="utf-8"
    )
    # A family whose `where` never holds passes the key checks but cannot make a problem.
    (problems / "never.yaml").write_text(
        """\
id: never
section: S5.2
title: 作れない例
solver: conv_output_size
kind: integer
args: {in_size: n, kernel_size: 3, stride: 1, padding: 0}
statement: "入力 {n}"
where: ["n > 100"]
levels:
  1: {params: {n: {int: [5, 9]}}}
  2: {params: {n: {int: [5, 9]}}}
  3: {params: {n: {int: [5, 9]}}}
distractors:
  - {id: plus, label: 1 多い, value: "n - 1"}
""",
        encoding="utf-8",
    )
    result = check(Sources(fixture_content, problems))
    text = "\n".join(str(e) for e in result.errors)
    assert "evil.yaml:4:" in text
    assert "os:system" in text
    assert "never.yaml" in text
    assert "作れません" in text
    assert not (tmp_path / "ran").exists()
