"""TF-IDF of a term in a small document collection.

Convention (the textbook one, stated in every problem): ``tf(t, d) = n(t, d) / |d|`` (the
term's count divided by the number of words of the document), ``idf(t) = log(N / df(t))``
with ``N`` documents of which ``df(t)`` contain the term, natural log unless ``base`` says
otherwise; ``tfidf = tf × idf``. (scikit-learn's ``TfidfVectorizer`` adds 1 to the idf and
uses raw counts; the tests check ours against its counts and idf.)
"""

from __future__ import annotations

import math
from typing import Any

from gquiz.engine.core import EngineError, Solution, Step, as_int
from gquiz.engine.registry import solver

__all__ = ["tf_idf"]


def _docs(docs: Any) -> list[list[str]]:
    if not isinstance(docs, (list, tuple)) or not docs:
        raise EngineError(
            "docs は文書のリスト（各文書は空白区切りの文字列か単語のリスト）で指定してください"
        )
    out = []
    for i, d in enumerate(docs):
        words = d.split() if isinstance(d, str) else d
        if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
            raise EngineError(f"docs の {i + 1} 番目が文字列でも単語のリストでもない")
        if not words:
            raise EngineError(f"docs の {i + 1} 番目が空の文書である")
        out.append(list(words))
    return out


@solver(
    "tf_idf",
    "TF-IDF: tf = 出現回数 / 文書の単語数、idf = log(N / df)",
    {
        "docs": "文書のリスト (空白区切りの文字列か単語のリスト)",
        "term": "単語",
        "doc": "対象の文書の番号 (0 始まり)",
        "base": "idf の対数の底 'e' (既定) か 10 か 2",
        "ask": "求める量 tfidf (既定) / tf / idf",
    },
)
def tf_idf(docs: Any, term: Any, doc: Any, base: Any = "e", ask: Any = "tfidf") -> Solution:
    """TF-IDF of ``term`` in document ``doc``.

    Examples
    --------
    >>> s = tf_idf(["a b a", "b c", "c d"], "a", 0)
    >>> round(s.answer["tf"], 4), round(s.answer["idf"], 4), round(s.answer["tfidf"], 4)
    (0.6667, 1.0986, 0.7324)
    """
    ds = _docs(docs)
    if ask not in ("tf", "idf", "tfidf"):
        raise EngineError(f"ask は tfidf, tf, idf のどれかで指定してください（{ask!r}）")
    if not isinstance(term, str) or not term:
        raise EngineError("term には単語（文字列）を指定してください")
    i = as_int(doc, "doc", min_value=0)
    if i >= len(ds):
        raise EngineError(f"doc は 0〜{len(ds) - 1} でなければならない（{i}）")
    if base in ("e", "E"):
        b, bname = math.e, "e"
    elif base in (2, 10, "2", "10"):
        b, bname = float(base), str(base)
    else:
        raise EngineError(f"base は 'e' か 10 か 2 で指定してください（{base!r}）")
    count = ds[i].count(term)
    length = len(ds[i])
    contains = [term in d for d in ds]
    df = sum(contains)
    n = len(ds)
    if df == 0:
        raise EngineError(f"「{term}」はどの文書にも出てこない（df = 0 で idf が定義されない）")
    tf = count / length
    idf = math.log(n / df) / math.log(b)
    tfidf = tf * idf
    answer = {
        "count": count,
        "length": length,
        "df": df,
        "n_docs": n,
        "total_count": sum(d.count(term) for d in ds),
        "tf": tf,
        "idf": idf,
        "tfidf": tfidf,
    }
    tf_step = Step(
        "tfidf_tf", {"term": term, "doc": i, "count": count, "length": length, "value": tf}
    )
    idf_step = Step(
        "tfidf_idf",
        {"term": term, "contains": contains, "n": n, "df": df, "base": bname, "value": idf},
    )
    if ask == "tf":
        return Solution(answer, (tf_step,))
    if ask == "idf":
        return Solution(answer, (idf_step,))
    return Solution(
        answer, (tf_step, idf_step, Step("tfidf_value", {"tf": tf, "idf": idf, "value": tfidf}))
    )
