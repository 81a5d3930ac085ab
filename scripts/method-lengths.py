#!/usr/bin/env python3
# Usage: scripts/method-lengths.py DIR [LIMIT]: every method and block lambda under DIR longer than LIMIT
# lines (declaration to closing brace), longest first. A rough reader (no Java parser), for the
# "no handler over ~25 lines" rule of web/: filter its output for Context/Request parameters.
"""Lengths of methods and block lambdas in Java sources: declaration line to closing brace."""
import re,sys,os
root=sys.argv[1]; limit=int(sys.argv[2]) if len(sys.argv)>2 else 25
KW={'if','for','while','switch','catch','return','new','else','throw','try','synchronized','record','class','interface','enum','super','this'}
decl=re.compile(r'^( {4}| {8}| {12})(?:@\w+\s+)*(?:(?:public|private|protected|static|final|synchronized|default|abstract)\s+)*(?:<[^>]+>\s+)?[\w<>\[\],.?]+(?:<[^()]*>)?\s+(\w+)\s*\(')
ctor=re.compile(r'^( {4}| {8})(?:public|private|protected)?\s*([A-Z]\w*)\s*\(')
lam=re.compile(r'->\s*\{\s*$')
def strip(l):
    l=re.sub(r'"(?:\\.|[^"\\])*"','""',l); l=re.sub(r"'(?:\\.|[^'\\])'","''",l)
    return l.split('//')[0]
out=[]
for d,_,fs in os.walk(root):
  for f in fs:
    if not f.endswith('.java'): continue
    p=os.path.join(d,f); L=[strip(x) for x in open(p).read().split('\n')]
    for i,l in enumerate(L):
      m=decl.match(l) or ctor.match(l)
      name=None
      if m and m.group(2) not in KW and '=' not in l.split('(')[0] and not l.strip().startswith(('return','throw','new ')):
        name=m.group(2)
      elif lam.search(l):
        name='lambda'
      if not name: continue
      # find the body's opening brace before any ';'
      j=i; depth=0; started=False; ok=True
      while j<len(L):
        seg=L[j]
        if not started:
          if name!='lambda' and ';' in seg and '{' not in seg: ok=False; break
          if '{' in seg:
            started=True
            seg=seg[seg.index('{'):] if name!='lambda' else seg[seg.rindex('{'):]
        if started:
          depth+=seg.count('{')-seg.count('}')
          if depth<=0: break
        j+=1
      if not ok or not started: continue
      n=j-i+1
      if n>limit: out.append((n,p,i+1,name))
for n,p,i,name in sorted(out,reverse=True): print(n,p+':'+str(i),name)
