-- Shared by the wrk scripts: done() writes the run's figures as a properties file ($WRK_OUT)
-- so that BenchReport can put them next to their anchors; counters come from every thread.
summary_threads = {}

function remember(thread)
  table.insert(summary_threads, thread)
end

-- an answer other than the one the script expects counts as failed
function expect(status, wanted)
  if status ~= wanted then
    unexpected = (unexpected or 0) + 1
  end
end

function done(summary, latency, requests)
  local counters = { cache = 0, replica = 0, unexpected = 0 }
  for _, t in ipairs(summary_threads) do
    for k, _ in pairs(counters) do
      counters[k] = counters[k] + (t:get(k) or 0)
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local f = assert(io.open(os.getenv("WRK_OUT"), "w"))
  -- rps counts only the answers a client could use; failed ones are reported apart
  local failed = math.max(e.status, counters.unexpected) + e.connect + e.read + e.write + e.timeout
  local ok = math.max(0, summary.requests - failed)
  f:write(string.format("tool=wrk\nops=%d\nduration_s=%.3f\nrps=%.1f\nrps_all=%.1f\nfailed=%d\n",
    summary.requests, seconds, ok / seconds, summary.requests / seconds, failed))
  f:write(string.format("p50_ms=%.3f\np90_ms=%.3f\np99_ms=%.3f\nmax_ms=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  f:write(string.format("cache_hits=%d\nreplica_hits=%d\n", counters.cache, counters.replica))
  f:close()
end
