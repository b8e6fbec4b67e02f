"""Command line of the report build: python -m analysis.publish makefile | check | run NAME | build | index."""

from __future__ import annotations

import sys

# jsonschema (imported by nbformat) imports rfc3987_syntax when it is installed, only to check
# "iri" string formats; nbformat, nbclient and nbconvert never ask for format checking, and
# building that package's Earley grammar costs about 2 s per process. The build skips it.
sys.modules.setdefault("rfc3987_syntax", None)

from analysis import paths  # noqa: E402
from analysis.paths import OutsideOutputs  # noqa: E402
from analysis.publish.config import ConfigError, load_config  # noqa: E402
from analysis.publish.execute import run_report, run_reports  # noqa: E402
from analysis.publish.index import build_index, check_regions  # noqa: E402
from analysis.publish.makerules import BATCHES, write_makefile  # noqa: E402


def main(argv: list[str]) -> None:
    """Command line: makefile | check | run NAME | build --jobs N --batch B | index; a bad configuration is
    one line, exit 2.

    build: run the reports make queued for a batch (build/stale-<batch>.txt).
    """
    try:
        match argv:
            case ["makefile"]:
                write_makefile()
            case ["check"]:
                check_regions(load_config())
            case ["run", name]:
                run_report(name)
            case ["build", "--jobs", jobs, "--batch", batch] if jobs.isdigit() and batch in BATCHES:
                build(int(jobs), batch)
            case ["index"]:
                build_index()
            case _:
                raise SystemExit(
                    "usage: python -m analysis.publish makefile | check | run NAME | "
                    f"build --jobs N --batch {'|'.join(BATCHES)} | index"
                )
    except (ConfigError, OutsideOutputs) as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def build(jobs: int, batch: str) -> None:
    """Run a batch's queued reports in one build process (exit 1 if one failed)."""
    queue = paths.stale_queue(batch)
    names = list(dict.fromkeys(queue.read_text(encoding="utf-8").split())) if queue.is_file() else []
    order = [e.name for e in load_config()]  # the order of reports.yml, whatever order make queued them in
    try:
        run_reports(sorted(names, key=lambda n: order.index(n) if n in order else len(order)), jobs)
    finally:
        queue.unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1:])
