"""Japanese text layout for every screen: phrase line breaking, kinsoku, soft-break joining.

Textual-free on purpose: the note reader, the quiz screens and plain mode share it, and its
tests run without a terminal.
"""
