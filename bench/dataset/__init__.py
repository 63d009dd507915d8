"""The synthetic network the feed benchmark runs on: ``python manage.py seed``.

One module per phase: ``people`` (accounts), ``graph`` (follows), ``content`` (posts, media,
hashtags, places), ``engagement`` (likes, comments, reposts), ``pool`` (the shared real
photos); ``clock`` makes the ids, ``sink`` writes the rows, ``run`` puts it together.
"""

from bench.dataset.config import PASSWORD, SCALES, Scale
from bench.dataset.run import DatasetExistsError, Summary, seed
from bench.dataset.tokens import bench_tokens

__all__ = ["PASSWORD", "SCALES", "DatasetExistsError", "Scale", "Summary", "bench_tokens", "seed"]
