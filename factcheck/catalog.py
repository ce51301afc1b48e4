"""Load and validate a story's catalogue (`claims/facts.yaml`) and verdicts (`claims/resolutions.yaml`)."""

from __future__ import annotations

import ast
import hashlib
import re
import stat
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import InputError
from .files import is_inside, outside_target
from .lexicon import load_lexicon
from .extract import vocab
from .model import Catalog, EntityValue, Fact, FigureNote, Kind, Modality, Period, Relation, Resolution
from .yamlfile import YamlDoc, load_yaml

FACT_KEYS = {"id", "label", "kind", "unit", "period", "cues", "modality", "tolerance", "values",
             "exclusive", "compatible", "min_score", "measure", "subject", "time", "scope"}
VALUE_KEYS = {"id", "label", "aliases"}
RELATION_KEYS = {"id", "fact", "equals"}
RESOLUTION_KEYS = {"finding", "verdict", "note", "by", "date"}
NOTE_KEYS = {"source", "figure", "occurrence", "note"}
VERDICTS = ("source-error", "rounding", "different-scope", "different-fact", "confirmed", "retracted",
            "accepted")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FUNCTIONS = {"months"}
CLAIMS_MAX_BYTES = 5_000_000
MAX_EXPRESSION, MAX_OPERANDS = 500, 50  # a relation is a line of arithmetic, not a program


def load_catalog(story: Path) -> Catalog:
    """The catalogue of `story` (empty without `claims/facts.yaml`), with the editor's figure notes."""
    path = story / "claims" / "facts.yaml"
    notes = load_figure_notes(story)
    if not path.exists() and not path.is_symlink():
        return Catalog(path=None, digest="empty", notes=notes)
    text = read_claims_file(path)
    doc = load_yaml(text, path)
    return replace(parse_catalog(doc, hashlib.sha256(text.encode()).hexdigest()), notes=notes)


def load_figure_notes(story: Path) -> tuple[FigureNote, ...]:
    """`claims/frames.yaml`: figures marked as context, and frames named by the editor."""
    path = story / "claims" / "frames.yaml"
    if not path.exists() and not path.is_symlink():
        return ()
    return parse_figure_notes(load_yaml(read_claims_file(path), path))


def parse_figure_notes(doc: YamlDoc) -> tuple[FigureNote, ...]:
    data = doc.data
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise doc.error((), "frames.yaml must be a mapping with 'context' and/or 'frames'",
                        "start with 'context:' or 'frames:'")
    doc.check_keys((), data, {"context", "frames"})
    out = []
    for section in ("context", "frames"):
        for i, entry in enumerate(_list(doc, (section,), data.get(section))):
            kp: tuple[str | int, ...] = (section, i)
            keys = NOTE_KEYS | ({"subject", "measure"} if section == "frames" else set())
            doc.check_keys(kp, entry, keys)
            occurrence = entry.get("occurrence", 0)
            if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 0:
                raise doc.error(kp + ("occurrence",), "occurrence must be a whole number from 1",
                                "1 is the first time the article writes the figure")
            note = FigureNote(
                source_id=_str(doc, kp + ("source",), entry.get("source")),
                figure=_str(doc, kp + ("figure",), entry.get("figure")),
                occurrence=occurrence, context=section == "context",
                subject=_str(doc, kp + ("subject",), entry.get("subject"), required=False),
                measure=_str(doc, kp + ("measure",), entry.get("measure"), required=False),
                note=_str(doc, kp + ("note",), entry.get("note"), required=False), line=doc.line(kp))
            if section == "frames" and not (note.subject or note.measure):
                raise doc.error(kp, "a frame entry names neither subject nor measure",
                                "add 'subject: ...' or 'measure: ...', or move it under 'context:'")
            out.append(note)
    return tuple(out)


def read_claims_file(path: Path) -> str:
    """A claims file's text, as written (line endings kept): a regular UTF-8 file inside the story, under a cap."""
    story = path.parent.parent
    if not is_inside(path, story):
        raise InputError(f"symbolic link to a file outside the story ({outside_target(path)})", path,
                         hint="copy the file into claims/ instead of linking it")
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path, hint="check the path") from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO would hang the read, /dev/zero would never end
        raise InputError("not a regular file (a device, pipe or socket)", path, hint="replace it with a YAML file")
    if info.st_size > CLAIMS_MAX_BYTES:
        raise InputError(f"file is {info.st_size:,} bytes, over the limit of {CLAIMS_MAX_BYTES:,}", path,
                         hint="a catalogue or verdict file this large is not hand-written; check the file")
    try:
        with path.open("rb") as fh:
            raw = fh.read(CLAIMS_MAX_BYTES + 1)  # bounded: the file may have grown since stat
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path) from None
    if len(raw) > CLAIMS_MAX_BYTES:
        raise InputError(f"file is over the limit of {CLAIMS_MAX_BYTES:,} bytes", path,
                         hint="a catalogue or verdict file this large is not hand-written; check the file")
    try:
        return raw.decode("utf-8-sig")  # a BOM from a Windows editor is harmless
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path, hint="save the file as UTF-8") from None





def parse_catalog(doc: YamlDoc, digest: str = "") -> Catalog:
    data = doc.data
    if data is None:
        return Catalog(path=doc.path, digest=digest)
    if not isinstance(data, dict):
        raise doc.error((), "the catalogue must be a mapping with 'facts' and 'relations'",
                        "start the file with 'facts:'")
    doc.check_keys((), data, {"facts", "relations"})
    facts = tuple(_fact(doc, i, entry) for i, entry in enumerate(_list(doc, ("facts",), data.get("facts"))))
    seen: dict[str, int] = {}
    for i, fact in enumerate(facts):
        if fact.id in seen:
            raise doc.error(("facts", i, "id"), f"duplicate fact id '{fact.id}'", "give each fact its own id")
        seen[fact.id] = i
    relations = tuple(_relation(doc, i, entry, seen)
                      for i, entry in enumerate(_list(doc, ("relations",), data.get("relations"))))
    return Catalog(facts=facts, relations=relations, path=doc.path, digest=digest)


def _list(doc: YamlDoc, keypath: tuple[str | int, ...], value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise doc.error(keypath, f"'{keypath[-1]}' must be a list", "write one '- ' entry per item")
    return value


def _str(doc: YamlDoc, keypath: tuple[str | int, ...], value: Any, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        hint = ("quote it: YAML reads yes, no, on and off as true or false" if isinstance(value, bool)
                else "quote it if it looks like a number")
        raise doc.error(keypath, f"'{keypath[-1]}' must be non-empty text", hint)
    return value.strip()


def _fact(doc: YamlDoc, i: int, entry: Any) -> Fact:
    kp: tuple[str | int, ...] = ("facts", i)
    doc.check_keys(kp, entry, FACT_KEYS)
    fact_id = _str(doc, kp + ("id",), entry.get("id"))
    if not ID_RE.match(fact_id):
        raise doc.error(kp + ("id",), f"fact id '{fact_id}' is not a lower-case slug", "use a-z, 0-9 and '_', starting with a letter (ids are names in relations)")
    kind = doc.enum(kp + ("kind",), entry.get("kind"), Kind)
    period = doc.enum(kp + ("period",), entry.get("period", "none"), Period)
    modality = entry.get("modality")
    cues = entry.get("cues") or []
    if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
        raise doc.error(kp + ("cues",), "'cues' must be a list of words or phrases", "write [pay, payment]")
    tolerance = entry.get("tolerance", "0.005")
    try:
        tol = Decimal(str(tolerance))
        if not 0 <= tol < 1:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise doc.error(kp + ("tolerance",), f"tolerance must be a fraction between 0 and 1, not {tolerance!r}",
                        "write 0.01 for 1 %") from None
    min_score = entry.get("min_score", 90)
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)) or not 0 < min_score <= 100:
        raise doc.error(kp + ("min_score",), "min_score must be a number from 1 to 100", "90 is the default; lower it to let variants match")
    exclusive = entry.get("exclusive", False)
    if not isinstance(exclusive, bool):
        raise doc.error(kp + ("exclusive",), "exclusive must be true or false")
    values = tuple(_value(doc, kp + ("values", j), v)
                   for j, v in enumerate(_list(doc, kp + ("values",), entry.get("values"))))
    if kind == Kind.ENTITY and not values:
        raise doc.error(kp, f"entity fact '{fact_id}' needs 'values' with aliases",
                        "list each value with the phrases that name it")
    if kind != Kind.ENTITY and values:
        raise doc.error(kp + ("values",), "'values' is only for kind: entity", "remove it or change the kind")
    value_ids = {v.id for v in values}
    compatible = []
    for j, group in enumerate(_list(doc, kp + ("compatible",), entry.get("compatible"))):
        if not isinstance(group, list) or not all(isinstance(g, str) and g in value_ids for g in group):
            raise doc.error(kp + ("compatible", j), "each compatible group must list value ids of this fact",
                            f"known values: {', '.join(sorted(value_ids))}")
        compatible.append(tuple(sorted(group)))
    return Fact(
        id=fact_id,
        label=_str(doc, kp + ("label",), entry.get("label", fact_id)),
        kind=kind,
        # Counts are keyed by the singular noun the extractor writes: "bikes" means bike.
        unit=vocab.singular(unit) if kind == Kind.COUNT and (unit := _str(doc, kp + ("unit",), entry.get("unit"),
                                                                            required=False)) else
        _str(doc, kp + ("unit",), entry.get("unit"), required=False),
        period=period,
        cues=tuple(c.strip().lower() for c in cues),
        modality=None if modality in (None, "any") else doc.enum(kp + ("modality",), modality, Modality),
        tolerance=tol,
        values=values,
        exclusive=exclusive,
        compatible=tuple(compatible),
        min_score=float(min_score),
        line=doc.line(kp),
        **_frame_keys(doc, kp, entry, kind),
    )


def _frame_keys(doc: YamlDoc, kp: tuple[str | int, ...], entry: Any, kind: Kind) -> dict[str, Any]:
    """`measure`, `subject`, `time`, `scope`: a fact that takes figures by their frame, not by cue words."""
    measure = _str(doc, kp + ("measure",), entry.get("measure"), required=False).lower()
    out: dict[str, Any] = {}
    for key in ("subject", "time", "scope"):
        value = _str(doc, kp + (key,), entry.get(key), required=False)
        if value and not measure:
            raise doc.error(kp + (key,), f"'{key}' applies only to a fact with a 'measure'",
                            "add 'measure: ...' (as 'factcheck extract' shows it) or remove it")
        out[key] = value.lower() if key != "scope" else value
    if measure:
        if kind == Kind.ENTITY:
            raise doc.error(kp + ("measure",), "'measure' is for figures, not entity facts", "remove it")
        known = load_lexicon().measure(measure.removesuffix(" change"))
        out.update(measure=measure, varies=bool(known and known.varies), pairwise=bool(known and known.pairwise),
                   revised=bool(known and known.revised))
    return out


def _value(doc: YamlDoc, kp: tuple[str | int, ...], entry: Any) -> EntityValue:
    doc.check_keys(kp, entry, VALUE_KEYS)
    value_id = _str(doc, kp + ("id",), entry.get("id"))
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise doc.error(kp + ("aliases",), "'aliases' must be a non-empty list of phrases",
                        "write the phrases articles use for this value")
    return EntityValue(id=value_id, label=_str(doc, kp + ("label",), entry.get("label", value_id)),
                       aliases=tuple(a.strip() for a in aliases))


def _relation(doc: YamlDoc, i: int, entry: Any, facts: dict[str, int]) -> Relation:
    kp: tuple[str | int, ...] = ("relations", i)
    doc.check_keys(kp, entry, RELATION_KEYS)
    fact = _str(doc, kp + ("fact",), entry.get("fact"))
    if fact not in facts:
        raise doc.error(kp + ("fact",), f"relation names unknown fact '{fact}'", "use a fact id from 'facts'")
    expression = _str(doc, kp + ("equals",), entry.get("equals"))
    try:
        names = expression_names(expression)
    except ValueError as exc:
        raise doc.error(kp + ("equals",), f"cannot read expression: {exc}",
                        "use fact ids, numbers, + - * / and months(start, end)") from None
    for name in names:
        if name not in facts:
            raise doc.error(kp + ("equals",), f"expression names unknown fact '{name}'", "use a fact id from 'facts'")
    return Relation(id=str(entry.get("id") or f"{fact}-relation"), fact=fact, expression=expression,
                    line=doc.line(kp))


def parse_expression(expression: str) -> ast.expr:
    """Parse a relation's arithmetic, allowing only names, numbers, + - * / and months()."""
    if len(expression) > MAX_EXPRESSION or expression.count("(") > MAX_OPERANDS:
        raise ValueError(f"the expression is longer than {MAX_EXPRESSION} characters; split it into relations")
    try:
        tree = ast.parse(expression, mode="eval").body
    except (SyntaxError, RecursionError, MemoryError):
        raise ValueError(f"'{expression[:60]}' is not arithmetic") from None
    operands = sum(isinstance(n, (ast.Name, ast.Constant)) for n in ast.walk(tree))
    if operands > MAX_OPERANDS:
        raise ValueError(f"the expression has {operands} operands, over {MAX_OPERANDS}; split it into relations")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise ValueError("the only function is months(start, end)")
        elif not isinstance(node, (ast.BinOp, ast.Name, ast.Constant, ast.Load, ast.Add, ast.Sub,
                                   ast.Mult, ast.Div)):
            # Operators unparse to '', so name them by their node type ('Pow', 'Compare').
            raise ValueError(f"'{ast.unparse(node) or type(node).__name__}' is not allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ValueError("constants must be numbers")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant) \
                and node.right.value == 0:
            raise ValueError("division by zero")
    return tree


def expression_names(expression: str) -> list[str]:
    tree = parse_expression(expression)
    return sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS})


def load_resolutions(story: Path) -> tuple[Resolution, ...]:
    """The editors' verdicts, or none when `claims/resolutions.yaml` does not exist."""
    path = story / "claims" / "resolutions.yaml"
    if not path.exists() and not path.is_symlink():
        return ()
    doc = load_yaml(read_claims_file(path), path)
    return parse_resolutions(doc)


def parse_resolutions(doc: YamlDoc) -> tuple[Resolution, ...]:
    data = doc.data
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise doc.error((), "resolutions.yaml must be a mapping with 'resolutions'", "start with 'resolutions:'")
    doc.check_keys((), data, {"resolutions"})
    out = []
    seen: set[str] = set()
    for i, entry in enumerate(_list(doc, ("resolutions",), data.get("resolutions"))):
        kp: tuple[str | int, ...] = ("resolutions", i)
        doc.check_keys(kp, entry, RESOLUTION_KEYS)
        finding = _str(doc, kp + ("finding",), entry.get("finding"))
        if finding in seen:
            raise doc.error(kp + ("finding",), f"finding '{finding}' is resolved twice", "keep one entry")
        seen.add(finding)
        verdict = _str(doc, kp + ("verdict",), entry.get("verdict"))
        if verdict not in VERDICTS:
            raise doc.error(kp + ("verdict",), f"unknown verdict '{verdict}'", f"use one of {', '.join(VERDICTS)}")
        when = entry.get("date")
        out.append(Resolution(
            finding_id=finding,
            verdict=verdict,
            note=_str(doc, kp + ("note",), entry.get("note"), required=False),
            by=_str(doc, kp + ("by",), entry.get("by"), required=False),
            when="" if when is None else str(when),
            line=doc.line(kp),
        ))
    return tuple(out)
