"""``python -m helpers.build`` (the Makefile wraps it).

* ``book [--params FILE]``     the default edition, or the one a YAML file describes, then the HTML book
* ``chapter NAME -p k v``      change one chapter's parameters in the current edition, rebuild the book
* ``run NAME -p k v``          execute one chapter (cached) without building the HTML
* ``notebooks [--only ...]``   refresh the outputs committed in ``chapters/*.ipynb`` (default parameters)
* ``status``                   which chapters are cached for the current edition

Exit codes: 0 built; 2 bad input or environment (a parameter, a data file, a notebook, ``_toc.yml``, a
folder that cannot be written, a full disk), named in one line, found before any work where possible;
1 a chapter failed (its cell named), timed out or the HTML build failed; 130 stopped by a signal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from typing import Any

from helpers import registry
from helpers.build import cache, edition, execute, procs
from helpers.build.execute import DISK_ERRNOS, BuildError, ChapterFailed, log
from helpers.data import paths

NOT_STARTED, STOPPED = "build not started:", "build stopped:"
UNCHANGED = "The previous _build/html (if any) is unchanged."


def parse_params(pairs: list[list[str]] | None) -> dict[str, Any]:
    from helpers.book.params import parse_cli_value

    return {name: parse_cli_value(value) for name, value in pairs or []}


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    names = [c.name for c in registry.CHAPTERS if c.executed]
    ap = argparse.ArgumentParser(prog="python -m helpers.build", description="Build the report book.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--jobs", type=int, default=None, help="parallel chapters (default: number of cores)")
    common.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=None,
        help=f"time limit per chapter in seconds (default {execute.DEFAULT_TIMEOUT_S:g}, or ${execute.TIMEOUT_ENV})",
    )
    b = sub.add_parser("book", parents=[common], help="build the default edition (or --params FILE) and the HTML")
    b.add_argument("--params", metavar="FILE", help="edition: a YAML file of parameters for several chapters")
    for cmd, text in (
        ("chapter", "change one chapter's parameters in the current edition and rebuild the book"),
        ("run", "execute one chapter (cached) without building the HTML book"),
    ):
        c = sub.add_parser(cmd, parents=[common], help=text)
        c.add_argument("name", help=f"one of: {', '.join(names)}")
        c.add_argument(
            "-p",
            "--parameter",
            nargs=2,
            action="append",
            metavar=("NAME", "VALUE"),
            help="parameter value (YAML), e.g. -p country KOR -p peers '[JPN, USA]'",
        )
    n = sub.add_parser("notebooks", parents=[common], help="refresh outputs committed in chapters/*.ipynb")
    n.add_argument("--only", nargs="+", choices=names, help="only these chapters")
    sub.add_parser("status", help="show which chapters are cached for the current edition")
    return ap


@contextlib.contextmanager
def session(what: str) -> Iterator[procs.BuildLock]:
    """The checkout's lock; what a killed build left removed; a private temp folder for every child
    (kernels, Sphinx, libraries), removed at the end whatever happens."""
    lock = procs.BuildLock(paths.build_dir() / ".lock")
    lock.acquire(what, log)
    try:
        for done in cache.remove_leftovers():
            log(f"cleaned up after an earlier build that was killed: {done}")
        tmp = cache.tmp_root() / "tmpdir"
        tmp.mkdir(parents=True, exist_ok=True)
        os.environ["TMPDIR"] = str(tmp)
        tempfile.tempdir = None  # re-read from TMPDIR
        yield lock
    finally:
        with procs.signals_ignored():
            shutil.rmtree(paths.cache_dir() / "tmp", ignore_errors=True)
            lock.release()


def _one_line(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__


def _disk(exc: BaseException) -> OSError | None:
    return exc if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS else None


def main(argv: list[str] | None = None) -> int:
    os.environ["TZ"] = "UTC"  # nothing the build writes may depend on the machine's time zone
    time.tzset()
    procs.install_stop_handlers()
    args = _parser().parse_args(argv)

    from helpers.book.params import ParameterError
    from helpers.build.preflight import InputError
    from helpers.data.datastore import DataError

    bad_input: tuple[type[BaseException], ...] = (ParameterError, DataError, InputError, procs.CannotWrite)
    from helpers.book import params

    edition_error = getattr(params, "EditionError", None)  # being added with params.load_edition
    if isinstance(edition_error, type):
        bad_input += (edition_error,)
    started = False
    try:
        with session(f"`{' '.join(['helpers.build', *(argv if argv is not None else sys.argv[1:])])}`") as lock:
            started = True
            return _run(args, lock)
    except bad_input as exc:
        log(f"{NOT_STARTED} {_one_line(exc)}")
        return 2
    except ChapterFailed as exc:
        log(f"{STOPPED} {_one_line(exc)}\n{UNCHANGED}")
        return 2 if exc.kind == "disk" else 1
    except BuildError as exc:
        log(f"{STOPPED if started else NOT_STARTED} {_one_line(exc)}\n{UNCHANGED}")
        return 1
    except KeyboardInterrupt:
        log(
            f"build interrupted by {procs.stop_reason()}; {UNCHANGED[0].lower() + UNCHANGED[1:-1]}, "
            "no partial cache entry kept."
        )
        return 130
    except OSError as exc:
        if _disk(exc) is None:
            return _internal(exc)
        log(
            f"{STOPPED if started else NOT_STARTED} cannot write {exc.filename or 'a file'}: {exc.strerror}\n{UNCHANGED}"
        )
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in a file
        return _internal(exc)


def _internal(exc: BaseException) -> int:
    report = paths.build_dir() / "last-error.log"
    try:
        report.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = f"; traceback in {report}"
    except OSError:
        where = ""
        traceback.print_exception(exc)
    log(f"build failed (internal error): {type(exc).__name__}: {_one_line(exc)}{where}")
    return 1


def _run(args: argparse.Namespace, lock: procs.BuildLock) -> int:
    from helpers.book.params import validate
    from helpers.build import pipeline, preflight

    if getattr(args, "name", None) is not None and args.name not in preflight.executed_chapters():
        validate(args.name)  # raises ParameterError naming the chapter and listing the chapters

    opts = {"timeout": args.timeout, "lock_fd": lock.fd} if hasattr(args, "timeout") else {}
    if args.cmd == "status":
        ed = edition.current()
        log(edition.describe(ed))
        for j in pipeline.prepare(ed["chapters"]):
            log(f"{j.chapter:20s} key {j.key}  {'cached' if cache.usable(j) else 'stale'}")
        return 0
    if args.cmd == "notebooks":
        written = pipeline.refresh_notebooks(args.jobs, args.only, **opts)
        log(f"refreshed outputs of: {', '.join(written) or 'none (already current)'}")
        return 0
    if args.cmd == "run":
        meta, job = pipeline.run_chapter(args.name, parse_params(args.parameter), **opts)
        log(
            f"{args.name}: {'cached' if meta.get('cached') else 'executed'}; notebook "
            f"{paths.build_dir() / 'executed' / (args.name + '.ipynb')}"
        )
        return 0
    if args.cmd == "chapter":
        ed = edition.with_chapter(edition.current(), args.name, parse_params(args.parameter))
    elif args.params:
        ed = edition.from_file(args.params)
    else:
        ed = edition.default()
    summary = pipeline.build_book(ed, workers=args.jobs, **opts)
    ran = [c for c, m in summary["chapters"].items() if not m.get("cached")]
    html_note = "; HTML up to date (no input changed)" if summary.get("html") == "up to date" else ""
    log(f"built the {edition.describe(summary['edition'])}")
    log(f"executed: {', '.join(ran) or 'none (all cached)'}{html_note}; total {summary['total_s']:.1f} s")
    if args.cmd == "chapter":
        log(f"executed notebook: {paths.build_dir() / 'executed' / (args.name + '.ipynb')}")
    print(summary["index"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
