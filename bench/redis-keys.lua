-- The keys that grow with orders and never expire, read by bench/run.sh after its cpu-per-order step:
-- a SCAN of the whole keyspace, 1,000 keys a page, that stops after the page where ARGV[1] keys were
-- seen. Keys are grouped by shape (an id becomes {id}, a day {day}); for each shape whose keys have no
-- TTL, how many keys and how many elements they hold (HLEN, ZCARD, SCARD, LLEN, XLEN; a string is one),
-- so that a shape growing with orders stands out; how many counted versions 'g<n>:counted:*' each
-- generation keeps (each with a TTL); and
-- the change streams (stream keys 'changes:*'): how many, and the range of their TTLs in ms.
-- Answers lines 'name=value' (a properties file, ':' escaped). It holds Redis for the whole scan, so
-- the bench runs it between steps, never inside one.

local cap = tonumber(ARGV[1])
local id = string.rep('%x', 8) .. '%-' .. string.rep('%x', 4) .. '%-' .. string.rep('%x', 4) .. '%-'
    .. string.rep('%x', 4) .. '%-' .. string.rep('%x', 12)
local day = '%d%d%d%d%-%d%d%-%d%d'
local SIZE = { hash = 'HLEN', zset = 'ZCARD', set = 'SCARD', list = 'LLEN', stream = 'XLEN' }
-- past this many shapes, the rest are counted as one: the answer stays short whatever the keys are
local MAX_SHAPES = 100

local function shapeOf(key)
  return (key:gsub(id, '{id}'):gsub(day, '{day}'))
end

local function elements(key, kind)
  if SIZE[kind] then
    return redis.call(SIZE[kind], key)
  end
  return 1
end

local scanned, noTtl, shapeCount = 0, 0, 0
local shapes, order = {}, {}
local counted = {}
local streams, streamsNoTtl, ttlMin, ttlMax = 0, 0, nil, nil
local cursor = '0'
repeat
  local page = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    scanned = scanned + 1
    local ttl = redis.call('PTTL', key)
    local maybeStream = key:sub(1, 8) == 'changes:'
    local kind = (ttl == -1 or maybeStream) and redis.call('TYPE', key).ok or nil
    if ttl == -1 then
      noTtl = noTtl + 1
      local shape = shapeOf(key)
      if not shapes[shape] then
        if shapeCount >= MAX_SHAPES then
          shape = '(other)'
        end
        if not shapes[shape] then
          shapes[shape] = { keys = 0, elements = 0, largest = 0 }
          order[#order + 1] = shape
          shapeCount = shapeCount + 1
        end
      end
      local n = elements(key, kind)
      local s = shapes[shape]
      s.keys = s.keys + 1
      s.elements = s.elements + n
      if n > s.largest then
        s.largest = n
      end
    end
    local generation = key:match('^(g%d+):counted:')
    if generation then
      if not counted[generation] then
        counted[generation] = 0
        counted[#counted + 1] = generation
      end
      counted[generation] = counted[generation] + 1
    end
    if maybeStream and kind == 'stream' then
      streams = streams + 1
      if ttl == -1 then
        streamsNoTtl = streamsNoTtl + 1
      elseif ttl >= 0 then
        ttlMin = ttlMin and math.min(ttlMin, ttl) or ttl
        ttlMax = ttlMax and math.max(ttlMax, ttl) or ttl
      end
    end
  end
until cursor == '0' or scanned >= cap

local function escaped(name)
  return (name:gsub(':', '\\:'))
end

local out = {
  'scanned=' .. scanned,
  'complete=' .. (cursor == '0' and 1 or 0),
  'no_ttl=' .. noTtl,
  'streams=' .. streams,
  'streams.no_ttl=' .. streamsNoTtl,
}
if ttlMin then
  out[#out + 1] = 'streams.ttl_ms_min=' .. ttlMin
  out[#out + 1] = 'streams.ttl_ms_max=' .. ttlMax
end
for _, generation in ipairs(counted) do
  out[#out + 1] = 'counted.' .. generation .. '=' .. counted[generation]
end
for _, shape in ipairs(order) do
  local s = shapes[shape]
  out[#out + 1] = 'shape.' .. escaped(shape) .. '.keys=' .. s.keys
  out[#out + 1] = 'shape.' .. escaped(shape) .. '.elements=' .. s.elements
  out[#out + 1] = 'shape.' .. escaped(shape) .. '.largest=' .. s.largest
end
return out
