"""The briefing's sentences, built from computed figures: one function per paragraph.

Each function takes the figures it states (small DataFrames from :mod:`analysis.transfers`,
numbers, names) and returns a :class:`Block`: the Markdown a notebook displays and the key
figures it states, or an empty block when there is nothing to say, so that a section appears
only when the data hold something for it. Every function handles zero, one, ties, missing years,
unchanged values, no supplier, and names that need an article ("the United States").

Conventions: names are SIPRI's canonical names on the way in and display names on the way out
(:func:`analysis.fmt.name`); shares are percent of the named region's or state's imports of
major arms in the named years; TIV is SIPRI's volume index in millions, never money; every
figure names its SIPRI release. Data-derived text is escaped for Markdown.

Modules: :mod:`~analysis.prose.core` (blocks, figures, standings), one per section:
:mod:`~analysis.prose.deal`, :mod:`~analysis.prose.context`, :mod:`~analysis.prose.region`.
Everything is re-exported here, so notebooks write ``prose.deliveries_block(...)``.
"""

from analysis import fmt  # noqa: F401 - notebooks use prose.fmt for table labels
from analysis.prose.context import *  # noqa: F403
from analysis.prose.core import *  # noqa: F403
from analysis.prose.deal import *  # noqa: F403
from analysis.prose.region import *  # noqa: F403
