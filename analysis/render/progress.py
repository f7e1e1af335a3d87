"""Progress lines on stderr, and one-line error texts.

Every stage of a build says what it did in one line, with its time and the time since the
start; ``verbose`` adds the timing of each stage. Errors that travel between processes (a
worker's failure, a notebook's exception) are cut to one line by :func:`one_line`.
"""

from __future__ import annotations

import re
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def one_line(text: object, limit: int = 300) -> str:
    """``text`` on one line, without terminal colour codes, cut at ``limit`` characters."""
    s = " ".join(ANSI.sub("", str(text)).split())
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"


class Progress:
    """One line per step on stderr, with the step's time and the time since the start."""

    def __init__(self, enabled: bool = True, verbose: bool = False) -> None:
        self.enabled = enabled
        self.verbose = enabled and verbose
        self.t0 = self.last = time.perf_counter()

    def step(self, message: str, since: float | None = None) -> None:
        now = time.perf_counter()
        took = now - (self.last if since is None else since)
        self.last = now
        if self.enabled:
            print(f"briefing: {message} ({took:.1f} s; {now - self.t0:.1f} s in all)", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        if self.enabled:
            print(f"briefing: {message}", file=sys.stderr, flush=True)

    def detail(self, message: str) -> None:
        """A stage timing, shown with ``verbose`` only."""
        if self.verbose:
            print(f"briefing:   {message}", file=sys.stderr, flush=True)

    def elapsed(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.t0
