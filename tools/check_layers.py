"""Checks that each layer of the package imports only the layers below it, that no module imports itself through others (counting imports inside functions) and that no module is over MAX_LINES lines: `python tools/check_layers.py`."""
import ast, sys
from pathlib import Path

LAYERS = ['core', 'data', 'learning', 'formats', 'runs', 'serving', 'batch', 'cli']  # bottom to top; serving and batch sit side by side
SIDE_BY_SIDE = {frozenset({'serving', 'batch'})}
PKG = Path(__file__).resolve().parents[1]/'masksclf'
MAX_LINES = 350  # a module longer than this holds several jobs; nbdev's generated index, _modidx.py, aside

def imported(path:Path) -> set:
    "The `masksclf` modules `path` imports, anywhere in it, as dotted names."
    mod = '.'.join(path.relative_to(PKG.parent).with_suffix('').parts)
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level: base = '.'.join(mod.split('.')[:-node.level] + ([base] if base else []))
            if base.startswith('masksclf'): out |= {f'{base}.{a.name}' for a in node.names} | {base}
        elif isinstance(node, ast.Import): out |= {a.name for a in node.names if a.name.startswith('masksclf')}
    return out

def layer(dotted:str):
    parts = dotted.split('.')
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None

def problems() -> list:
    out = []
    for f in sorted(PKG.rglob('*.py')):
        src = layer('.'.join(f.relative_to(PKG.parent).with_suffix('').parts))
        if src is None: continue
        for dst in sorted({layer(d) for d in imported(f)} - {None, src}):
            if LAYERS.index(dst) > LAYERS.index(src) or frozenset({src, dst}) in SIDE_BY_SIDE:
                out.append(f"{f.relative_to(PKG.parent)}: the {src} layer imports the {dst} layer")
    return out

def cycles() -> list:
    "The modules that import themselves through others."
    mods = {'.'.join(f.relative_to(PKG.parent).with_suffix('').parts): f for f in PKG.rglob('*.py')}
    deps = {m: {d if d in mods else d.rsplit('.', 1)[0] for d in imported(f)} & set(mods) - {m} for m, f in mods.items()}
    def reach(m):
        seen, todo = set(), [m]
        while todo:
            for d in deps[todo.pop()] - seen: seen.add(d); todo.append(d)
        return seen
    return [f"{m}: imports itself through other modules" for m in sorted(mods) if m in reach(m)]

def long_modules() -> list:
    "The modules over `MAX_LINES` lines."
    return [f"{f.relative_to(PKG.parent)}: {n} lines, over {MAX_LINES}" for f in sorted(PKG.rglob('*.py'))
            if f.name != '_modidx.py' and (n := len(f.read_text().splitlines())) > MAX_LINES]

if __name__ == '__main__':
    ps = problems() + cycles() + long_modules()
    print('\n'.join(ps) or f"layers in order: {' < '.join(LAYERS)}; no circle; no module over {MAX_LINES} lines")
    sys.exit(1 if ps else 0)
