-- GET one static file of the web UI (args: path): no token, no Redis, no database. The floor of this
-- HTTP stack on this machine, under the same wrk load as the reads it is set against.
dofile("bench/wrk/summary.lua")

function setup(thread)
  remember(thread)
end

function init(args)
  req = wrk.format("GET", args[1])
end

function request()
  return req
end

function response(status, headers, body)
  expect(status, 200)
end
