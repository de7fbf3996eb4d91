import sys, yaml, pathlib, collections
base = pathlib.Path(__file__).parent
RELS = {'competesWith':({'Company'},{'Company'}),'investsIn':({'Company','Person'},{'Company'}),
        'supplies':({'Company'},{'Company'}),'hedgesAgainst':({'Company'},{'Company'}),
        'develops':({'Company'},{'Model','Chip'}),'affiliatedWith':({'Person'},{'Company'})}
ok = True
def err(f,m):
    global ok; ok=False; print(f, 'ERROR', m)
for g in sorted((base/'gold').glob('*.yaml')):
    d = yaml.safe_load(g.read_text())
    doc = base/'interviews'/d['document']
    if g.stem != doc.stem: err(g.name,'stem mismatch')
    text = doc.read_text()
    if d.get('language') not in ('zh','zh-Hant','en','mixed'): err(g.name,'language')
    ents = {}; allnames = collections.Counter()
    for e in d['entities']:
        if set(e) - {'name','type','aliases'}: err(g.name, f'keys {e}')
        if e['type'] not in ('Person','Company','Model','Chip'): err(g.name, f'type {e}')
        if e['name'] in ents: err(g.name, f'dup entity {e["name"]}')
        ents[e['name']] = e['type']
        forms = [e['name']] + list(e.get('aliases') or [])
        for a in e.get('aliases') or []:
            if a not in text: err(g.name, f'alias not in text: {a!r} ({e["name"]})')
        if not any(f in text for f in forms): err(g.name, f'entity not in text: {e["name"]}')
        for f in set(forms): allnames[f.lower()] += 1
    for n,c in allnames.items():
        if c > 1: err(g.name, f'name/alias used by several entities: {n}')
    seen = set(); pairs=set()
    for r in d['relations']:
        s,p,o,ev = r['subject'], r['relation'], r['object'], r['evidence']
        if p not in RELS: err(g.name, f'relation {p}'); continue
        if s not in ents: err(g.name, f'subject missing {s}'); continue
        if o not in ents: err(g.name, f'object missing {o}'); continue
        if ents[s] not in RELS[p][0] or ents[o] not in RELS[p][1]: err(g.name, f'types {s} {p} {o}')
        if s == o: err(g.name, f'self {r}')
        key = (s,p,o) if p!='competesWith' else (tuple(sorted((s,o))),p)
        if key in seen: err(g.name, f'dup relation {key}')
        seen.add(key)
        if ev not in text: err(g.name, f'evidence not in text: {ev!r}')
    # unused entities are fine; report counts
    print(g.name, 'chars', len(text), 'entities', len(ents), 'relations', len(d['relations']))
print('OK' if ok else 'FAILED')
