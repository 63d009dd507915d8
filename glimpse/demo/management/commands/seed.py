"""Build the synthetic network the benchmarks run on (docs/dataset.md)."""

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from glimpse.demo.dataset import PASSWORD, SCALES, DatasetExistsError, seed


class Command(BaseCommand):
    help = "Fill the database with a synthetic network (accounts, follows, posts, likes, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare --scale, --seed and --reset."""
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--reset", action="store_true", help="empty the tables first (all their data goes)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the data set and print rows per table and seconds per phase."""
        try:
            summary = seed(
                scale=options["scale"],
                seed=options["seed"],
                reset=options["reset"],
                # The raw stream: the bar redraws its line in place.
                stream=cast(TextIO, self.stderr._out),
            )
        except DatasetExistsError as error:
            raise CommandError(str(error)) from error
        width = max(map(len, summary.rows), default=0)
        for table, count in summary.rows.items():
            self.stdout.write(f"{table:<{width}}  {count:>12,}")
        for phase, seconds in summary.phases.items():
            self.stdout.write(f"{phase:<{width}}  {seconds:>11.1f}s")
        cpu = f"{summary.cpu_seconds:.1f}s CPU here"
        if summary.database_cpu_seconds is not None:
            cpu += f", {summary.database_cpu_seconds:.1f}s CPU in the database server"
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the {summary.scale} network in {summary.seconds:.1f}s ({cpu}). "
                f"Every account's password is {PASSWORD!r}."
            )
        )
