"""Reading what authors write: front matter and YAML, with every error at its file line.

One reader for the topic files (content/sNN/*.md), the exam blueprint
(content/exam-blueprint.md) and the problem families (problems/*.yaml), so the three agree on
what front matter is, which YAML is refused, and which line an error names:

* :func:`split_front_matter` finds the YAML between a first line ``---`` and the next
  ``---`` line by mdit-py-plugins' front_matter rule, the same plugin the topic parser runs.
* :func:`load_yaml` reads YAML with libyaml's safe loader (or, with ``lines=True``, a safe
  loader whose mappings remember the line of each key), refuses flow nesting deeper than
  :data:`MAX_YAML_DEPTH` (a hostile ``[[[[...`` would otherwise exhaust the parser) and turns
  a YAML error into a :class:`YamlError` at the file line of the mistake.

PyYAML and markdown-it are imported when a file is read, never when this module is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

__all__ = [
    "MAX_YAML_DEPTH",
    "FrontMatter",
    "LineDict",
    "YamlError",
    "line_of",
    "load_front_matter",
    "load_yaml",
    "plain",
    "split_front_matter",
]

MAX_YAML_DEPTH = 8
"""Deepest ``[`` / ``{`` nesting accepted (a family's matrices need 3)."""


class YamlError(ValueError):
    """YAML that cannot be used; ``line`` is the 1-based line in the file, ``message`` Japanese."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class FrontMatter:
    """The YAML block at the top of a Markdown file."""

    text: str
    """What stands between the two ``---`` lines."""
    line: int
    """1-based file line of the opening ``---`` (the YAML's first line is ``line + 1``)."""
    end: int
    """0-based index of the first line after the closing ``---``: where the body starts."""


@cache
def _front_matter_parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # Only the front-matter block rule matters here: "zero" runs nothing else of note.
    return MarkdownIt("zero").use(front_matter_plugin)


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter of a Markdown text, or None when it does not start with one.

    A ``---`` first line without a closing ``---`` is no front matter (as in the topic
    parser, which uses the same plugin).
    """
    if not text.startswith("---"):
        return None
    tokens = _front_matter_parser().parse(text)
    if not tokens or tokens[0].type != "front_matter" or tokens[0].map is None:
        return None
    start, end = tokens[0].map
    return FrontMatter(tokens[0].content, start + 1, end)


def _flow_depth(text: str) -> int:
    """Deepest [ / { nesting of a YAML text, quotes aside (enough to refuse a hostile one)."""
    depth = deepest = 0
    quote = ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
        elif ch == "\n":
            quote = ""
    return deepest


def load_yaml(text: str, first_line: int = 1, *, lines: bool = False, subject: str = "") -> Any:
    """The YAML value of ``text``, whose first line is line ``first_line`` of its file.

    With ``lines`` every mapping is a :class:`LineDict` of file lines (pure-Python loader,
    slower: read a large file again with it only to place its errors). ``subject`` starts the messages
    (``"フロントマターの"`` → 「フロントマターの YAML が読めません: ...」).
    Raises :class:`YamlError`; a problem with the whole text is placed at the line before
    the text (the opening ``---``), or line 1.
    """
    import yaml

    whole = max(1, first_line - 1)
    if _flow_depth(text) > MAX_YAML_DEPTH:
        raise YamlError(
            whole, f"{subject or 'YAML の'}入れ子が深すぎます (上限 {MAX_YAML_DEPTH} 段)"
        )
    loader = _line_loader() if lines else getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # Blank lines in front of the text make every mark (and LineDict line) a file line.
    padded = "\n" * (first_line - 1) + text
    try:
        return yaml.load(padded, Loader=loader)  # noqa: S506 - a SafeLoader (or a subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        at = mark.line + 1 if mark is not None else whole
        prefix = f"{subject} " if subject else ""
        raise YamlError(at, f"{prefix}YAML が読めません: {problem}") from None


def load_front_matter(front: FrontMatter, max_chars: int) -> dict[str, Any]:
    """The front matter as a mapping (``key: value`` lines); YamlError at the file's lines."""
    if len(front.text) > max_chars:
        raise YamlError(front.line, f"フロントマターが長すぎます (上限 {max_chars:,} 文字)")
    data = load_yaml(front.text, front.line + 1, subject="フロントマターの")
    if not isinstance(data, dict):
        raise YamlError(front.line, "フロントマターは key: value の形で書いてください")
    return data


# -- YAML with line numbers -------------------------------------------------------------------


class LineDict(dict[Any, Any]):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]


@cache
def _line_loader() -> type[yaml.SafeLoader]:
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
        loader.flatten_mapping(node)
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            out[key] = loader.construct_object(value_node, deep=True)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return LineLoader


def line_of(d: Any, key: Any = None) -> int:
    """The line of ``key`` in a LineDict (of the mapping itself without a key); 1 otherwise."""
    if isinstance(d, LineDict):
        if key is not None and key in d.key_lines:
            return d.key_lines[key]
        return d.line
    return 1


def plain(obj: Any) -> Any:
    """Line-tracking dicts back to plain dicts (for storing what was read)."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj
