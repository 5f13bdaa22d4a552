#!/usr/bin/env python3
"""i18n-check.py [DIR|FILE...]: messages that skip the catalogue.

Scans the C sources (cmd/ and lib/ by default) for the calls that carry
a message to the person at the shell and reports, as FILE:LINE, every
string literal in their message argument that is not inside _() or
Q_():

    cp_error(KIND, MSG, ...)        cp_error_wrap(MSG, ...)
    cp_yerr(DOC, NODE, MSG, ...)    usage_error(CTX, MSG, ...)
    warning(MSG, ...)

A literal that holds no words ("%s", "%s: %s") needs no translation and
is let through.  Exit 0 when there is nothing to report, 1 otherwise
(tests/t/t8100-i18n.sh runs it on the tree and on a planted example).
"""
import os
import re
import sys

# function name -> index of its message argument
CALLS = {"cp_error": 1, "cp_error_wrap": 0, "cp_yerr": 2, "usage_error": 1, "warning": 0}
CALL_RE = re.compile(r"(?<![\w.>])(" + "|".join(CALLS) + r")\s*\(")
WRAPPERS = re.compile(r"(?<![\w.>])(_|Q_)\s*\($")
CONV = re.compile(r"%[-+ #0-9.*']*(hh|h|ll|l|z|j|t|L)?[a-zA-Z%]")
ESC = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)")


def blank_comments(src):
    """The source with comments replaced by spaces (newlines kept)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def args_of(src, open_paren):
    """The arguments of the call whose '(' is at open_paren: [(start, text)]."""
    args, depth, i, start = [], 0, open_paren + 1, open_paren + 1
    while i < len(src):
        c = src[i]
        if c in "\"'":
            j = i + 1
            while j < len(src) and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append((start, src[start:i]))
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append((start, src[start:i]))
            start = i + 1
        i += 1
    return args


def bare_literals(arg):
    """(offset, literal text) of each string literal in arg outside _() and Q_()."""
    found, stack, i = [], [], 0
    while i < len(arg):
        c = arg[i]
        if c == "'":
            j = i + 1
            while j < len(arg) and arg[j] != "'":
                j += 2 if arg[j] == "\\" else 1
            i = j + 1
            continue
        if c == '"':
            j = i + 1
            while j < len(arg) and arg[j] != '"':
                j += 2 if arg[j] == "\\" else 1
            if not any(stack):
                found.append((i, arg[i + 1:j]))
            i = j + 1
            continue
        if c == "(":
            stack.append(bool(WRAPPERS.search(arg[:i + 1])))
        elif c == ")" and stack:
            stack.pop()
        i += 1
    return found


def has_words(lit):
    text = ESC.sub(" ", CONV.sub(" ", lit))
    return re.search(r"[A-Za-z]{2,}", text) is not None


def check(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        src = blank_comments(f.read())
    bad = []
    for m in CALL_RE.finditer(src):
        args = args_of(src, m.end() - 1)
        k = CALLS[m.group(1)]
        if len(args) <= k:
            continue
        start, arg = args[k]
        for off, lit in bare_literals(arg):
            if has_words(lit):
                line = src.count("\n", 0, start + off) + 1
                bad.append((line, m.group(1), lit))
    return bad


def sources(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(".c"):
                        yield os.path.join(root, name)
        else:
            yield p


def main(argv):
    paths = argv[1:] or ["cmd", "lib"]
    n = 0
    for path in sources(paths):
        for line, fn, lit in check(path):
            print('%s:%d: %s() message not in _(): "%s"' % (path, line, fn, lit))
            n += 1
    if n:
        print("%d message%s without _() (wrap them, then make pot and translate)"
              % (n, "" if n == 1 else "s"), file=sys.stderr)
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
