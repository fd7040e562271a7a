-- A change stream's position: its ':pos' key, or its newest entry (ids '<position>-0') should memory
-- pressure have evicted that key alone. Shared by the view write and the change feed's read.
local function streamPosition(stream)
  local pos = tonumber(redis.call('GET', stream .. ':pos') or '0')
  local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
  if newest then
    pos = math.max(pos, tonumber(string.match(newest[1], '^(%d+)')))
  end
  return pos
end
