-- Applies the parts of view changes that fall in one hash slot (on a single Redis, the parts of every
-- slot at once), in order, each part under its own guard, so that no part depends on another slot's
-- state and a call made twice changes nothing the second time:
--   v  a view hash, written only forward in version: the whole view ('replace') or the fields one
--      event changes (a patch, applied only on top of the version before it); answers an outcome
--   x  index entries (sorted sets): added, or removed ('rm'); an entry with a version is guarded by
--      the version of what it describes, kept in '<index>:at:<member>' for ARGV[4] ms after its last
--      move, so that a late or re-driven event cannot put back an entry that a later one removed; an
--      entry added with 'kept' leaves its index with that many entries at most, the highest scored
--   c  counter moves, made once per subject and version, in version order, as the subject's counted
--      version (its key 'k', kept ARGV[4] ms after its last move) records; a move that is not the
--      next one is left out. The moves on one hash are made with one read and one write.
--   a  an announcement on a stream positioned by its subject's version ('p'): a Redis stream whose
--      entries have ids '<position>-0'; one at or below the stream's newest is not made again
--   s  an announcement on a stream positioned by a sequence of its own, once per subject and
--      version: '<stream>:at:<subject>' keeps the version last announced there, as long as the stream
--   Each announcement is also PUBLISHed on the stream's channel as '<position>\n<message>'; a stream
--   keeps ARGV[3] entries and lives 't' ms after its last one.
--
-- KEYS[1]  a key of the slot, so that a cluster client sends the call to the node that holds it
-- ARGV[1]  the parts, a JSON array; numbers come as strings (Lua's are doubles)
-- ARGV[2]  the generations to write, a JSON array of key prefixes ('g<n>:'): the first is the one the
--          outcomes tell of, the others (a generation being built) are written alike
-- ARGV[3]  how many entries a change stream keeps
-- ARGV[4]  how long a counted version or an entry's version is kept after its last move, in ms
-- ARGV[5]  '1' for a live write: a version gap in the first generation drops the view, for the next read
--          to rebuild (the generation being built gets its missing versions from the rebuild instead)
--
-- Answers the outcome of each view part, in order: 1 applied; 0 already at that version or newer;
-- -1 a version gap, so the view was dropped; -2 a patch for a view that is not cached.

local parts = cjson.decode(ARGV[1])
local prefixes = cjson.decode(ARGV[2])
local retain, keep, live = ARGV[3], ARGV[4], ARGV[5] == '1'

local function writeView(prefix, view, dropOnGap)
  local key = prefix .. view.key
  local version = tonumber(view.version)
  local current = redis.call('HGET', key, 'version')
  if current then
    current = tonumber(current)
    if current >= version then
      return 0
    end
  end
  if view.replace then
    if current then
      redis.call('DEL', key)
    end
  elseif not current then
    return -2
  elseif current + 1 < version then
    if dropOnGap then
      redis.call('DEL', key)
    end
    return -1
  end
  local args = { 'version', view.version }
  for field, value in pairs(view.fields) do
    args[#args + 1] = field
    args[#args + 1] = value
  end
  redis.call('HSET', key, unpack(args))
  if view.ttl ~= '0' then
    redis.call('PEXPIRE', key, view.ttl)
  end
  return 1
end

local function index(prefix, entry)
  local key = prefix .. entry.key
  if entry.version then
    local at = key .. ':at:' .. entry.member
    if tonumber(redis.call('GET', at) or '0') >= tonumber(entry.version) then
      return
    end
    redis.call('SET', at, entry.version, 'PX', keep)
  end
  if entry.rm then
    redis.call('ZREM', key, entry.member)
  else
    redis.call('ZADD', key, entry.score, entry.member)
    if entry.kept then
      redis.call('ZREMRANGEBYRANK', key, 0, -1 - tonumber(entry.kept))
    end
  end
end

local function count(prefix, counting)
  local own = prefix .. counting.k
  if tonumber(redis.call('GET', own) or '0') + 1 ~= tonumber(counting.version) then
    return
  end
  redis.call('SET', own, counting.version, 'PX', keep)
  for _, moves in ipairs(counting.hashes) do
    local key = prefix .. moves.hash
    if #moves.fields == 1 then
      redis.call('HINCRBY', key, moves.fields[1], moves.deltas[1])
    else
      local now = redis.call('HMGET', key, unpack(moves.fields))
      local args = {}
      for i, field in ipairs(moves.fields) do
        args[#args + 1] = field
        args[#args + 1] = string.format('%d', tonumber(now[i] or '0') + tonumber(moves.deltas[i]))
      end
      redis.call('HSET', key, unpack(args))
    end
  end
end

local function publish(stream, position, message, ttl)
  redis.call('PEXPIRE', stream, ttl)
  redis.call('PUBLISH', stream, position .. '\n' .. message)
end

local function newest(stream)
  local entry = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
  return entry and tonumber(string.match(entry[1], '^(%d+)')) or 0
end

local function announce(a)
  local added = redis.pcall('XADD', a.stream, 'MAXLEN', retain, a.p .. '-0', 'm', a.m)
  if type(added) == 'table' and added.err then
    -- at or below the stream's newest entry: announced already
    return
  end
  publish(a.stream, a.p, a.m, a.t)
end

local function announceInSequence(a)
  local at = a.stream .. ':at:' .. a.subject
  if tonumber(redis.call('GET', at) or '0') >= tonumber(a.version) then
    return
  end
  local position = newest(a.stream) + 1
  redis.call('XADD', a.stream, 'MAXLEN', retain, position .. '-0', 'm', a.m)
  redis.call('SET', at, a.version, 'PX', a.t)
  publish(a.stream, position, a.m, a.t)
end

local outcomes = {}
for _, part in ipairs(parts) do
  if part.v then
    outcomes[#outcomes + 1] = writeView(prefixes[1], part.v, live)
    for g = 2, #prefixes do
      writeView(prefixes[g], part.v, false)
    end
  elseif part.x then
    for g = 1, #prefixes do
      index(prefixes[g], part.x)
    end
  elseif part.c then
    for g = 1, #prefixes do
      count(prefixes[g], part.c)
    end
  elseif part.a then
    announce(part.a)
  elseif part.s then
    announceInSequence(part.s)
  end
end
return outcomes
