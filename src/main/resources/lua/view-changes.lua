-- Applies view changes, each one event's effect on the read models with every value resolved by
-- the caller, in one atomic step. Each read model keeps its own books, so that no part depends on
-- whether another model's view happens to be cached:
--   view      a hash written only forward in version: the whole view ('replace') or the fields one
--             event changes (a patch, applied only on top of the version before it)
--   indexes   sorted-set entries that list views (ZADD: adding one again changes nothing)
--   counting  counter moves (HINCRBY), made once per subject and version, in version order, as the
--             subject's counted version 'counted:<subject>' records (kept ARGV[6] ms after its last
--             move, so that no subject's record outlives it for ever); a move that is not the next one
--             is left out
--   announce  the change, on the view's own stream (positioned by the view's version) and on other
--             streams (positioned by a sequence of their own); the own stream gates the others, so
--             a change is announced once, whatever became of the view
--
-- ARGV[1]  the changes, a JSON array of {view, indexes, counting, announce}; numbers come as strings
-- ARGV[2]  the generation to write ('' for the active one and the one being built)
-- ARGV[3]  how many announcements each change stream keeps; ARGV[4] their time to live in ms, unless
--          ARGV[5], a JSON object of times to live by kind of stream (the word after 'changes:'), names theirs
-- ARGV[6]  how long a subject's counted version is kept after its last counted move, in ms
--
-- Views live in generations: keys are 'g<generation>:<name>'. The active generation is in
-- 'views:generation' (1 when unset); while a rebuild fills the next one, 'views:building' names it
-- and every live write goes to both, so nothing that happens during a rebuild is lost. Change
-- streams belong to no generation. A change stream 's' is a Redis stream of entries with ids
-- '<position>-0' and one field 'm' (the announcement), trimmed to ARGV[3] entries; 's:pos' holds its
-- last position (streamPosition, in change-stream-position.lua, is loaded ahead of this script).
-- Each announcement is also PUBLISHed on channel 's' as '<position>\n<event>\n<data>'. An announcement
-- made in a trace ends with '\n<traceparent>' (data is one line of JSON), which delivery joins.
--
-- Answers, per change, what became of its view in the active (or the given) generation: 1 applied;
-- 0 already at that version or newer; -1 a version gap, so the view was dropped for the next read
-- to rebuild; -2 a patch for a view that is not cached (nothing to patch).

local changes = cjson.decode(ARGV[1])
local retain, streamTtl = ARGV[3], ARGV[4]
local ttlByKind = cjson.decode(ARGV[5])

local function ttlOf(stream)
  return ttlByKind[string.match(stream, '^changes:([^:]+)')] or streamTtl
end

local prefixes = {}
if ARGV[2] ~= '' then
  prefixes[1] = 'g' .. ARGV[2] .. ':'
else
  local active = redis.call('GET', 'views:generation') or '1'
  prefixes[1] = 'g' .. active .. ':'
  local building = redis.call('GET', 'views:building')
  if building and building ~= active then
    prefixes[2] = 'g' .. building .. ':'
  end
end
-- the generation being built gets its missing versions from the rebuild: a gap there drops nothing
local live = ARGV[2] == ''

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
    redis.call('DEL', key)
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
  if tonumber(view.ttl) > 0 then
    redis.call('PEXPIRE', key, view.ttl)
  end
  return 1
end

local function index(prefix, entries)
  for _, entry in ipairs(entries) do
    redis.call('ZADD', prefix .. entry.key, entry.score, entry.member)
  end
end

-- The ledger of the version before 2026-12-07: one hash of every subject's counted version, kept for
-- ever. Where it exists it is read for a subject with no counted version of its own yet, and kept up
-- to date, so that an instance of the version before, projecting during a rolling update, counts on;
-- a rebuild leaves it behind with its generation.
local before = {}
local function ledgerBefore(prefix)
  if before[prefix] == nil then
    before[prefix] = redis.call('EXISTS', prefix .. 'views:counted') == 1
  end
  return before[prefix]
end

local function count(prefix, counting)
  local own = prefix .. 'counted:' .. counting.subject
  local counted = redis.call('GET', own)
  if not counted and ledgerBefore(prefix) then
    counted = redis.call('HGET', prefix .. 'views:counted', counting.subject)
  end
  if tonumber(counted or '0') + 1 ~= tonumber(counting.version) then
    return
  end
  redis.call('SET', own, counting.version, 'PX', ARGV[6])
  if ledgerBefore(prefix) then
    redis.call('HSET', prefix .. 'views:counted', counting.subject, counting.version)
  end
  for _, move in ipairs(counting.moves) do
    redis.call('HINCRBY', prefix .. move.hash, move.field, move.delta)
  end
end

local function publish(stream, position, message)
  local ttl = ttlOf(stream)
  redis.call('SET', stream .. ':pos', position, 'PX', ttl)
  redis.call('XADD', stream, 'MAXLEN', retain, position .. '-0', 'm', message)
  redis.call('PEXPIRE', stream, ttl)
  redis.call('PUBLISH', stream, position .. '\n' .. message)
end

local function announce(a)
  if tonumber(a.position) <= streamPosition(a.stream) then
    return
  end
  local message = a.event .. '\n' .. a.data
  if a.trace then
    message = message .. '\n' .. a.trace
  end
  publish(a.stream, a.position, message)
  for _, other in ipairs(a.also) do
    publish(other, streamPosition(other) + 1, message)
  end
end

local outcomes = {}
for i, change in ipairs(changes) do
  outcomes[i] = writeView(prefixes[1], change.view, live)
  for g = 2, #prefixes do
    writeView(prefixes[g], change.view, false)
  end
  for g = 1, #prefixes do
    index(prefixes[g], change.indexes)
    if change.counting then
      count(prefixes[g], change.counting)
    end
  end
  if change.announce then
    announce(change.announce)
  end
end
return outcomes
