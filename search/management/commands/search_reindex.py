"""``manage.py search_reindex``: rebuild the whole search index from the database.

Every live guide and notice and every catalog item is turned into documents and handed to the
engine's ``rebuild``, which swaps the new index in at the end (searches keep answering from the
old one meanwhile). Progress goes to stderr: a bar updated in place on a terminal, a line per
10% otherwise; the summary goes to stdout. ``--quiet`` prints only errors.
"""

import time

from django.core.management.base import BaseCommand, CommandError

BAR_WIDTH = 30
TTY_INTERVAL = 0.1  # seconds between in-place redraws


def _plain(text):
    return text  # progress is not an error: no red on a terminal's stderr


class Progress:
    """A text progress bar: ``[#####-----] 1234/2487 docs 3100/s``.

    ``update(done)`` takes the number of documents written so far. On a terminal the bar is
    redrawn in place (at most every ``TTY_INTERVAL`` seconds); elsewhere (logs, CI) a line is
    printed each time another 10% is done.
    """

    def __init__(self, stream, total, tty, clock=time.monotonic):
        self.stream = stream
        self.total = total or 0
        self.tty = tty
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.last_draw = None
        self.last_decile = -1
        self.printed = None

    def line(self):
        elapsed = max(self.clock() - self.started, 1e-6)
        rate = self.done / elapsed
        if self.total:
            filled = min(BAR_WIDTH, BAR_WIDTH * self.done // self.total)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            return f"[{bar}] {self.done}/{self.total} docs {rate:.0f}/s"
        return f"{self.done} docs {rate:.0f}/s"

    def update(self, done):
        self.done = int(done)
        if self.tty:
            now = self.clock()
            if self.last_draw is None or now - self.last_draw >= TTY_INTERVAL:
                self.last_draw = now
                self.stream.write("\r" + self.line(), style_func=_plain, ending="")
                self.stream.flush()
            return
        decile = 10 * self.done // self.total if self.total else 0
        if decile > self.last_decile:
            self.last_decile = decile
            self._print()

    def _print(self):
        self.printed = self.done
        self.stream.write(self.line(), style_func=_plain)

    def finish(self):
        if self.tty:
            self.stream.write("\r" + self.line(), style_func=_plain)
        elif self.printed != self.done:
            self._print()
        self.stream.flush()


class Command(BaseCommand):
    help = "Rebuild the search index from every live guide and notice and every catalog item."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print nothing but errors (no progress, no summary).",
        )

    def handle(self, *args, quiet=False, **options):
        from search.backends import get_backend
        from search.documents import count_all_documents, iter_all_documents

        backend = get_backend()
        total = count_all_documents()
        stream = self.stderr
        isatty = getattr(stream, "isatty", None)
        progress = None if quiet else Progress(stream, total, tty=bool(isatty and isatty()))
        started = time.monotonic()
        try:
            written = backend.rebuild(
                iter_all_documents(),
                total=total,
                progress=progress.update if progress else None,
            )
        except Exception as exc:
            if progress and progress.tty:
                stream.write("")
            raise CommandError(f"Rebuilding the search index failed: {exc}") from exc
        if progress:
            progress.done = written if written is not None else progress.done
            progress.finish()
        elapsed = time.monotonic() - started
        if not quiet:
            count = backend.count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Indexed {written} of {total} documents in {elapsed:.1f} s "
                    f"with the {backend.name} engine; the index now holds {count}."
                )
            )
