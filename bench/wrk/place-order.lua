-- POST /orders with 3 lines; args: token customerId productId productId productId, the token a bearer
-- token of that customer (a customer places only its own orders). The service picks the order id.
-- $WRK_DELAY_MS > 0 paces each connection (wrk has no rate option) for a background write load.
dofile("bench/wrk/summary.lua")

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function setup(thread)
  remember(thread)
end

function init(args)
  local lines = {}
  for i = 3, 5 do
    lines[#lines + 1] = string.format('{"productId":"%s","quantity":%d}', args[i], i - 2)
  end
  local body = string.format('{"customerId":"%s","shippingAddress":{"line1":"1 Bench Road","city":"Leipzig",'
    .. '"postalCode":"04109","country":"DE"},"lines":[%s]}', args[2], table.concat(lines, ","))
  req = wrk.format("POST", "/orders", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[1] }, body)
end

function request()
  return req
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function response(status, headers, body)
  expect(status, 202)
end
