"""A study group on a shared PostgreSQL database: PostgreSQL's own roles and row-level security.

gquiz runs no server of its own. The organiser's role owns the tables (it ran the migrations
and builds the bank); each member logs in with a role of their own, which is a member of the
group role `gquiz_member`. Row-level security on every table that holds a learner's data lets
a member's role see and change only the rows of the learner whose name is its role name
(`current_user`): the database refuses the rest, whatever SQL the member sends. Content tables
are read-only to members, so only the organiser ever rebuilds the shared bank.

The organiser's report reads aggregates through views owned by the organiser; members have
no access to them, and item statistics are only reported for questions answered by at least
`MIN_MEMBERS` members.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

MEMBER_ROLE = "gquiz_member"
MIN_MEMBERS = 3
# Tables holding one learner's record (learner_id column), and the learners table itself.
HISTORY_TABLES = ("attempts", "review_cards", "exams", "attempt_days", "last_results")
CONTENT_TABLES = (
    "meta",
    "sections",
    "topics",
    "questions",
    "choices",
    "problem_families",
    "alembic_version",
    "search_docs",
    "search_synonyms",
    "group_exams",
)
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class GroupError(Exception):
    """A group command cannot be carried out; str() is one Japanese sentence."""


def check_name(name: str) -> str:
    """A member name that is safe to splice into DDL as a quoted role name (DDL takes no bind
    parameters); raises GroupError, one Japanese sentence, otherwise. Returns the name."""
    if not _NAME.match(name) or name.startswith("pg_") or name == MEMBER_ROLE:
        raise GroupError(
            f"メンバー名「{name}」は使えません (英小文字で始まる英小文字・数字・_ の 2〜31 文字)。"
        )
    return name


def _q(name: str) -> str:
    return '"' + check_name(name) + '"'


def require_postgres(engine: Engine) -> None:
    """Study groups rely on PostgreSQL roles and row-level security; raises GroupError, one Japanese
    sentence, for any other database."""
    if engine.dialect.name != "postgresql":
        raise GroupError("勉強会 (gquiz group) は PostgreSQL のデータベースでだけ使えます。")


def enable_security(conn: Connection) -> None:
    """The group role, its grants, and a row-level policy on every learner table (idempotent)."""
    exists = conn.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": MEMBER_ROLE}
    ).first()
    if not exists:
        conn.execute(text(f"CREATE ROLE {MEMBER_ROLE} NOLOGIN"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {MEMBER_ROLE}"))
    for table in CONTENT_TABLES:
        conn.execute(text(f"GRANT SELECT ON {table} TO {MEMBER_ROLE}"))
    for table in (*HISTORY_TABLES, "learners"):
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {MEMBER_ROLE}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {MEMBER_ROLE}"))
    # The learner a member's role stands for. SECURITY DEFINER with a fixed search_path: it only
    # reads the id of the row named like the calling role, nothing else.
    conn.execute(
        text(
            "CREATE OR REPLACE FUNCTION gquiz_my_learner() RETURNS integer LANGUAGE sql STABLE "
            "SECURITY DEFINER SET search_path = public AS "
            "$$ SELECT id FROM learners WHERE name = session_user $$"
        )
    )
    conn.execute(text("REVOKE ALL ON FUNCTION gquiz_my_learner() FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION gquiz_my_learner() TO {MEMBER_ROLE}"))
    conn.execute(text("ALTER TABLE learners ENABLE ROW LEVEL SECURITY"))
    conn.execute(text("DROP POLICY IF EXISTS gquiz_own ON learners"))
    conn.execute(
        text(
            f"CREATE POLICY gquiz_own ON learners TO {MEMBER_ROLE} "
            "USING (name = session_user) WITH CHECK (name = session_user)"
        )
    )
    for table in HISTORY_TABLES:
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"DROP POLICY IF EXISTS gquiz_own ON {table}"))
        conn.execute(
            text(
                f"CREATE POLICY gquiz_own ON {table} TO {MEMBER_ROLE} "
                "USING (learner_id = gquiz_my_learner()) "
                "WITH CHECK (learner_id = gquiz_my_learner())"
            )
        )
    _create_report_views(conn)


def _create_report_views(conn: Connection) -> None:
    """Aggregates for the organiser (members get no grant on them), read from the daily
    rollup (`attempt_days`, kept in step with attempts) rather than from every attempt."""
    for view in ("gquiz_member_scores", "gquiz_member_majors", "gquiz_member_topics"):
        conn.execute(text(f"DROP VIEW IF EXISTS {view}"))
    conn.execute(
        text(
            "CREATE VIEW gquiz_member_scores AS "
            "SELECT learner_id, sum(attempts) AS attempts, "
            "sum(correct)::float / nullif(sum(attempts), 0) AS accuracy, max(day) AS last_day "
            "FROM attempt_days WHERE item_kind = 'question' GROUP BY learner_id"
        )
    )
    conn.execute(
        text(
            "CREATE VIEW gquiz_member_majors AS "
            "SELECT learner_id, split_part(section_id, '.', 1) AS major, sum(attempts) AS attempts, "
            "sum(correct)::float / nullif(sum(attempts), 0) AS accuracy FROM attempt_days GROUP BY 1, 2"
        )
    )
    conn.execute(
        text(
            "CREATE VIEW gquiz_member_topics AS "
            "SELECT learner_id, topic_slug, sum(attempts) AS attempts, "
            "sum(correct)::float / nullif(sum(attempts), 0) AS accuracy FROM attempt_days "
            "WHERE topic_slug <> '' GROUP BY 1, 2"
        )
    )
    for view in ("gquiz_member_scores", "gquiz_member_majors", "gquiz_member_topics"):
        conn.execute(text(f"REVOKE ALL ON {view} FROM PUBLIC"))
    # Shared exams: the distribution of the group's results, computed by the owner's rights
    # but returning only aggregates, and nothing until MIN_MEMBERS members have submitted.
    conn.execute(
        text(
            "CREATE OR REPLACE FUNCTION gquiz_group_exam_scores(gid integer) "
            "RETURNS TABLE(members integer, median float, q1 float, q3 float) "
            "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
            "SELECT count(*)::int, "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY (state->>'score')::float), "
            "percentile_cont(0.25) WITHIN GROUP (ORDER BY (state->>'score')::float), "
            "percentile_cont(0.75) WITHIN GROUP (ORDER BY (state->>'score')::float) "
            "FROM exams WHERE group_exam_id = gid AND submitted_at IS NOT NULL "
            f"HAVING count(*) >= {MIN_MEMBERS} $$"
        )
    )
    conn.execute(
        text(
            "CREATE OR REPLACE FUNCTION gquiz_group_exam_majors(gid integer) "
            "RETURNS TABLE(major text, members integer, median float, q1 float, q3 float) "
            "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
            "WITH per AS (SELECT e.learner_id, split_part(a.section_id, '.', 1) AS major, "
            "avg(a.correct::int)::float AS share FROM attempts a JOIN exams e ON e.id = a.exam_id "
            "WHERE e.group_exam_id = gid AND e.submitted_at IS NOT NULL GROUP BY 1, 2) "
            "SELECT major, count(*)::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY share), "
            "percentile_cont(0.25) WITHIN GROUP (ORDER BY share), "
            "percentile_cont(0.75) WITHIN GROUP (ORDER BY share) FROM per GROUP BY major "
            f"HAVING count(*) >= {MIN_MEMBERS} ORDER BY split_part(major, 'S', 2)::int $$"
        )
    )
    conn.execute(
        text(
            "CREATE OR REPLACE FUNCTION gquiz_group_exam_leaderboard(gid integer) "
            "RETURNS TABLE(name text, score integer) "
            "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
            "SELECT l.name::text, (e.state->>'score')::int FROM exams e "
            "JOIN learners l ON l.id = e.learner_id "
            "WHERE e.group_exam_id = gid AND e.submitted_at IS NOT NULL AND l.share_score "
            "ORDER BY 2 DESC, 1 $$"
        )
    )
    for fn in (
        "gquiz_group_exam_scores",
        "gquiz_group_exam_majors",
        "gquiz_group_exam_leaderboard",
    ):
        conn.execute(text(f"REVOKE ALL ON FUNCTION {fn}(integer) FROM PUBLIC"))
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {fn}(integer) TO {MEMBER_ROLE}"))


@dataclass(frozen=True)
class Member:
    """A member just added: the generated (or given) password and the connection URL to hand to
    them; the password is shown only this once."""

    name: str
    password: str
    url: str


def add_member(engine: Engine, name: str, password: str | None = None) -> Member:
    """A login role for a member, in the group role; the member's connection URL."""
    require_postgres(engine)
    check_name(name)
    password = password or secrets.token_urlsafe(12)
    with engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first():
            raise GroupError(f"メンバー「{name}」はもういます (gquiz group remove で外せます)。")
        # DDL takes no bind parameters: the password goes in as a quoted literal.
        literal = "'" + password.replace("'", "''") + "'"
        conn.exec_driver_sql(
            f"CREATE ROLE {_q(name)} LOGIN IN ROLE {MEMBER_ROLE} PASSWORD {literal}"
        )
        dbname = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{dbname}" TO {_q(name)}'))
    url = make_url(str(engine.url)).set(username=name, password=password)
    return Member(name, password, url.render_as_string(hide_password=False))


def remove_member(engine: Engine, name: str, delete_data: bool) -> int:
    """Revoke the member's login; with `delete_data` their record goes too. Rows deleted."""
    require_postgres(engine)
    check_name(name)
    deleted = 0
    with engine.begin() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first():
            raise GroupError(f"メンバー「{name}」はいません。")
        if delete_data:
            lid = conn.execute(
                text("SELECT id FROM learners WHERE name = :n"), {"n": name}
            ).scalar()
            if lid is not None:
                for table in HISTORY_TABLES:
                    deleted += conn.execute(
                        text(f"DELETE FROM {table} WHERE learner_id = :l"), {"l": lid}
                    ).rowcount
                conn.execute(text("DELETE FROM learners WHERE id = :l"), {"l": lid})
        dbname = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f'REVOKE CONNECT ON DATABASE "{dbname}" FROM {_q(name)}'))
        conn.execute(text(f"REVOKE {MEMBER_ROLE} FROM {_q(name)}"))
        conn.execute(text(f"DROP ROLE {_q(name)}"))
    return deleted


def is_member_session(conn: Connection) -> bool:
    """Whether this connection is a member's (content read-only): then the app never builds."""
    if conn.dialect.name != "postgresql":
        return False
    can_write = conn.execute(
        text("SELECT has_table_privilege(current_user, 'questions', 'INSERT')")
    ).scalar()
    return not can_write
