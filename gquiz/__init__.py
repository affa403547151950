"""gquiz: a G検定 study and quiz application for the terminal."""

__version__ = "0.1.0"
