"""Render nbs/index.ipynb to README.md: markdown cells as they are, code cells as python blocks with their text outputs.

nbdev's own `nbdev_readme` renders through Quarto, which can't be installed on a machine without internet;
this does the same for what index.ipynb holds (markdown and code, no widgets). Run it with `make readme`."""
import json, re, sys
from pathlib import Path

def render(nb_path):
    nb, parts = json.loads(Path(nb_path).read_text(encoding='utf-8')), []
    for cell in nb['cells']:
        src = ''.join(cell['source'])
        if cell['cell_type'] == 'markdown': parts.append(src.strip()); continue
        lines = src.splitlines()
        flags = [l for l in lines if l.startswith('#|')]
        if any(re.match(r'#\|\s*(hide|export|exporti|default_exp)\b', l) for l in flags): continue
        code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
        if code: parts.append(f'```python\n{code}\n```')
        outs = [''.join(o.get('text', '') or o.get('data', {}).get('text/plain', '')) for o in cell.get('outputs', [])]
        outs = '\n'.join(o.rstrip() for o in outs if o.strip())
        if outs: parts.append(f'    ' + outs.replace('\n', '\n    '))
    return '\n\n'.join(p for p in parts if p) + '\n'

if __name__ == '__main__':
    root = Path(__file__).resolve().parent.parent
    out = render(root/'nbs'/'index.ipynb')
    if '--check' in sys.argv:
        if (root/'README.md').read_text(encoding='utf-8') != out: sys.exit('README.md is out of date: run `make readme`')
    else: (root/'README.md').write_text(out, encoding='utf-8')
