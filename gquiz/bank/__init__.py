"""The question bank: content parsing, SQLAlchemy models, build and queries. Free of Textual."""
