"""factcheck: reconcile the figures that several articles state about one story."""

__version__ = "0.1.0"


def main() -> None:
    """The console command: Ctrl-C and SIGTERM exit 130/143 from the first instant, then the click CLI.

    Importing the CLI takes tens of milliseconds; a signal then would otherwise end in a
    KeyboardInterrupt traceback and exit 1, the gate's code. Commands install their own
    handlers (cli.handle_errors), which remove half-written files before exiting.
    """
    import os
    import signal
    import sys

    def early(signum: int, frame: object) -> None:
        sys.stderr.write("interrupted\n")
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, early)
    signal.signal(signal.SIGTERM, early)
    from .cli import main as cli

    cli()
