"""Safe YAML loading that remembers where every value came from.

Editors write the catalogue, the resolutions and article front matter by hand,
so errors must name the file and line. The loader is PyYAML's safe loader with
three refusals: duplicate keys (the second silently wins in plain PyYAML),
anchors and aliases (the "billion laughs" expansion), and any tag that would
build an object. It also bounds nesting depth, so a deeply nested document is
refused with its line instead of exhausting Python's recursion limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML plus the 1-based line of every key path ('facts', 0, 'unit')."""

    data: Any
    path: Path
    lines: dict[KeyPath, int] = field(default_factory=dict)
    first_line: int = 1  # line of the file where this YAML starts (front matter: 2)

    def line(self, keypath: KeyPath) -> int:
        """The line of `keypath`, or of its nearest ancestor that has one."""
        while keypath and keypath not in self.lines:
            keypath = keypath[:-1]
        return self.lines.get(keypath, self.first_line)

    def error(self, keypath: KeyPath, message: str, hint: str = "") -> InputError:
        return InputError(message, self.path, self.line(keypath), hint)

    def check_keys(self, keypath: KeyPath, entry: Any, allowed: set[str]) -> None:
        """Require a mapping at `keypath` whose keys are all in `allowed`."""
        if not isinstance(entry, dict):
            raise self.error(keypath, "expected a mapping of keys to values", "indent 'key: value' lines under '- '")
        for key in entry:
            if key not in allowed:
                raise self.error(keypath + (key,), f"unknown key '{key}'", f"use one of {', '.join(sorted(allowed))}")

    def enum(self, keypath: KeyPath, value: Any, enum: type[Any]) -> Any:
        """`value` as a member of `enum`, or an error listing the allowed values."""
        try:
            return enum(value)
        except ValueError:
            names = ", ".join(e.value for e in enum)
            raise self.error(keypath, f"'{keypath[-1]}' is {value!r}, not one of {names}", "pick one of those") from None


MAX_DEPTH = 64  # far deeper than any catalogue; composing is recursive, so bound it

_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class _Loader(yaml.SafeLoader):
    depth: int = 0  # current nesting, per loader instance

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed", event.start_mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# Characters without which YAML can hold no alias, tag or flow collection: such text is safe for
# libyaml's C composer (10x faster; article front matter is almost always this plain).
_PLAIN_UNSAFE = set("&*![{")
_C_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> Any:
    """Compose with the C composer when the text is plain and short, else (or on any error, so
    messages stay the same) with the checking Python one."""
    if _C_LOADER is not None and text.count("\n") < MAX_DEPTH and not _PLAIN_UNSAFE & set(text):
        try:
            return yaml.compose(text, Loader=_C_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


def load_package_data(text: str, path: Path) -> Any:
    """The package's own data files (the lexicon): a safe loader, libyaml's C one when present.

    No line numbers are kept: these files are ours, read on every check, and the line-numbering
    composer costs a third of a second on them.
    """
    loader = (_C_LOADER or yaml.SafeLoader)(text)  # both safe: plain data only, no object tags
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {str(exc).splitlines()[0]}", path) from None
    finally:
        loader.dispose()


def load_yaml(text: str, path: Path, first_line: int = 1) -> YamlDoc:
    """Parse `text` (the content of `path`) safely; raise InputError with file and line."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = (exc.problem or exc.context or "invalid YAML").splitlines()[0]
        raise InputError(f"malformed YAML: {problem}", path, line, "fix the syntax at that line") from None
    except yaml.reader.ReaderError as exc:
        # A control character (NUL, DEL...) or undecodable byte: PyYAML's own message spans lines.
        line = first_line + text.count("\n", 0, max(exc.position, 0))
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise InputError(f"malformed YAML: character {char} is not allowed in YAML", path, line,
                         "delete it or save the file as plain UTF-8 text") from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises the two above in practice
        raise InputError(f"malformed YAML: {str(exc).splitlines()[0]}", path, first_line) from None
    lines: dict[KeyPath, int] = {}
    constructor = yaml.SafeLoader("")  # one scalar constructor per file, not per value
    data = _convert(node, (), lines, path, first_line, constructor) if node is not None else None
    return YamlDoc(data=data, path=path, lines=lines, first_line=first_line)


def _convert(node: yaml.Node, keypath: KeyPath, lines: dict[KeyPath, int], path: Path, base: int,
             constructor: yaml.SafeLoader) -> Any:
    lineno = base + node.start_mark.line
    lines.setdefault(keypath, lineno)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
        # `!!python/object/apply:os.system [...]` and friends arrive as tagged collections.
        raise InputError(f"tag {node.tag} is not allowed", path, lineno, "write plain values only")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError("unsupported mapping key", path, base + key_node.start_mark.line,
                                 "keys must be plain words")
            key = str(key_node.value)
            if key in out:
                raise InputError(f"duplicate key '{key}'", path, base + key_node.start_mark.line,
                                 "remove one of the two entries")
            lines[keypath + (key,)] = base + key_node.start_mark.line
            out[key] = _convert(value_node, keypath + (key,), lines, path, base, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, keypath + (i,), lines, path, base, constructor) for i, item in enumerate(node.value)]
    if node.tag not in _SCALAR_TAGS:
        raise InputError(f"tag {node.tag} is not allowed", path, lineno, "write plain values only")
    try:
        return constructor.construct_object(node)
    except (ValueError, OverflowError, yaml.YAMLError):
        # The resolver says "timestamp" for 2026-13-45, but no such date exists.
        kind = {"timestamp": "date"}.get(node.tag.rsplit(":", 1)[-1], node.tag.rsplit(":", 1)[-1])
        raise InputError(f"'{node.value}' is not a valid {kind}", path, lineno,
                         "correct it, or quote it if it is meant as text") from None


def dump_yaml(data: Any) -> str:
    """Plain block YAML, keys in the given order, unicode kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
