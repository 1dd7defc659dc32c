#!/bin/sh
# The layering of ARCHITECTURE.md, checked on the built objects: every module of src/ is placed in
# the block, no module calls one of a higher layer, and no modules call each other in a cycle.
# Calls are read with nm (a symbol a module needs that another one defines).
set -eu
B=${B:-build}
exec python3 - "$B" ARCHITECTURE.md <<'PY'
import glob, os, re, subprocess, sys
b, doc = sys.argv[1], open(sys.argv[2]).read()
block = doc.split('```\n')[1]
layer, cur = {}, None
for line in block.splitlines():
    m = re.match(r'\s*(\d+)?\s+(.*)$', line)
    if not m: continue
    if m.group(1): cur = int(m.group(1))
    for mod in re.split(r'\s{2,}', m.group(2).strip())[0].split():
        layer.setdefault(mod, cur)
objs = sorted(glob.glob(os.path.join(b, '*.o')))
mods = sorted(os.path.basename(o)[:-2] for o in objs if os.path.exists('src/' + os.path.basename(o)[:-2] + '.c'))
if len(mods) < 10: sys.exit('FAIL: no objects in %s' % b)
defs, need = {}, {}
for m in mods:
    o = os.path.join(b, m + '.o')
    for l in subprocess.run(['nm', '--defined-only', '-g', o], capture_output=True, text=True).stdout.splitlines():
        p = l.split()
        if len(p) == 3 and p[1] in 'TDBRC': defs[p[2]] = m
    need[m] = {l.split()[-1] for l in subprocess.run(['nm', '-u', o], capture_output=True, text=True).stdout.splitlines() if l.strip()}
g = {m: {defs[s] for s in need[m] if s in defs and defs[s] != m} for m in mods}
bad = ['%s is not placed in ARCHITECTURE.md' % m for m in mods if m not in layer]
bad += ['%s (layer %d) calls %s (layer %d)' % (m, layer[m], t, layer[t])
        for m in mods for t in sorted(g[m]) if m in layer and t in layer and layer[t] > layer[m]]
# cycles: a module that reaches itself
def reach(m):
    seen, stack = set(), list(g[m])
    while stack:
        t = stack.pop()
        if t not in seen: seen.add(t); stack.extend(g[t])
    return seen
bad += ['%s is in a cycle' % m for m in mods if m in reach(m)]
for l in bad: print('FAIL: ' + l)
print('%d modules in %d layers, %d edges' % (len(mods), len(set(layer.values())), sum(len(v) for v in g.values())))
sys.exit(1 if bad else 0)
PY
