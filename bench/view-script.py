#!/usr/bin/env python3
"""Redis's own cost of the view script, driven straight on a Redis with nothing else running.

    bench/view-script.py PORT FORMAT CHANGES_PER_CALL SCRIPT_FILE...

Sends the changes of 3,000 OrderPlaced events of 100 customers, as the order projector makes them,
CHANGES_PER_CALL to a call, pipelined (redis-cli --pipe), and prints Redis's CPU (INFO cpu, user + sys)
per event, its commands per event (INFO commandstats: the script's commands and the EVALSHA), and
used_memory per order. FLUSHALLs the Redis first: never point it at one that holds anything.
FORMAT is the script's argument format: 'slot' for lua/view-slot.lua (since 2026-12-07), 'changes'
for lua/view-changes.lua of the version before (with change-stream-position.lua ahead of it), e.g.
    git show e5df9c9:src/main/resources/lua/change-stream-position.lua > /tmp/pos.lua
    git show e5df9c9:src/main/resources/lua/view-changes.lua > /tmp/view.lua
    bench/view-script.py 6398 changes 1 /tmp/pos.lua /tmp/view.lua
    bench/view-script.py 6398 slot 1 src/main/resources/lua/view-slot.lua
docs/benchmarks.md, "Redis's work per event", has the figures.
"""
import json, uuid, subprocess, sys
PORT=sys.argv[1]; which=sys.argv[2]; per_call=int(sys.argv[3]); N=3000
def cli(*a): return subprocess.check_output(['redis-cli','-p',PORT,*a]).decode()
S=''.join(open(f).read()+'\n' for f in sys.argv[4:])
sha=cli('SCRIPT','LOAD',S).strip()
cli('FLUSHALL'); cli('SET','views:generation','1'); cli('SET','{views}:generation','1')
cust=[str(uuid.uuid4()) for _ in range(100)]
def fields(o,c): return {"orderId":o,"status":"PLACED","customer":json.dumps({"customerId":c,"name":"Ada Lovelace","email":"ada@example.com"}),"shippingAddress":json.dumps({"line1":"1 Main St","city":"Leeds","postalCode":"LS1","country":"GB"}),"lines":json.dumps([{"productId":"6f1c2a3e-0000-4000-8000-000000000001","sku":"SKU-1","productName":"Tea","unitPrice":3.5,"quantity":2,"lineTotal":7.0}]*3),"total":"21.00","placedAt":"2026-12-07T05:00:00Z","updatedAt":"2026-12-07T05:00:00Z"}
def msg(o,c): return 'OrderPlaced\n{"orderId":"%s","customerId":"%s","version":1,"status":"PLACED","type":"OrderPlaced"}\n00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'%(o,c)
def new_parts(i):
    o=str(uuid.uuid4()); c=cust[i%100]; m=msg(o,c)
    return [{"v":{"key":"order:{%s}"%o,"version":"1","replace":True,"ttl":"86400000","fields":fields(o,c)}},
      {"x":{"key":"customer:{%s}:orders"%c,"score":str(1765083600000+i),"member":o,"kept":"1000"}},
      {"c":{"k":"counted:{sales:%d}:order:{%s}"%(i%16,o),"version":"1","hashes":[{"hash":"stats:{sales:%d}"%(i%16),"fields":["version","PLACED.orders","PLACED.revenueCents","day:2026-12-07.orders","day:2026-12-07.revenueCents"],"deltas":["1","1","2100","1","2100"]}]}},
      {"a":{"stream":"changes:order:{%s}"%o,"p":"1","m":m,"t":"3600000"}},
      {"s":{"stream":"changes:customer:{%s}:orders"%c,"subject":o,"version":"1","m":m,"t":"86400000"}}]
def old_change(i):
    o=str(uuid.uuid4()); c=cust[i%100]; m=msg(o,c).split('\n')
    return {"view":{"key":"order:%s"%o,"version":"1","replace":True,"ttl":"86400000","fields":fields(o,c)},
      "indexes":[{"key":"customer:%s:orders"%c,"score":str(1765083600000+i),"member":o},{"key":"stats:days","score":"20429","member":"2026-12-07"}],
      "counting":{"subject":"order:%s"%o,"version":"1","moves":[{"hash":"stats:status","field":"version","delta":"1"},{"hash":"stats:status","field":"PLACED.orders","delta":"1"},{"hash":"stats:status","field":"PLACED.revenueCents","delta":"2100"},{"hash":"stats:day:2026-12-07","field":"orders","delta":"1"},{"hash":"stats:day:2026-12-07","field":"revenueCents","delta":"2100"}]},
      "announce":{"event":m[0],"data":m[1],"trace":m[2],"stream":"changes:order:%s"%o,"position":"1","also":["changes:customer:%s:orders"%c]}}
calls=[]
for start in range(0,N,per_call):
    if which=='slot':
        parts=[p for i in range(start,start+per_call) for p in new_parts(i)]
        calls.append(['EVALSHA',sha,'1','{views}',json.dumps(parts),'["g1:"]','1000','2592000000','1'])
    else:
        ch=[old_change(i) for i in range(start,start+per_call)]
        calls.append(['EVALSHA',sha,'0',json.dumps(ch),'','1000','604800000','{"order":"3600000","customer":"86400000"}','2592000000'])
def resp(a):
    out='*%d\r\n'%len(a)
    for x in a:
        out+='$%d\r\n'%len(x.encode())+x+'\r\n'
    return out
cli('CONFIG','RESETSTAT')
def cpu():
    d=dict(l.split(':') for l in cli('INFO','cpu').split('\r\n') if ':' in l)
    return float(d['used_cpu_user'])+float(d['used_cpu_sys'])
m0=int(dict(l.split(':') for l in cli('INFO','memory').split('\r\n') if ':' in l)['used_memory'])
c0=cpu()
p=subprocess.run(['redis-cli','-p',PORT,'--pipe'],input=''.join(resp(a) for a in calls).encode(),capture_output=True)
c1=cpu()
m1=int(dict(l.split(':') for l in cli('INFO','memory').split('\r\n') if ':' in l)['used_memory'])
stats=cli('INFO','commandstats')
calls_total=sum(int(l.split('calls=')[1].split(',')[0]) for l in stats.split('\r\n') if l.startswith('cmdstat_') and not l.startswith('cmdstat_info') and not l.startswith('cmdstat_config'))
ev=[l for l in stats.split('\r\n') if l.startswith('cmdstat_evalsha')]
print(which, 'changes/call', per_call, 'errors' , p.stdout.decode().strip().split('\n')[-1], '| redis CPU µs/event %.1f'%((c1-c0)*1e6/N), '| commands/event %.1f'%(calls_total/N), '| memory B/order %.0f'%((m1-m0)/N), '|', ev[0].split(',')[1] if ev else '')
