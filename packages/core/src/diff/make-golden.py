# Regenerate difflib-golden.json: /usr/bin/python3 make-golden.py > difflib-golden.json
# Each case is what Python lazyscribe's get_version_diff returns for two file texts:
# "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines())), the texts read
# with universal newlines (as fsspec's text mode does).
import difflib, io, json, random

def read_text(s):
    return io.TextIOWrapper(io.BytesIO(s.encode("utf-8")), encoding="utf-8").read()

def case(a, b):
    out = "\n".join(difflib.unified_diff(read_text(a).splitlines(), read_text(b).splitlines()))
    return {"a": a, "b": b, "diff": out}

rng = random.Random(11)
cases = [
    case("", ""),
    case("a\n", "a\n"),
    case("a\n", "b\n"),
    case("", "x\n"),
    case("x\n", ""),
    case("[\n    0,\n    1,\n    2\n]", "[\n    0,\n    1,\n    2,\n    3\n]"),
    case("a\r\nb\r\nc", "a\nb\nd\n"),
    case("a\rb\rc\r", "a\nB\nc\n"),
    case("one\x0btwo\x0cthree\x1cfour\u2028five\x85six\n", "one\ntwo\nthree\nfour\nfive\nsix\n"),
    case("\n\n\n", "\n\n"),
    case("no newline at end", "no newline at end\n"),
    case("\u00e9t\u00e9\n\U0001F600\n", "ete\n\U0001F600\n"),
]
alphabet = ["a", "b", "c", "d", "", "{", "}", "    1,", "x" * 3]
for size in [5, 12, 40, 120, 250, 400]:
    for _ in range(4):
        a = [rng.choice(alphabet) for _ in range(size)]
        b = list(a)
        for _ in range(rng.randint(1, max(1, size // 8))):
            op = rng.random()
            pos = rng.randrange(len(b) + 1)
            if op < 0.4:
                b.insert(pos, rng.choice(alphabet + ["new%d" % pos]))
            elif op < 0.7 and b:
                del b[min(pos, len(b) - 1)]
            elif b:
                b[min(pos, len(b) - 1)] = "changed%d" % pos
        cases.append(case("\n".join(a) + ("\n" if rng.random() < 0.5 else ""), "\n".join(b) + "\n"))
# Popular lines (autojunk) in 200+ line files.
a = ["    0,"] * 150 + ["line %d" % i for i in range(100)]
b = list(a); b[10] = "    1,"; b[200] = "changed"; b.insert(120, "inserted")
cases.append(case("\n".join(a), "\n".join(b)))
print(json.dumps(cases, indent=1))
