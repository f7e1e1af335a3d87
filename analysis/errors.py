"""The project's errors: one class per failure class, each with its own exit code.

Every error carries a one-line message that says what was wrong and how to fix it. The command
line prints ``error: <message>`` and exits with ``exit_code``; a traceback is shown only with
``--debug``.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base class. ``exit_code`` is the process exit status the CLI uses for this class."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        # Keep messages to one line: the CLI prints them as they are.
        super().__init__(" ".join(str(message).split()))


class MissingSourceError(BriefingError):
    """A source file the work needs is not in data/raw, the exports folder, or fetchable."""

    exit_code = 3


class FormatError(BriefingError):
    """A file is unreadable, truncated, or not of the shape that was expected."""

    exit_code = 4


class ChecksumError(BriefingError):
    """A file's sha256 no longer matches the metadata record written when it was imported."""

    exit_code = 5


class UnknownNameError(BriefingError, KeyError):
    """A country, supplier or region name that cannot be resolved."""

    exit_code = 6

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0] if self.args else ""


class ParameterError(BriefingError, ValueError):
    """A parameter outside what the data or the command accepts (years, formats, widths)."""

    exit_code = 7


class NotebookError(BriefingError):
    """A notebook failed while executing; the message names the notebook and the cell's error."""

    exit_code = 8


class FetchError(BriefingError):
    """A download from a publisher failed, timed out, or returned something unusable."""

    exit_code = 9


class ValidationError(FormatError):
    """A tidy table broke one of its checks (columns, types, ranges, unique keys)."""

    exit_code = 10
