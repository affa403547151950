"""Study-group load on a throwaway local PostgreSQL (Unix socket only, bounded in time).

1. 30 members answer at once for SECONDS (default 60): every attempt each member's app says
   it recorded must be in the database exactly once.
2. The organiser's report over 100 members × 10,000 attempts each (1,000,000 rows), timed.

Run by hand: `python benchmarks/bench_group.py [SECONDS]` (needs PostgreSQL's initdb/pg_ctl).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from gquiz.bank.group import add_member, enable_security  # noqa: E402
from gquiz.bank.repo import AttemptRecord  # noqa: E402
from gquiz.config import Settings  # noqa: E402
from gquiz.locations import content_dir, problems_dir  # noqa: E402
from gquiz.study.group_report import report  # noqa: E402


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p / name) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)),
        None,
    )
    if not found:
        sys.exit(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return found


def _as_server(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *cmd] if os.geteuid() == 0 else cmd


def start_server(root: Path) -> None:
    os.chmod(root, 0o777)
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
    data = root / "data"
    subprocess.run(
        _as_server([_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "gquiz", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_server(
            [
                _tool("pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(root / "log.txt"),
                "-w",
                "-o",
                f"-k {root} -c listen_addresses='' -c fsync=off -c max_connections=200",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )


def stop_server(root: Path) -> None:
    subprocess.run(
        _as_server([_tool("pg_ctl"), "-D", str(root / "data"), "-m", "fast", "stop"]),
        capture_output=True,
    )


def main(seconds: float) -> None:
    root = Path(tempfile.mkdtemp(prefix="gquiz-bench-pg-"))
    start_server(root)
    try:
        admin = create_engine(
            f"postgresql+psycopg://gquiz@/postgres?host={root}", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench"))
        admin.dispose()
        url = f"postgresql+psycopg://gquiz@/bench?host={root}"
        organiser = Settings(
            db_url=url, learner="organiser", content=content_dir(), problems=problems_dir()
        )
        bank = organiser.open_bank()
        bank.ensure_built()
        with bank.engine.begin() as conn:
            enable_security(conn)
        members = [add_member(bank.engine, f"m{i:02d}", f"pw{i}") for i in range(30)]
        questions = bank.questions()
        said: dict[str, int] = {}
        failures: list[str] = []
        deadline = time.monotonic() + seconds

        def study(member) -> None:  # type: ignore[no-untyped-def]
            rng = random.Random(member.name)
            b = replace(organiser, db_url=member.url).open_bank()
            lid = b.learner_id(member.name)
            n = 0
            try:
                while time.monotonic() < deadline:
                    q = rng.choice(questions)
                    rec = AttemptRecord(
                        q.id, q.section_id, rng.random() < 0.7, "1", topic_slug=q.topic_slug
                    )
                    b.record_attempt(lid, rec)
                    n += 1
            except Exception as exc:  # noqa: BLE001 - counted and shown
                failures.append(f"{member.name}: {exc!r}"[:200])
            finally:
                said[member.name] = n
                b.close()

        t0 = time.monotonic()
        threads = [threading.Thread(target=study, args=(m,)) for m in members]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        with bank.engine.connect() as conn:
            stored = dict(
                conn.execute(
                    text(
                        "SELECT l.name, count(a.id) FROM learners l LEFT JOIN attempts a "
                        "ON a.learner_id = l.id GROUP BY l.name"
                    )
                ).all()
            )
        mismatched = {n: (said[n], stored.get(n, 0)) for n in said if said[n] != stored.get(n, 0)}
        total = sum(said.values())
        print(
            f"30 members for {elapsed:.0f} s: {total} attempts ({total / elapsed:.0f}/s), "
            f"errors {len(failures)}, lost or duplicated: {len(mismatched)} members {mismatched}"
        )
        for f in failures[:5]:
            print("  ", f)
        # 2. The report over 100 members x 10,000 attempts.
        with bank.engine.begin() as conn:
            conn.execute(text("DELETE FROM last_results"))
            conn.execute(text("DELETE FROM attempt_days"))
            conn.execute(text("DELETE FROM attempts"))
            conn.execute(
                text(
                    "INSERT INTO learners (name, created_at, share_score) "
                    "SELECT 'x' || g, now(), false FROM generate_series(1, 100) g "
                    "ON CONFLICT (name) DO NOTHING"
                )
            )
            ids = [r[0] for r in conn.execute(text("SELECT id FROM learners WHERE name LIKE 'x%'"))]
            qrows = [(q.id, q.section_id, q.topic_slug) for q in questions]
            conn.execute(text("CREATE TEMP TABLE qs (n int, id text, section text, topic text)"))
            conn.execute(
                text("INSERT INTO qs VALUES (:n, :id, :s, :t)"),
                [{"n": i, "id": a, "s": b, "t": c} for i, (a, b, c) in enumerate(qrows)],
            )
            for lid in ids:
                conn.execute(
                    text(
                        "INSERT INTO attempts (learner_id, item_kind, item_id, section_id, "
                        "topic_slug, correct, score, answer, mode, created_at) "
                        "SELECT :l, 'question', qs.id, qs.section, qs.topic, random() < 0.7, 1, '1', "
                        "'quiz', now() - (g % 30) * interval '1 day' FROM generate_series(1, 10000) g "
                        "JOIN qs ON qs.n = (g * 7919 + :l) % :nq"
                    ),
                    {"l": lid, "nq": len(qrows)},
                )
                conn.execute(
                    text(
                        "INSERT INTO last_results (learner_id, item_kind, item_id, attempt_id, "
                        "correct, at) SELECT DISTINCT ON (item_id) learner_id, item_kind, item_id, "
                        "id, correct, created_at FROM attempts WHERE learner_id = :l "
                        "ORDER BY item_id, id DESC"
                    ),
                    {"l": lid},
                )
            # The rollup the app keeps in step with attempts (one row per learner, section,
            # topic and day), as the report reads it.
            conn.execute(
                text(
                    "INSERT INTO attempt_days (learner_id, item_kind, section_id, topic_slug, day, "
                    "attempts, correct) SELECT learner_id, item_kind, section_id, "
                    "coalesce(topic_slug, ''), to_char(created_at, 'YYYY-MM-DD'), count(*), "
                    "sum(correct::int) FROM attempts GROUP BY 1, 2, 3, 4, 5"
                )
            )
            conn.execute(text("ANALYZE"))
        with bank.engine.connect() as conn:
            n = conn.execute(text("SELECT count(*) FROM attempts")).scalar()
            times = []
            for _ in range(3):
                t = time.perf_counter()
                data = report(conn)
                times.append(time.perf_counter() - t)
        print(
            f"report over {len(ids)} members, {n} attempts: best {min(times):.2f} s, "
            f"worst {max(times):.2f} s; {len(data['items'])} items analysed, "
            f"{len(data['flagged_items'])} flagged"
        )
        bank.close()
    finally:
        stop_server(root)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0)
