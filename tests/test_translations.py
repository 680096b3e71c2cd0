"""The German catalogue is complete: every message is translated, and every string
marked for translation in the code and templates has made it into the catalogue.

When a test here fails after you added a string, run
`manage.py makemessages -l de --no-location --ignore=.venv --ignore=node_modules --ignore=tests`,
translate the new entries in locale/de/LC_MESSAGES/django.po and run `make messages`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"

# Gettext functions and the position of the msgid among their arguments.
GETTEXT_CALLS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
}

_LITERAL = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
# {% translate "..." %} / {% trans '...' %} and _("...") in filter arguments.
TEMPLATE_PATTERNS = [
    re.compile(r"\{%\s*(?:translate|trans)\s+" + _LITERAL),
    re.compile(r"\b_\(\s*" + _LITERAL + r"\s*\)"),
]
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]")


def forms(value: object) -> list[str]:
    """A message id or string as a list: one item, or one per plural form."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [str(v) if v is not None else "" for v in value]
    return [] if value is None else [str(value)]


def load_catalog() -> Catalog:
    with PO_FILE.open("rb") as f:
        return read_po(f)


def catalogue_ids(catalog: Catalog) -> set[str]:
    ids: set[str] = set()
    for message in catalog:
        if message.id:
            ids.add(forms(message.id)[0])
    return ids


def python_msgids(path: Path) -> set[str]:
    """Msgids of gettext calls whose msgid is a single string literal."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        index = GETTEXT_CALLS.get(name)
        if index is None or len(node.args) <= index:
            continue
        arg = node.args[index]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
            found.add(arg.value)
    return found


def template_msgids(path: Path) -> set[str]:
    found: set[str] = set()
    text = path.read_text(encoding="utf-8")
    for pattern in TEMPLATE_PATTERNS:
        for match in pattern.finditer(text):
            literal = match.group(1)[1:-1]
            # Django doubles "%" in template msgids (see django.utils.translation.template).
            found.add(literal.replace("%", "%%"))
    return found


def source_msgids() -> dict[str, set[str]]:
    """Every msgid found in the sources, with the files it occurs in."""
    where: dict[str, set[str]] = {}
    sources: list[tuple[Path, set[str]]] = []
    for path in sorted((ROOT / "bruecke").rglob("*.py")):
        sources.append((path, python_msgids(path)))
    for folder in (ROOT / "templates", ROOT / "bruecke"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt"} and path.is_file():
                sources.append((path, template_msgids(path)))
    for path, msgids in sources:
        for msgid in msgids:
            where.setdefault(msgid, set()).add(str(path.relative_to(ROOT)))
    return where


def test_catalogue_exists() -> None:
    assert PO_FILE.is_file(), f"{PO_FILE} is missing"


def test_every_message_is_translated_and_not_fuzzy() -> None:
    catalog = load_catalog()
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        msgid = forms(message.id)[0]
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        strings = forms(message.string)
        if message.pluralizable and len(strings) != catalog.num_plurals:
            problems.append(f"wrong number of plural forms: {msgid!r}")
        if not strings or not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, "German catalogue is incomplete:\n" + "\n".join(problems)


def test_placeholders_survive_translation() -> None:
    problems: list[str] = []
    for message in load_catalog():
        if not message.id:
            continue
        ids = forms(message.id)
        strings = forms(message.string)
        expected: set[str] = set()
        for msgid in ids:
            expected.update(PLACEHOLDER.findall(msgid))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != expected:
                problems.append(f"{ids[0]!r} -> {string!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_sources_are_scanned() -> None:
    """Guards the scanner itself: it must find strings we know are there."""
    found = source_msgids()
    assert "Sign in" in found
    assert "Case manager" in found
    assert "active,inactive" in found


def test_every_source_string_is_in_the_catalogue() -> None:
    known = catalogue_ids(load_catalog())
    missing = {msgid: files for msgid, files in source_msgids().items() if msgid not in known}
    assert not missing, (
        f"Strings in the code or templates are missing from {PO_FILE.name} "
        "(run makemessages and translate them):\n"
        + "\n".join(f"{msgid!r} ({', '.join(sorted(files))})" for msgid, files in sorted(missing.items()))
    )


_GETTEXT_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext)\(")


def _calls(source: str) -> list[tuple[str, ast.Call]]:
    """The gettext calls of Django's templatize output, each parsed on its own."""
    found = []
    for match in _GETTEXT_CALL.finditer(source):
        depth, quote, end = 1, "", match.end()
        while end < len(source) and depth:
            char = source[end]
            if quote:
                end += char == "\\"
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            else:
                depth += {"(": 1, ")": -1}.get(char, 0)
            end += 1
        try:
            node = ast.parse(match.group(1) + "(" + source[match.end() : end], mode="eval").body
        except SyntaxError:
            continue
        if isinstance(node, ast.Call):
            found.append((match.group(1), node))
    return found


def block_msgids(path: Path) -> set[str]:
    """Msgids of every translation tag of a template, `blocktranslate` included, as Django's
    makemessages sees them (templatize: trimmed text, placeholders as %(name)s)."""
    from django.utils.translation.template import templatize

    msgids = set()
    for name, call in _calls(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
        index = 1 if name.startswith(("pgettext", "npgettext")) else 0
        argument = call.args[index] if len(call.args) > index else None
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value:
            msgids.add(argument.value)
    return msgids


def test_every_template_block_is_in_the_catalogue() -> None:
    known = catalogue_ids(load_catalog())
    missing = {
        f"{path.relative_to(ROOT)}: {msgid!r}"
        for folder in (ROOT / "templates", ROOT / "bruecke")
        for path in sorted(folder.rglob("*.html"))
        for msgid in block_msgids(path)
        if msgid not in known
    }
    assert not missing, "Template texts missing from the catalogue:\n" + "\n".join(sorted(missing))
