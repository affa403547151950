"""Run-time settings, resolved once from options and environment, then passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gquiz import locations

if TYPE_CHECKING:
    from gquiz.bank.repo import Bank


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to open its bank; built by the CLI or by tests."""

    db_url: str
    """SQLAlchemy URL of the bank (`--db`, `GQUIZ_DB`, else SQLite in the data dir)."""
    learner: str
    """Whose attempts are recorded (`--learner`, `GQUIZ_LEARNER`, else "local")."""
    content: Path = field(default_factory=locations.content_dir)
    problems: Path = field(default_factory=locations.problems_dir)
    backups: Path | None = None
    """Where backups go; None: `<data dir>/backups`."""

    @classmethod
    def resolve(cls, db: str | None = None, learner: str | None = None) -> Settings:
        return cls(
            db_url=db or locations.default_db_url(), learner=learner or locations.default_learner()
        )

    def open_bank(self) -> Bank:  # imported lazily to keep `--help` instant
        from gquiz.bank.build import Sources
        from gquiz.bank.repo import Bank

        return Bank(self.db_url, Sources(self.content, self.problems), backup_dir=self.backup_dir())

    def backup_dir(self) -> Path:
        """Backups of the database live in the data directory (the last few are kept)."""
        return self.backups or locations.data_dir() / "backups"


# -- the learner's local day --------------------------------------------------------------------
def local_zone() -> tzinfo:
    """The learner's time zone: `GQUIZ_TZ` (an IANA name such as Asia/Tokyo), else the system's.

    Days (「今日の復習」, the daily rollups and every chart) are local days in this zone, so a
    learner in Japan gets a new day at midnight JST, not at 09:00. An unknown `GQUIZ_TZ` falls
    back to the system zone rather than stopping the app.
    """
    for name in (os.environ.get("GQUIZ_TZ"), os.environ.get("TZ")):
        zone = _named_zone(name)
        if zone is not None:
            return zone
    try:
        with open("/etc/localtime", "rb") as fh:
            return ZoneInfo.from_file(fh, key=_system_zone_key())
    except (OSError, ValueError):
        pass
    # Windows or a bare container: a fixed offset from the C library, still local.
    return datetime.now().astimezone().tzinfo or timezone.utc


def _named_zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    name = name.lstrip(":")
    if name.upper() in ("UTC", "Z", "UTC0"):
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _system_zone_key() -> str | None:
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None


def zone_name(zone: tzinfo) -> str:
    """A stable name for a zone (stored with the rollups to notice a change of zone)."""
    key = getattr(zone, "key", None)
    if key:
        return str(key)
    offset = datetime(2000, 1, 1, tzinfo=zone).utcoffset() or timedelta(0)
    return f"UTC{offset.total_seconds() / 3600:+g}"


def local_day(at_utc: datetime, zone: tzinfo) -> date:
    """The local date of a stored (naive UTC) time."""
    aware = at_utc if at_utc.tzinfo else at_utc.replace(tzinfo=timezone.utc)
    return aware.astimezone(zone).date()


def day_start_utc(day: date, zone: tzinfo) -> datetime:
    """When a local day begins, as naive UTC (how times are stored)."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    return start.astimezone(timezone.utc).replace(tzinfo=None)


def end_of_local_day(at_utc: datetime, zone: tzinfo) -> datetime:
    """The end of the local day containing `at_utc` (naive UTC): the next local midnight."""
    return day_start_utc(local_day(at_utc, zone) + timedelta(days=1), zone)
