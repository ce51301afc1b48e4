"""The package's few named exceptions. Only the CLI turns them into exit codes."""

from __future__ import annotations

from pathlib import Path


class FactcheckError(Exception):
    """Base class: a problem the user can fix, with where and how."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class InputError(FactcheckError):
    """The story folder, an article, the catalogue or a resolution is wrong (exit 2)."""

    exit_code = 2


class OutputError(FactcheckError):
    """A report or file cannot be written where asked (exit 2, checked before work starts)."""

    exit_code = 2
