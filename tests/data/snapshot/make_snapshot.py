# One-off: writes tests/data/snapshot/arxiv-snapshot.jsonl from the real fixtures (see README).
import json, re, textwrap, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"; X = "{http://arxiv.org/schemas/atom}"
R = "{http://arxiv.org/OAI/arXivRaw/}"; O = "{http://www.openarchives.org/OAI/2.0/}"

def wrap_title(t):
    return "\n  ".join(textwrap.wrap(t, 72))

def wrap_abs(a):
    paras = [p.strip() for p in re.split(r"\n\s+", a.strip())]
    return "  " + "\n  ".join("\n".join(textwrap.wrap(p, 80)) for p in paras) + "\n"

def rfc(d):   # "Mon, 02 Jan 2006 ..." -> the snapshot writes the day without a leading zero
    return re.sub(r"^(\w{3}), 0(\d)", r"\1, \2", d)

def parsed(name, suffixes=("Jr.", "Jr", "III", "II")):
    parts = name.split()
    suf = ""
    if parts[-1] in suffixes:
        suf = parts.pop()
    # particles stay with the last name, as arXiv's parser does
    i = len(parts) - 1
    while i > 0 and parts[i - 1] in ("de", "van", "der", "von"):
        i -= 1
    return [" ".join(parts[i:]), " ".join(parts[:i]), suf]

out = []
root = ET.parse("tests/data/http/oai/listrecords-arxivraw.xml").getroot()
for rec in root.iter(O + "record"):
    m = rec.find(O + "metadata/" + R + "arXivRaw")
    g = lambda k: (m.find(R + k).text if m.find(R + k) is not None else None)
    vs = [{"version": v.get("version"), "created": rfc(v.find(R + "date").text)} for v in m.findall(R + "version")]
    authors = g("authors")
    names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", authors) if n.strip()]
    up = vs[-1]["created"]
    out.append({"id": g("id"), "submitter": g("submitter"), "authors": authors,
                "title": wrap_title(g("title")), "comments": g("comments"),
                "journal-ref": g("journal-ref"), "doi": g("doi"), "report-no": g("report-no"),
                "categories": g("categories"), "license": g("license"), "abstract": wrap_abs(g("abstract")),
                "versions": vs, "update_date": rec.find(O + "header/" + O + "datestamp").text,
                "authors_parsed": [parsed(n) for n in names]})

api = {"astro-ph/0601001": "arxivpy-2026-id_astro-ph_0601001_s0_m100_3150dca9dc76.xml",
       "quant-ph/0201082": "arxivpy-2026-id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml",
       "1707.08567": "arxivpy-2026-id_1707.08567_s0_m100_6a1afebfc6a3.xml",
       "2104.12255": "arxivpy-2026-id_2104.12255v1_s0_m100_6ae69987ffe1.xml"}
tex = {"Dirk Wübben": 'Dirk W\\"ubben'}
import email.utils, datetime
for pid, f in api.items():
    e = ET.parse("tests/data/arxiv-api/" + f).getroot().find(A + "entry")
    t = lambda k: (e.find(k).text if e.find(k) is not None else None)
    pub = datetime.datetime.strptime(t(A + "published"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    names = [a.find(A + "name").text for a in e.findall(A + "author")]
    affs = [[x.text for x in a.findall(X + "affiliation")] for a in e.findall(A + "author")]
    cats = [c.get("term") for c in e.findall(A + "category")]
    ap = []
    for n, af in zip(names, affs):
        p = parsed(n)
        ap.append(p + af if af else p)
    out.append({"id": pid, "submitter": names[0],
                "authors": ", ".join(tex.get(n, n) + (" (%s)" % ", ".join(af) if af else "") for n, af in zip(names, affs)),
                "title": wrap_title(t(A + "title")), "comments": t(X + "comment"),
                "journal-ref": t(X + "journal_ref"), "doi": t(X + "doi"), "report-no": None,
                "categories": " ".join(cats), "license": None, "abstract": wrap_abs(t(A + "summary")),
                "versions": [{"version": "v1", "created": rfc(email.utils.format_datetime(pub, usegmt=True))}],
                "update_date": pub.strftime("%Y-%m-%d"), "authors_parsed": ap})
with open("tests/data/snapshot/arxiv-snapshot.jsonl", "w") as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
