"""Every message of the family validator, with its line: one broken file per rule.

The expected lists were recorded from the validator before it was split into one spec object
per section of a family file (issue 15); an author must keep getting the same ``path:line``
messages, in the same order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gquiz.problems.spec import Family, read_family_file

BASE = """\
id: fam
section: S6.1
title: 正方形どうしの IoU
solver: iou
kind: float
precision: {decimals: 2}
args: {box_a: "[0, 0, a, a]", box_b: "[s, s, s + a, s + a]"}
statement: "一辺 {a} の正方形と ({s}, {s}) の IoU を求めよ。"
levels:
  1: {params: {a: {int: [2, 6]}, s: 1}}
  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}
  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}
distractors:
  - {id: sum-areas, label: 面積の合計で割った, mistake: iou_sum_areas}
  - {id: over-a, label: 片方の面積で割った, mistake: iou_over_a}
"""


def sub(old, new, text=BASE):
    assert old in text, old
    return text.replace(old, new, 1)


CASES = {
    "ok": BASE,
    "not-a-mapping": "- a\n- b\n",
    "unknown-and-retired-keys": BASE + "tolerance: 0.1\ndigits: 2\ncolour: red\n",
    "missing-keys": "id: fam\nsection: S6.1\nkind: integer\n",
    "bad-id": sub("id: fam", "id: Bad_ID"),
    "id-not-file-name": sub("id: fam", "id: other"),
    "bad-section": sub("section: S6.1", "section: '6.1'"),
    "unknown-section": sub("section: S6.1", "section: S9.9"),
    "empty-title": sub("title: 正方形どうしの IoU", "title: '  '"),
    "title-not-text": sub("title: 正方形どうしの IoU", "title: [a]"),
    "params-not-mapping": BASE + "params: [1, 2]\n",
    "params-kinds": BASE
    + """params:
  1x: 3
  b: {int: 3}
  c: {float: [0, 1]}
  d: {vector: 3}
  e: {matrix: [2, 2]}
  f: {gen: no_such_helper}
  g: {expr: "a +"}
  h: "b ** ("
  i: {int: [1, 2], choice: [1]}
  j: {}
  k: {gen: box}
""",
    "where-not-list": BASE + "where: 's < a'\n",
    "where-bad-expr": BASE + "where: ['s <', 'a > 0']\n",
    "distractors-not-list": sub(
        "distractors:\n  - {id: sum-areas, label: 面積の合計で割った, mistake: iou_sum_areas}\n  - {id: over-a, label: 片方の面積で割った, mistake: iou_over_a}\n",
        "distractors: {a: 1}\n",
    ),
    "distractor-items": BASE
    + """  - just text
  - {id: x, label: ラベル, value: "a", colour: red}
  - {id: Bad, label: x, value: "a"}
  - {id: sum-areas, label: 重複, value: "a"}
  - {id: nolabel, value: "a"}
  - {id: emptylabel, label: "  ", value: "a"}
  - {id: noway, label: 求め方なし}
  - {id: nomistake, label: x, mistake: no_such_mistake}
  - {id: both, label: x, mistake: iou_over_a, value: "a"}
  - {id: argsnotmap, label: x, args: [1]}
  - {id: argsbad, label: x, args: {box_a: "a +"}}
  - {id: pickbad, label: x, pick: "(", when: "a <", value: "a ]"}
  - {id: dotted, label: x, solver: "os:system"}
  - {id: nosolver, label: x, solver: no_such_solver}
  - {id: emptysolver, label: x, solver: ""}
  - {id: good-solver, label: x, solver: conv_output_size, args: {in_size: a, kernel_size: 1, stride: 1, padding: 0}}
  - {label: no id}
""",
    "levels-not-mapping": sub(
        'levels:\n  1: {params: {a: {int: [2, 6]}, s: 1}}\n  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}\n  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}\n',
        "levels: [1, 2, 3]\n",
    ),
    "levels-empty": sub(
        'levels:\n  1: {params: {a: {int: [2, 6]}, s: 1}}\n  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}\n  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}\n',
        "levels: {}\n",
    ),
    "level-keys": BASE.replace("distractors:", "  4: {}\n  x: {}\ndistractors:", 1),
    "level-not-mapping-and-null": sub(
        "  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}",
        "  3: [1]",
        sub("  1: {params: {a: {int: [2, 6]}, s: 1}}", "  1:"),
    ),
    "level-unknown-and-retired": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, tolerance: 1, colour: red, digits: 3}",
    ),
    "level-params-override-and-bad": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1, z: {foo: 1}, 2y: 1}}",
        BASE + "params: {a: 5, t: 3}\n",
    ),
    "level-require-where": BASE.replace(
        "  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}",
        "  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}, require: ['answer >'], where: ['s >']}",
    )
    + "require: ['correct <']\n",
    "kind-bad-top": sub("kind: float", "kind: text"),
    "kind-bad-level": sub(
        '  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}',
        "  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, kind: words}",
    ),
    "precision-bad": sub("precision: {decimals: 2}", "precision: {decimals: -1}"),
    "precision-bad-level": sub(
        '  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}',
        "  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, precision: loose}",
    ),
    "float-without-precision": sub("precision: {decimals: 2}\n", ""),
    "integer-with-decimals": sub("kind: float", "kind: integer"),
    "integer-with-decimals-level": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, kind: integer}",
    ),
    "choice-with-precision": sub("kind: float", "kind: choice"),
    "choice-with-precision-level": sub(
        "precision: {decimals: 2}\n",
        "",
        sub(
            "kind: float",
            "kind: choice",
            sub(
                "  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}",
                "  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}, precision: integer}",
            ),
        ),
    ),
    "solver-missing-top": sub("solver: iou", "solver: no_such_solver"),
    "solver-dotted-top": sub("solver: iou", "solver: 'os:system'"),
    "solver-level": sub(
        '  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}',
        "  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, solver: 'subprocess.run'}",
    ),
    "solver-not-text": sub("solver: iou", "solver: 3"),
    "args-not-mapping": sub(
        'args: {box_a: "[0, 0, a, a]", box_b: "[s, s, s + a, s + a]"}', "args: [a, s]"
    ),
    "args-bad-expr": sub(
        'args: {box_a: "[0, 0, a, a]", box_b: "[s, s, s + a, s + a]"}',
        'args: {box_a: "[0, 0, a, a", box_b: "s.real"}',
    ),
    "args-level-not-mapping": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, args: 3}",
    ),
    "answer-bad": BASE + 'answer: "answer["\n',
    "answer-bad-level": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, answer: 'import os'}",
    ),
    "statement-empty": sub(
        'statement: "一辺 {a} の正方形と ({s}, {s}) の IoU を求めよ。"', 'statement: ""'
    ),
    "statement-not-text": sub(
        'statement: "一辺 {a} の正方形と ({s}, {s}) の IoU を求めよ。"', "statement: [1]"
    ),
    "statement-empty-level": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, statement: ' '}",
    ),
    "statement-fields": sub(
        'statement: "一辺 {a} の正方形と ({s}, {s}) の IoU を求めよ。"',
        'statement: "一辺 {a +} と {s|nope} と {b(}"',
    ),
    "statement-fields-level": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, statement: '{a +} と {s.x}'}",
    ),
    "final-not-text": BASE + "final: [1]\n",
    "final-fields": BASE + "final: '{a +} {s|bad}'\n",
    "final-level": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, final: '{(}'}",
    ),
    "note-level": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, note: メモ}",
    ),
    "level-distractors": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1:\n    params: {a: {int: [2, 6]}, s: 1}\n    distractors:\n      - {id: q, label: x}\n      - 3",
    ),
    "level-distractors-not-list": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}",
        "  1: {params: {a: {int: [2, 6]}, s: 1}, distractors: {a: 1}}",
    ),
    "missing-level-3": sub("  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}\n", ""),
    "missing-level-3-bad-level-2": sub(
        '  2: {params: {a: {int: [4, 10]}, s: {int: [1, 3]}}, where: ["s < a"]}',
        "  2: 7",
        sub("  3: {params: {a: {int: [10, 20]}, s: {int: [2, 8]}}}\n", ""),
    ),
    "options-keywords-topic": BASE + "options: a\nkeywords: b\ntopic: Not_A_Slug\n",
    "topic-not-text": BASE + "topic: 3\nunordered: true\noptions: [x, 1]\nkeywords: [IoU, 2]\n",
    "level-params-not-mapping": sub(
        "  1: {params: {a: {int: [2, 6]}, s: 1}}", "  1: {params: [a]}"
    ),
    "many-top": "id: fam\nsection: S6.1\ntitle: t\nsolver: iou\nkind: integer\nstatement: x\nlevels: {1: {}, 2: {}, 3: {}}\nwhere: [1, 'a >']\nrequire: ['x >']\nfinal: 3\n",
}
KNOWN = {"unknown-section": {"S6.1", "S5.2"}}

EXPECTED: dict[str, list[str]] = {
    "ok": [],
    "not-a-mapping": [
        "1: ファミリーのファイルは YAML のマッピング（id: ..., section: ... ）にしてください",
    ],
    "unknown-and-retired-keys": [
        "16: tolerance は使えません。precision: {decimals: N}（小数第N位まで）などで答え方を書いてください（problems/README.md）",
        "17: digits は使えません。表示の桁は precision: {decimals: N} で決まります（problems/README.md）",
        "18: 不明なキー 'colour'（使えるのは answer, args, distractors, final, id, keywords, kind, levels, note, options, params, precision, require, section, solver, statement, title, topic, unordered, where）",
    ],
    "missing-keys": [
        "1: title がありません",
        "1: solver がありません",
        "1: statement がありません",
        "1: levels がありません",
    ],
    "bad-id": [
        "1: id 'Bad_ID' は英小文字・数字・- で書いてください",
    ],
    "id-not-file-name": [
        "1: id 'other' がファイル名 fam.yaml と一致しません（other.yaml にしてください）",
    ],
    "bad-section": [
        "2: section '6.1' は S5.2 の形で書いてください",
    ],
    "unknown-section": [
        "2: 不明な section id: S9.9",
    ],
    "empty-title": [
        "3: title（日本語の題名）が空です",
    ],
    "title-not-text": [
        "3: title（日本語の題名）が空です",
    ],
    "params-not-mapping": [
        "16: params は 名前: 生成方法 のマッピングで書いてください",
    ],
    "params-kinds": [
        "17: params のパラメータ名 '1x' は英字で始まる識別子にしてください",
        "18: params.b: int: には [最小, 最大] を指定してください",
        "19: params.c: float: には step（刻み）が必要です",
        "20: params.d: vector: には range: [最小, 最大] が必要です",
        "21: params.e: matrix: には range: [最小, 最大] が必要です",
        "22: params.f: 生成ヘルパー 'no_such_helper' はありません（使えるもの: box, box_cluster, confusion, ctc_path, detections, distribution, documents, game, int_tensor, overlapping_box, pick_word, quant_tie, scores）",
        "23: params.g: 式が読めません: 'a +'（invalid syntax）",
        "24: params.h: 式が読めません: 'b ** ('（'(' was never closed）",
        "25: params.i: 生成方法を 1 つ指定してください（int, float, choice, vector, matrix, gen, expr, const）",
        "26: params.j: 生成方法を 1 つ指定してください（int, float, choice, vector, matrix, gen, expr, const）",
    ],
    "where-not-list": [
        "16: where は条件式のリストで書いてください",
    ],
    "where-bad-expr": [
        "16: where: 式が読めません: 's <'（invalid syntax）",
    ],
    "distractors-not-list": [
        "13: distractors は誤答のリストで書いてください",
    ],
    "distractor-items": [
        "1: distractors の各項目は id, label を持つマッピングにしてください",
        "17: distractors: 不明なキー colour（使えるのは args, id, label, mistake, pick, solver, value, when）",
        "18: distractors: 誤答の id 'Bad' は英小文字・数字・- で書いてください",
        "19: distractors: 誤答の id 'sum-areas' が重複しています",
        "20: distractors.nolabel: label（どんな間違いかの日本語の説明）が必要です",
        "21: distractors.emptylabel: label（どんな間違いかの日本語の説明）が必要です",
        "22: distractors.noway: 誤答の求め方（args / solver / pick / mistake / value）がありません",
        "23: distractors.nomistake: 誤答関数 'no_such_mistake' は gquiz/problems/mistakes.py にありません",
        "24: distractors.both: value と mistake は同時に指定できません",
        "25: distractors.argsnotmap: args はマッピングで書いてください",
        "26: distractors.argsbad.args.box_a: 式が読めません: 'a +'（invalid syntax）",
        "27: distractors.pickbad.pick: 式が読めません: '('（'(' was never closed）",
        "27: distractors.pickbad.value: 式が読めません: 'a ]'（unmatched ']'）",
        "27: distractors.pickbad.when: 式が読めません: 'a <'（invalid syntax）",
        "28: distractors.dotted: ソルバー 'os:system' は使えません: ファミリーのファイルにはエンジンのソルバー名（gquiz solve --list）だけを書けます。モジュールのパスは読み込みません",
        "29: distractors.nosolver: ソルバー 'no_such_solver' がありません（gquiz solve --list の名前を書いてください）",
        "30: distractors.emptysolver: ソルバー '' がありません（gquiz solve --list の名前を書いてください）",
        "32: distractors: 誤答の id None は英小文字・数字・- で書いてください",
    ],
    "levels-not-mapping": [
        "9: levels には難易度 1〜3 ごとの設定を書いてください",
        "9: levels に難易度 1 がありません",
        "9: levels に難易度 2 がありません",
        "9: levels に難易度 3 がありません",
    ],
    "levels-empty": [
        "9: levels には難易度 1〜3 ごとの設定を書いてください",
        "9: levels に難易度 1 がありません",
        "9: levels に難易度 2 がありません",
        "9: levels に難易度 3 がありません",
    ],
    "level-keys": [
        "13: levels のキーは 1, 2, 3 のどれかです（4）",
        "14: levels のキーは 1, 2, 3 のどれかです（'x'）",
    ],
    "level-not-mapping-and-null": [
        "12: levels.3 はマッピングで書いてください",
    ],
    "level-unknown-and-retired": [
        "10: levels.1: tolerance は使えません。precision: {decimals: N}（小数第N位まで）などで答え方を書いてください（problems/README.md）",
        "10: levels.1: 不明なキー 'colour'（使えるのは answer, args, distractors, final, kind, note, params, precision, require, solver, statement, where）",
        "10: levels.1: digits は使えません。表示の桁は precision: {decimals: N} で決まります（problems/README.md）",
    ],
    "level-params-override-and-bad": [
        "10: levels.1.params.z: 生成方法を 1 つ指定してください（int, float, choice, vector, matrix, gen, expr, const）",
        "10: levels.1.params のパラメータ名 '2y' は英字で始まる識別子にしてください",
    ],
    "level-require-where": [
        "10: levels.1.require: 式が読めません: 'correct <'（invalid syntax）",
        "11: levels.2.require: 式が読めません: 'correct <'（invalid syntax）",
        "12: levels.3.require: 式が読めません: 'correct <'（invalid syntax）",
        "12: levels.3.require: 式が読めません: 'answer >'（invalid syntax）",
        "12: levels.3.where: 式が読めません: 's >'（invalid syntax）",
    ],
    "kind-bad-top": [
        "5: kind 'text' は integer, float, vector, matrix, choice のどれかです",
        "5: kind 'text' は integer, float, vector, matrix, choice のどれかです",
        "5: kind 'text' は integer, float, vector, matrix, choice のどれかです",
        "9: levels に難易度 1 がありません",
        "9: levels に難易度 2 がありません",
        "9: levels に難易度 3 がありません",
    ],
    "kind-bad-level": [
        "11: kind 'words' は integer, float, vector, matrix, choice のどれかです",
        "9: levels に難易度 2 がありません",
    ],
    "precision-bad": [
        "6: levels.1: precision.decimals は 0〜8 の整数にしてください（-1）",
        "6: levels.2: precision.decimals は 0〜8 の整数にしてください（-1）",
        "6: levels.3: precision.decimals は 0〜8 の整数にしてください（-1）",
    ],
    "precision-bad-level": [
        "11: levels.2: precision 'loose' は integer、exact、{decimals: N}、{significant: N} のどれかで書いてください",
    ],
    "float-without-precision": [
        "5: levels.1: 小数の答え (kind: float) には precision（答え方: {decimals: 3} = 小数第3位まで、{significant: 3} = 有効数字3桁、exact = 正確な値）が必要です",
        "5: levels.2: 小数の答え (kind: float) には precision（答え方: {decimals: 3} = 小数第3位まで、{significant: 3} = 有効数字3桁、exact = 正確な値）が必要です",
        "5: levels.3: 小数の答え (kind: float) には precision（答え方: {decimals: 3} = 小数第3位まで、{significant: 3} = 有効数字3桁、exact = 正確な値）が必要です",
    ],
    "integer-with-decimals": [
        "6: levels.1: 整数の答え (kind: integer) の precision は integer だけです",
        "6: levels.2: 整数の答え (kind: integer) の precision は integer だけです",
        "6: levels.3: 整数の答え (kind: integer) の precision は integer だけです",
    ],
    "integer-with-decimals-level": [
        "6: levels.1: 整数の答え (kind: integer) の precision は integer だけです",
    ],
    "choice-with-precision": [
        "6: levels.1: 文字の答え (kind: choice) に precision は書けません",
        "6: levels.2: 文字の答え (kind: choice) に precision は書けません",
        "6: levels.3: 文字の答え (kind: choice) に precision は書けません",
    ],
    "choice-with-precision-level": [
        "11: levels.3: 文字の答え (kind: choice) に precision は書けません",
    ],
    "solver-missing-top": [
        "4: ソルバー 'no_such_solver' がありません（gquiz solve --list の名前を書いてください）",
    ],
    "solver-dotted-top": [
        "4: ソルバー 'os:system' は使えません: ファミリーのファイルにはエンジンのソルバー名（gquiz solve --list）だけを書けます。モジュールのパスは読み込みません",
    ],
    "solver-level": [
        "11: ソルバー 'subprocess.run' は使えません: ファミリーのファイルにはエンジンのソルバー名（gquiz solve --list）だけを書けます。モジュールのパスは読み込みません",
    ],
    "solver-not-text": [
        "4: ソルバー 3 がありません（gquiz solve --list の名前を書いてください）",
    ],
    "args-not-mapping": [
        "7: args はソルバーの引数名: 式 のマッピングで書いてください",
        "7: args はソルバーの引数名: 式 のマッピングで書いてください",
        "7: args はソルバーの引数名: 式 のマッピングで書いてください",
    ],
    "args-bad-expr": [
        "7: args.box_a: 式が読めません: '[0, 0, a, a'（'[' was never closed）",
        "7: args.box_b: 式 's.real' に使えない構文があります（Attribute）",
        "7: args.box_a: 式が読めません: '[0, 0, a, a'（'[' was never closed）",
        "7: args.box_b: 式 's.real' に使えない構文があります（Attribute）",
        "7: args.box_a: 式が読めません: '[0, 0, a, a'（'[' was never closed）",
        "7: args.box_b: 式 's.real' に使えない構文があります（Attribute）",
    ],
    "args-level-not-mapping": [
        "7: args はソルバーの引数名: 式 のマッピングで書いてください",
    ],
    "answer-bad": [
        "16: answer: 式が読めません: 'answer['（'[' was never closed）",
        "16: answer: 式が読めません: 'answer['（'[' was never closed）",
        "16: answer: 式が読めません: 'answer['（'[' was never closed）",
    ],
    "answer-bad-level": [
        "1: answer: 式が読めません: 'import os'（invalid syntax）",
    ],
    "statement-empty": [
        "8: statement（問題文のテンプレート）が空です",
        "8: statement（問題文のテンプレート）が空です",
        "8: statement（問題文のテンプレート）が空です",
        "9: levels に難易度 1 がありません",
        "9: levels に難易度 2 がありません",
        "9: levels に難易度 3 がありません",
    ],
    "statement-not-text": [
        "8: statement（問題文のテンプレート）が空です",
        "8: statement（問題文のテンプレート）が空です",
        "8: statement（問題文のテンプレート）が空です",
        "9: levels に難易度 1 がありません",
        "9: levels に難易度 2 がありません",
        "9: levels に難易度 3 がありません",
    ],
    "statement-empty-level": [
        "8: statement（問題文のテンプレート）が空です",
        "9: levels に難易度 1 がありません",
    ],
    "statement-fields": [
        "8: statement: 式が読めません: 'a +'（invalid syntax）",
        "8: statement: 書式 'nope' はありません（使えるもの: game, boxes, matrix, vec, code, pct, list, d0, d1, d2, d3, d4, d5, d6）",
        "8: statement: 式が読めません: 'a +'（invalid syntax）",
        "8: statement: 書式 'nope' はありません（使えるもの: game, boxes, matrix, vec, code, pct, list, d0, d1, d2, d3, d4, d5, d6）",
        "8: statement: 式が読めません: 'a +'（invalid syntax）",
        "8: statement: 書式 'nope' はありません（使えるもの: game, boxes, matrix, vec, code, pct, list, d0, d1, d2, d3, d4, d5, d6）",
    ],
    "statement-fields-level": [
        "10: statement: 式が読めません: 'a +'（invalid syntax）",
        "10: statement: 式 's.x' に使えない構文があります（Attribute）",
    ],
    "final-not-text": [
        "16: final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください",
        "16: final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください",
        "16: final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください",
    ],
    "final-fields": [
        "16: final: 式が読めません: 'a +'（invalid syntax）",
        "16: final: 書式 'bad' はありません（使えるもの: game, boxes, matrix, vec, code, pct, list, d0, d1, d2, d3, d4, d5, d6）",
        "16: final: 式が読めません: 'a +'（invalid syntax）",
        "16: final: 書式 'bad' はありません（使えるもの: game, boxes, matrix, vec, code, pct, list, d0, d1, d2, d3, d4, d5, d6）",
        "16: final: 式が読めません: 'a +'（invalid syntax）",
        "16: final: 書式 'bad' はありません（使えるもの: game, boxes, matrix, vec, code, pct, list, d0, d1, d2, d3, d4, d5, d6）",
    ],
    "final-level": [
        "1: final: 式が読めません: '('（'(' was never closed）",
    ],
    "note-level": [],
    "level-distractors": [
        "13: levels.1.distractors.q: 誤答の求め方（args / solver / pick / mistake / value）がありません",
        "1: levels.1.distractors の各項目は id, label を持つマッピングにしてください",
    ],
    "level-distractors-not-list": [
        "10: levels.1.distractors は誤答のリストで書いてください",
    ],
    "missing-level-3": [
        "9: levels に難易度 3 がありません",
    ],
    "missing-level-3-bad-level-2": [
        "11: levels.2 はマッピングで書いてください",
        "9: levels に難易度 3 がありません",
    ],
    "options-keywords-topic": [
        "16: options は選択肢の文字列のリストで書いてください",
        "17: keywords はリストで書いてください",
        "18: topic 'Not_A_Slug' はトピックの slug（英小文字・数字・-）にしてください",
    ],
    "topic-not-text": [
        "16: topic 3 はトピックの slug（英小文字・数字・-）にしてください",
    ],
    "level-params-not-mapping": [
        "10: levels.1.params は 名前: 生成方法 のマッピングで書いてください",
    ],
    "many-top": [
        "8: where: 式が読めません: 'a >'（invalid syntax）",
        "7: levels.1.require: 式が読めません: 'x >'（invalid syntax）",
        "10: final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください",
        "7: levels.2.require: 式が読めません: 'x >'（invalid syntax）",
        "10: final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください",
        "7: levels.3.require: 式が読めません: 'x >'（invalid syntax）",
        "10: final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください",
    ],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_messages_and_lines(tmp_path: Path, name: str) -> None:
    path = tmp_path / "fam.yaml"
    path.write_text(CASES[name], encoding="utf-8")
    fam, errors = read_family_file(path, KNOWN.get(name))
    assert all(e.path == str(path) for e in errors)
    assert [f"{e.line}: {e.message}" for e in errors] == EXPECTED[name]
    assert (fam is not None) == (not EXPECTED[name])


def test_a_valid_file_gives_the_family(tmp_path: Path) -> None:
    path = tmp_path / "fam.yaml"
    path.write_text(CASES["note-level"], encoding="utf-8")
    fam, errors = read_family_file(path)
    assert errors == []
    assert isinstance(fam, Family)
    assert (fam.id, fam.section, fam.title, fam.path) == (
        "fam",
        "S6.1",
        "正方形どうしの IoU",
        str(path),
    )
    one, two = fam.level(1), fam.level(2)
    assert one.note == "メモ"
    assert two.note == ""
    assert one.params == (("a", {"int": [2, 6]}), ("s", 1))
    assert two.where == ("s < a",)
    assert (one.solver, one.kind, one.answer) == ("iou", "float", "answer")
    assert one.precision.mode == "decimals"
    assert [d.id for d in one.distractors] == ["sum-areas", "over-a"]
    assert one.distractors[0].mistake == "iou_sum_areas"
    assert fam.spec["levels"][1]["note"] == "メモ"
