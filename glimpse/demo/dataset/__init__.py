"""The synthetic network the benchmarks run on, and anyone trying volumes: ``manage.py seed``.

One module per phase: ``people`` (accounts), ``graph`` (follows), ``content`` (posts, media,
hashtags, places), ``engagement`` (likes, comments, reposts), ``pool`` (the shared real
photos); ``clock`` makes the ids, ``sink`` writes the rows, ``run`` puts it together.
"""

from glimpse.demo.dataset.config import PASSWORD, SCALES, Scale
from glimpse.demo.dataset.run import DatasetExistsError, Summary, seed

__all__ = ["PASSWORD", "SCALES", "DatasetExistsError", "Scale", "Summary", "seed"]
