"""The labs' words: the compression table, questions generated from it, Grad-CAM captions.

Pure Python on the measured numbers (no torch, no Textual), shared by ``gquiz lab --plain``
and the TUI screens. Questions are multiple choice with one correct choice, in Japanese, and
their answers follow from the numbers of *this* run: nothing is hard-coded about which model
wins.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gquiz.text.numbers import pct as _pct

if TYPE_CHECKING:
    from gquiz.labs.compression import CompressionReport, Row

__all__ = [
    "TABLE_HEADERS",
    "LabQuestion",
    "compression_questions",
    "format_question",
    "format_table",
    "gradcam_relation_text",
    "table_cells",
    "table_notes",
]

TABLE_HEADERS = ("モデル", "KB", "zlib KB", "非ゼロ", "精度", "1枚ms", "256枚ms")
"""Columns: name, serialized state_dict size, the same compressed with zlib, share of non-zero
weights, test accuracy, latency for one image and for a batch of 256 as median ± half the
interquartile range as a percentage of the median (kept short: the table has to fit 80 columns in the TUI)."""


@dataclass(frozen=True)
class LabQuestion:
    """A multiple-choice question about measured results (``answer`` is 0-based)."""

    stem: str
    choices: tuple[str, ...]
    answer: int
    explanation: str


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def pct(x: float) -> str:
    """An accuracy in the labs: one decimal (a difference of 0.3 points matters there)."""
    return _pct(x, 1)


def _rel(spread: float, median: float) -> str:
    """The spread as a share of the median (short enough for the 80-column table)."""
    return _pct(spread / median) if median > 0 else "-"


def table_cells(row: Row) -> tuple[str, ...]:
    """One row of the table as strings, in :data:`TABLE_HEADERS` order."""
    return (
        row.name,
        f"{row.size_bytes / 1024:.1f}",
        f"{row.zlib_bytes / 1024:.1f}",
        pct(1 - row.sparsity),
        pct(row.accuracy),
        f"{row.latency_ms:.2f}±{_rel(row.latency_spread_ms, row.latency_ms)}",
        f"{row.batch_ms:.1f}±{_rel(row.batch_spread_ms, row.batch_ms)}",
    )


def format_table(report: CompressionReport) -> list[str]:
    """The table as aligned text lines (widths in terminal cells, so Japanese lines up)."""
    from rich.cells import cell_len

    rows = [TABLE_HEADERS, *[table_cells(r) for r in report.rows]]
    widths = [max(cell_len(r[i]) for r in rows) for i in range(len(TABLE_HEADERS))]

    def line(cells: tuple[str, ...]) -> str:
        parts = []
        for i, c in enumerate(cells):
            pad = " " * (widths[i] - cell_len(c))
            parts.append(c + pad if i == 0 else pad + c)
        return "  ".join(parts).rstrip()

    out = [line(rows[0]), "-" * (sum(widths) + 2 * (len(widths) - 1))]
    out += [line(r) for r in rows[1:]]
    return out


def table_notes(report: CompressionReport) -> list[str]:
    """Short notes printed under the table: what was measured, and how."""
    c = report.config
    return [
        f"KB: torch.save した state_dict の大きさ (zlib KB はそれを圧縮したもの)。"
        f"精度: テスト画像 {report.n_test} 枚。",
        f"遅延: CPU {report.threads} スレッドで 1 枚と 256 枚の推論時間 (ms、{c.warmup} 回の空回しの後"
        f" {c.latency_repeats} 回と {c.batch_repeats} 回の中央値 ± 四分位範囲の半分を中央値に対する % で)。"
        f"量子化: 静的 PTQ ({report.backend})。",
        f"枝刈り: 畳み込み・全結合の重み全体で L1 の小さい順 (グローバル)、再学習 {c.finetune_epochs} エポック。",
        f"生徒: 教師の学習データのうち {c.student_train} 枚、{c.student_epochs} エポック、"
        f"T={c.temperature:g}、α={c.alpha:g} (パラメータ {report.student_parameters:,} 個、"
        f"教師は {report.teacher_parameters:,} 個)。",
    ]


# -- questions -------------------------------------------------------------------------------


def _q_smallest(rep: CompressionReport) -> LabQuestion:
    keys = ["fp32", "int8", "prune95_ft", "student_kd"]
    rows = [rep.row(k) for k in keys]
    best = min(range(len(rows)), key=lambda i: rows[i].size_bytes)
    sizes = "、".join(f"{r.name} {kb(r.size_bytes)}" for r in rows)
    p95 = rep.row("prune95_ft")
    expl = (
        f"測定した保存サイズ (state_dict) は {sizes}。最も小さいのは「{rows[best].name}」。"
        f"枝刈りは重みの {pct(p95.sparsity)} をゼロにしても、ゼロを含む密なテンソルとして保存するので"
        f"サイズは元のモデルと変わらない (zlib で圧縮すると {kb(p95.zlib_bytes)} まで縮む。"
        "効果を得るには疎行列形式での保存や圧縮、疎な演算に対応した実行環境が必要)。"
        f"int8 量子化は重みを 4 バイトから 1 バイトにし、生徒モデルはパラメータ数そのものが "
        f"{rep.student_parameters:,} 個 (教師は {rep.teacher_parameters:,} 個) と少ない。"
    )
    return LabQuestion(
        "今回測定した表で、保存サイズ (state_dict のバイト数) が最も小さいモデルはどれか。",
        tuple(r.name for r in rows),
        best,
        expl,
    )


def _q_prune95(rep: CompressionReport) -> LabQuestion:
    base, p95, ft = rep.row("fp32"), rep.row("prune95"), rep.row("prune95_ft")
    delta = (p95.accuracy - base.accuracy) * 100
    choices = (
        "ほとんど変わらなかった (差は 1 ポイント未満)",
        "少し下がった (1〜10 ポイントの低下)",
        "大きく下がった (10 ポイントを超える低下)",
        "1 ポイント以上上がった",
    )
    if delta >= 1:
        answer = 3
    elif delta > -1:
        answer = 0
    elif delta >= -10:
        answer = 1
    else:
        answer = 2
    levels = "、".join(
        f"{_pct(s)}: {pct(rep.row(f'prune{round(s * 100)}').accuracy)}"
        f" → 再学習後 {pct(rep.row(f'prune{round(s * 100)}_ft').accuracy)}"
        for s in rep.config.sparsities
    )
    expl = (
        f"元のモデルの精度 {pct(base.accuracy)} に対し、95% を枝刈りして再学習しないと "
        f"{pct(p95.accuracy)} ({delta:+.1f} ポイント)。3 クラスなので当て推量でも約 33%。"
        f"スパース率ごとの精度は {levels}。"
        "絶対値の小さい重みは多少取り除いても出力への影響が小さいが、割合を上げると必要な重みまで消え、"
        f"残った重みを再学習 (ファインチューニング) して初めて精度が戻る (95% では {pct(ft.accuracy)})。"
    )
    return LabQuestion(
        "重みの 95% を絶対値の小さい順にゼロにし (枝刈り)、再学習しなかったとき、テスト精度はどうなったか。",
        choices,
        answer,
        expl,
    )


def _q_int8_ratio(rep: CompressionReport) -> LabQuestion:
    fp, q = rep.row("fp32"), rep.row("int8")
    ratio = fp.size_bytes / q.size_bytes
    options = [2.0, 4.0, 8.0, 1.0]
    answer = min(range(4), key=lambda i: abs(math.log(ratio / options[i])))
    wr = rep.weight_bytes_fp32 / max(rep.weight_bytes_int8, 1)
    speed = fp.batch_ms / q.batch_ms if q.batch_ms > 0 else float("nan")
    expl = (
        f"保存サイズは {kb(fp.size_bytes)} → {kb(q.size_bytes)} で 1/{ratio:.2f}。"
        f"畳み込み・全結合の重みだけなら {rep.weight_bytes_fp32:,} → {rep.weight_bytes_int8:,} バイトで"
        f"ちょうど 1/{wr:.0f} (32 ビット浮動小数点 → 8 ビット整数)。全体が 1/4 より大きめなのは、"
        "バイアス (float32 のまま)、チャネルごとのスケールとゼロ点、各層の設定などが加わるため。"
        f"精度は {pct(fp.accuracy)} → {pct(q.accuracy)}、256 枚の推論時間は "
        f"{fp.batch_ms:.1f} ms → {q.batch_ms:.1f} ms ({speed:.2f} 倍速)。"
        "静的量子化では、学習データの一部 (キャリブレーション) で活性化の値域を測って"
        "スケールを決めておく。"
    )
    return LabQuestion(
        "int8 の静的量子化 (学習後量子化) で、保存サイズはおよそどうなったか。",
        ("約 1/2", "約 1/4", "約 1/8", "ほとんど変わらない"),
        answer,
        expl,
    )


def _q_distill(rep: CompressionReport) -> LabQuestion:
    kd, hard, fp = rep.row("student_kd"), rep.row("student_hard"), rep.row("fp32")
    c = rep.config
    if kd.accuracy > hard.accuracy:
        answer = 0
    elif kd.accuracy < hard.accuracy:
        answer = 1
    else:
        answer = 2
    delta = (kd.accuracy - hard.accuracy) * 100
    expl = (
        f"同じ初期値・同じミニバッチの順序・同じ {c.student_epochs} エポックで、"
        f"蒸留した生徒は {pct(kd.accuracy)}、正解ラベルだけの生徒は {pct(hard.accuracy)} "
        f"(差 {delta:+.1f} ポイント、教師は {pct(fp.accuracy)})。"
        f"蒸留の損失は α·T²·KL(教師のソフトターゲット ‖ 生徒) + (1 − α)·交差エントロピー "
        f"(T={c.temperature:g}、α={c.alpha:g})。温度 T で柔らかくした教師の出力には"
        "「この三角形は円より正方形に少し似ている」といったクラス間の関係 (暗黙知) が含まれ、"
        "正解ラベルだけより多くの情報を生徒に渡せる。T² を掛けるのは、ソフトターゲット項の勾配が "
        "1/T² に縮むのを打ち消すため。ただしこの課題は 3 クラスしかなく、ソフトターゲットが運ぶ"
        "「ほかのクラスとの似かた」は 2 つの確率だけなので、蒸留の上乗せは数ポイントと小さく、"
        "seed (初期値やミニバッチの順序) によっては差がなくなったり逆転したりもする。"
        f"ここでは生徒の学習データを {c.student_train} 枚に絞っている: "
        "正解ラベルが少ないときほど、教師の出力が補う情報が効く。"
        f"生徒のパラメータ数は {rep.student_parameters:,} 個で、教師 ({rep.teacher_parameters:,} 個) より"
        "はるかに少ない。"
    )
    return LabQuestion(
        "同じ小さな生徒モデルを、教師のソフトターゲットで蒸留した場合と正解ラベルだけで学習した場合を"
        "比べた。結果として正しいものはどれか。",
        (
            "蒸留した生徒の方が精度が高かった",
            "正解ラベルだけで学習した生徒の方が精度が高かった",
            "2 つの生徒の精度はまったく同じだった",
            "蒸留した生徒のパラメータ数は教師と同じだった",
        ),
        answer,
        expl,
    )


def compression_questions(report: CompressionReport) -> list[LabQuestion]:
    """Four questions whose correct answers are read off the measured table."""
    return [_q_smallest(report), _q_prune95(report), _q_int8_ratio(report), _q_distill(report)]


def format_question(q: LabQuestion, number: int) -> list[str]:
    lines = [f"問{number}. {q.stem}"]
    lines += [f"  {i + 1}. {c}" for i, c in enumerate(q.choices)]
    return lines


# -- Grad-CAM --------------------------------------------------------------------------------


def gradcam_relation_text(max_difference: float, ratio: float, hw: int) -> str:
    """Why Grad-CAM equals CAM here, with the measured difference (Japanese)."""
    ratio_text = "" if math.isnan(ratio) else f" (測定した比: {ratio:.6f}、1/{hw} = {1 / hw:.6f})"
    return (
        "このモデルは 最後の畳み込み層 → GAP (大域平均プーリング) → 全結合層 1 つ で終わるので、"
        "クラス c のスコアは y_c = Σ_k w_ck・mean(A_k) + b_c。"
        f"よって ∂y_c/∂A_k(i,j) = w_ck / (H·W) となり、Grad-CAM の重み α_k (勾配の平均) は"
        f" w_ck / {hw} に等しい。つまり Grad-CAM は CAM (Σ_k w_ck A_k) を {hw} で割っただけで"
        f"{ratio_text}、"
        f"ReLU と最大値での正規化の後は一致する (最大の差 {max_difference:.1e})。"
        "GAP を持たないモデルでは CAM は使えず (再学習が必要)、Grad-CAM は勾配から重みを求めるので"
        "どの CNN にも使える。"
    )
