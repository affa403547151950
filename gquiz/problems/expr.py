"""A small, safe expression evaluator for problem families.

Family files compute derived values (``n + 2*p``), constraints (``(n - k) % s == 0``) and
statement placeholders with Python-like expressions. They are parsed with :mod:`ast` and
walked here; only the nodes and functions listed below are allowed, so a family file can
never run arbitrary code (no attribute access, no imports, no lambdas, no comprehensions).

Allowed: numbers, strings, ``True``/``False``/``None``, names of already defined values,
``+ - * / // % **``, unary ``-``/``+``/``not``, comparisons (chained too), ``and``/``or``,
``x if c else y``, subscripts and slices (``a[0]``, ``m[1][2]``, ``a[1:3]``), list, tuple
and dict literals, and calls of the functions in :data:`FUNCTIONS`.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["ExprError", "FUNCTIONS", "compile_expr", "evaluate"]


class ExprError(ValueError):
    """An expression is malformed or uses something that is not allowed."""


def _arr(x: Any) -> np.ndarray:
    return np.asarray(x)


def _flip(x: Any) -> np.ndarray:
    """Flip an array along every axis (a kernel turned 180 degrees)."""
    a = np.asarray(x)
    return a[(slice(None, None, -1),) * a.ndim]


def _frac(a: Any, b: Any = 1) -> float:
    return float(Fraction(a) / Fraction(b))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "int": int,
    "float": float,
    "str": str,
    "len": len,
    "sum": sum,
    "range": lambda *a: list(range(*a)),
    "list": list,
    "sorted": sorted,
    "floor": math.floor,
    "ceil": math.ceil,
    "sqrt": math.sqrt,
    "exp": math.exp,
    "tanh": math.tanh,
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)),
    "log": math.log,
    "factorial": math.factorial,
    "comb": math.comb,
    "gcd": math.gcd,
    "frac": _frac,
    # numpy helpers on arrays (results are arrays; use tolist() in statements if needed)
    "array": _arr,
    "transpose": lambda x: np.asarray(x).T,
    "flip": _flip,
    "zeros": lambda *shape: np.zeros(shape, dtype=np.int64),
    "asum": lambda x: np.asarray(x).sum().item(),
    "amax": lambda x: np.asarray(x).max().item(),
    "amin": lambda x: np.asarray(x).min().item(),
    "mean": lambda x: float(np.mean(x)),
    "shape": lambda x: list(np.shape(x)),
    "tolist": lambda x: np.asarray(x).tolist(),
    "row_l1": lambda m: np.abs(np.asarray(m, dtype=float)).reshape(len(m), -1).sum(axis=1).tolist(),
    "argmax": lambda x: int(np.argmax(x)),
    "argmin": lambda x: int(np.argmin(x)),
    "all_distinct": lambda x: len(set(np.ravel(x).tolist())) == np.size(x),
    "dot": lambda a, b: np.dot(a, b).tolist() if np.ndim(np.dot(a, b)) else np.dot(a, b).item(),
    "norm": lambda x: float(np.linalg.norm(x)),
    "index": lambda seq, v: list(np.ravel(seq).tolist()).index(v),
}

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


@lru_cache(maxsize=4096)
def compile_expr(text: str) -> ast.Expression:
    """Parse ``text`` once (cached) and check that it uses only allowed syntax."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"式が読めません: {text!r}（{exc.msg}）") from None
    for node in ast.walk(tree):
        if isinstance(
            node,
            (
                ast.Attribute,
                ast.Lambda,
                ast.ListComp,
                ast.SetComp,
                ast.DictComp,
                ast.GeneratorExp,
                ast.Await,
                ast.Yield,
                ast.YieldFrom,
                ast.NamedExpr,
                ast.Starred,
                ast.JoinedStr,
            ),
        ):
            raise ExprError(f"式 {text!r} に使えない構文があります（{type(node).__name__}）")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else "?"
                raise ExprError(
                    f"式 {text!r} の関数 {name!r} は使えません（使える関数: {', '.join(sorted(FUNCTIONS))}）"
                )
    return tree


def evaluate(text: str | int | float, names: Mapping[str, Any]) -> Any:
    """Evaluate an expression over ``names``; non-strings are returned unchanged."""
    if not isinstance(text, str):
        return text
    tree = compile_expr(text)
    try:
        return _eval(tree.body, names, text)
    except ExprError:
        raise
    except ZeroDivisionError:
        raise ExprError(f"式 {text!r} で 0 による割り算が起きました") from None
    except (TypeError, ValueError, IndexError, KeyError, OverflowError) as exc:
        raise ExprError(f"式 {text!r} を計算できません（{type(exc).__name__}: {exc}）") from None


def _eval(node: ast.AST, names: Mapping[str, Any], text: str) -> Any:
    """The value of one node: a look-up in :data:`_EVALUATORS` by the node's type.

    Only the node types listed there evaluate; anything else is refused (compile_expr already
    refused most of it when the file was loaded).
    """
    evaluator = _EVALUATORS.get(type(node))
    if evaluator is None:
        raise ExprError(f"式 {text!r} に使えない構文があります（{type(node).__name__}）")
    return evaluator(node, names, text)


def _eval_constant(node: ast.Constant, names: Mapping[str, Any], text: str) -> Any:
    return node.value


def _eval_name(node: ast.Name, names: Mapping[str, Any], text: str) -> Any:
    if node.id in names:
        return names[node.id]
    if node.id in ("pi",):
        return math.pi
    raise ExprError(f"式 {text!r} の名前 {node.id!r} が定義されていません")


def _eval_binop(node: ast.BinOp, names: Mapping[str, Any], text: str) -> Any:
    op = _BINOPS.get(type(node.op))
    if op is None:
        raise ExprError(f"式 {text!r} の演算子は使えません")
    left, right = _eval(node.left, names, text), _eval(node.right, names, text)
    # 2 ** 10**9 would hang the drill: a family's exponent is small.
    if isinstance(node.op, ast.Pow) and isinstance(right, (int, float)) and abs(right) > 64:
        raise ExprError(f"式 {text!r} の指数が大きすぎます")
    return op(left, right)


def _eval_unaryop(node: ast.UnaryOp, names: Mapping[str, Any], text: str) -> Any:
    v = _eval(node.operand, names, text)
    op = _UNARYOPS.get(type(node.op))
    if op is None:
        raise ExprError(f"式 {text!r} の演算子は使えません")
    return op(v)


def _eval_boolop(node: ast.BoolOp, names: Mapping[str, Any], text: str) -> Any:
    """``and`` / ``or`` as Python: short-circuit, the deciding operand is the value."""
    stop_when = not isinstance(node.op, ast.And)
    result: Any = not stop_when
    for v in node.values:
        result = _eval(v, names, text)
        if bool(result) == stop_when:
            return result
    return result


def _eval_compare(node: ast.Compare, names: Mapping[str, Any], text: str) -> Any:
    left = _eval(node.left, names, text)
    if len(node.ops) == 1:  # element-wise on arrays (no truth test)
        return _CMPOPS[type(node.ops[0])](left, _eval(node.comparators[0], names, text))
    for op, comp in zip(node.ops, node.comparators, strict=False):
        right = _eval(comp, names, text)
        if not _CMPOPS[type(op)](left, right):
            return False
        left = right
    return True


def _eval_ifexp(node: ast.IfExp, names: Mapping[str, Any], text: str) -> Any:
    return _eval(node.body if _eval(node.test, names, text) else node.orelse, names, text)


def _eval_subscript(node: ast.Subscript, names: Mapping[str, Any], text: str) -> Any:
    value = _eval(node.value, names, text)
    return value[_eval(node.slice, names, text)]


def _eval_slice(node: ast.Slice, names: Mapping[str, Any], text: str) -> slice:
    return slice(
        *(None if p is None else _eval(p, names, text) for p in (node.lower, node.upper, node.step))
    )


def _eval_tuple(node: ast.Tuple, names: Mapping[str, Any], text: str) -> tuple[Any, ...]:
    return tuple(_eval(e, names, text) for e in node.elts)


def _eval_list(node: ast.List, names: Mapping[str, Any], text: str) -> list[Any]:
    return [_eval(e, names, text) for e in node.elts]


def _eval_dict(node: ast.Dict, names: Mapping[str, Any], text: str) -> dict[Any, Any]:
    return {
        _eval(k, names, text): _eval(v, names, text)
        for k, v in zip(node.keys, node.values, strict=False)
        if k is not None
    }


def _eval_call(node: ast.Call, names: Mapping[str, Any], text: str) -> Any:
    if not isinstance(node.func, ast.Name):  # compile_expr admits no other
        raise ExprError(f"式 {text!r} に使えない構文があります（Call）")
    func = FUNCTIONS[node.func.id]
    args = [_eval(a, names, text) for a in node.args]
    kwargs = {k.arg: _eval(k.value, names, text) for k in node.keywords if k.arg}
    return func(*args, **kwargs)


_UNARYOPS: dict[type, Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}

_EVALUATORS: dict[type, Callable[[Any, Mapping[str, Any], str], Any]] = {
    ast.Constant: _eval_constant,
    ast.Name: _eval_name,
    ast.BinOp: _eval_binop,
    ast.UnaryOp: _eval_unaryop,
    ast.BoolOp: _eval_boolop,
    ast.Compare: _eval_compare,
    ast.IfExp: _eval_ifexp,
    ast.Subscript: _eval_subscript,
    ast.Slice: _eval_slice,
    ast.Tuple: _eval_tuple,
    ast.List: _eval_list,
    ast.Dict: _eval_dict,
    ast.Call: _eval_call,
}
"""How each allowed node type evaluates (the syntax README's Expressions section lists)."""
