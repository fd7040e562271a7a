-- GET /orders/{id} over the ids in a file (one a line); args: token idsFile threads, the token a bearer
-- token of the orders' customer (or of staff). Each thread reads its own slice in order, so a sweep
-- over ids whose Redis key was deleted takes the replica path once per id; X-Read-Source is counted,
-- so a sweep that ran out of ids shows up as cache hits.
dofile("bench/wrk/summary.lua")

local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  remember(thread)
end

function init(args)
  local all = {}
  local headers = { ["Authorization"] = "Bearer " .. args[1] }
  for line in io.lines(args[2]) do
    if #line > 0 then
      all[#all + 1] = line
    end
  end
  local threads = tonumber(args[3])
  reqs = {}
  for i = 1 + tid, #all, threads do
    reqs[#reqs + 1] = wrk.format("GET", "/orders/" .. all[i], headers)
  end
  if #reqs == 0 then
    reqs[1] = wrk.format("GET", "/orders/" .. all[1], headers)
  end
  at = 0
  cache, replica, unexpected = 0, 0, 0
end

function request()
  at = at % #reqs + 1
  return reqs[at]
end

function response(status, headers, body)
  if status ~= 200 then
    unexpected = unexpected + 1
  end
  local source = headers["X-Read-Source"] or headers["x-read-source"]
  if source == "cache" then
    cache = cache + 1
  elseif source == "replica" then
    replica = replica + 1
  end
end
