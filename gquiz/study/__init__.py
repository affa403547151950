"""Study logic: grading, quiz sessions, stats. Free of Textual (a test checks it)."""
