"""Run-time settings, resolved once from options and environment, then passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gquiz import locations


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to open its bank; built by the CLI or by tests."""

    db_url: str
    """SQLAlchemy URL of the bank (`--db`, `GQUIZ_DB`, else SQLite in the data dir)."""
    learner: str
    """Whose attempts are recorded (`--learner`, `GQUIZ_LEARNER`, else "local")."""
    content: Path = field(default_factory=locations.content_dir)
    problems: Path = field(default_factory=locations.problems_dir)

    @classmethod
    def resolve(cls, db: str | None = None, learner: str | None = None) -> Settings:
        return cls(
            db_url=db or locations.default_db_url(), learner=learner or locations.default_learner()
        )

    def open_bank(self):  # -> gquiz.bank.repo.Bank; imported lazily to keep `--help` instant
        from gquiz.bank.build import Sources
        from gquiz.bank.repo import Bank

        return Bank(self.db_url, Sources(self.content, self.problems))
