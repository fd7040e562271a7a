-- Version-guarded write of one view hash, with its sorted-set index entries and its change
-- notification, as one atomic step: a duplicate or replayed event can never change a view.
--
-- Views live in generations: keys are 'g<generation>:<name>'. The active generation is in
-- 'views:generation' (1 when unset); while a rebuild fills the next one, 'views:building' names
-- it and every live write goes to both, so nothing that happens during a rebuild is lost.
--
-- ARGV[1]      the generation to write ('' for the active one and the one being built)
-- ARGV[2]      the view's name (the key without its generation)
-- ARGV[3]      the view's version after this write
-- ARGV[4]      'snapshot' (the whole view) or 'patch' (the fields one event changes)
-- ARGV[5]      the change streams to announce the change on, space-separated ('' for none): first
--              the view's own stream, positioned by the view's version, then any others (a list's
--              stream), positioned by a sequence of their own; ${field} in a name stands for that
--              field of the view, and a stream whose name cannot be filled is left out
-- ARGV[6]      the announcement: the event name, a newline, then the data, in which ${field}
--              stands for that field of the view (as it was before the write, or else after it)
-- ARGV[7]      time to live in ms, for views that may be evicted and rebuilt ('0': none)
-- ARGV[8]      F, the number of fields;  then F field, value pairs
-- then I, the number of sorted-set index entries; then I name, score, member triples
-- then C, the number of counters; then C hash, field, delta triples, applied with HINCRBY when the
-- write applies, in which ${old.f} and ${new.f} stand for field f of the view before and after
-- then R, how many announcements each change stream keeps, and T, their time to live in ms
--
-- A change stream 's' is a Redis stream of entries with ids '<position>-0' and one field 'm' (the
-- announcement), trimmed to R entries; 's:pos' holds its last position (see streamPosition, in
-- change-stream-position.lua, which is loaded ahead of this script). Each announcement is also
-- PUBLISHed on channel 's' as '<position>\n<announcement>'. The view's own stream gates the
-- others: a change is announced once, when its version is past the own stream's position, whatever
-- became of the view (already refilled from the database at that version, or dropped on a gap).
-- Answers, for the active (or the given) generation: 1 applied; 0 already at that version or
-- newer; -1 a version gap, so the view was dropped for the next read to rebuild; -2 a patch for a
-- view that is not cached (nothing to patch).
local function fill(template, old, new)
  return (string.gsub(template, '%${(%a+)%.(%w+)}', function(which, field)
    local source = which == 'old' and old or new
    return source[field] or ''
  end))
end

local function asTable(flat)
  local t = {}
  for i = 1, #flat, 2 do
    t[flat[i]] = flat[i + 1]
  end
  return t
end

local function apply(prefix, dropOnGap)
  local key = prefix .. ARGV[2]
  local version = tonumber(ARGV[3])
  local current = redis.call('HGET', key, 'version')
  if current then
    current = tonumber(current)
    if current >= version then
      return 0
    end
  end
  if ARGV[4] == 'snapshot' then
    -- the whole view replaces what is there (deleted below, once its old fields are read)
  elseif not current then
    return -2
  elseif current + 1 < version then
    -- in a generation being built the rebuild brings the missing versions: leave it be
    if dropOnGap then
      redis.call('DEL', key)
    end
    return -1
  end
  local n = tonumber(ARGV[8])
  local at = 9 + 2 * n
  local indexes = tonumber(ARGV[at])
  local countersAt = at + 1 + 3 * indexes
  local counters = tonumber(ARGV[countersAt])
  local old = {}
  if counters > 0 then
    old = asTable(redis.call('HGETALL', key))
  end
  if ARGV[4] == 'snapshot' then
    redis.call('DEL', key)
  end
  local fields = { 'version', ARGV[3] }
  for i = 9, 8 + 2 * n do
    fields[#fields + 1] = ARGV[i]
  end
  redis.call('HSET', key, unpack(fields))
  if tonumber(ARGV[7]) > 0 then
    redis.call('PEXPIRE', key, ARGV[7])
  end
  for i = 0, indexes - 1 do
    local base = at + 1 + 3 * i
    redis.call('ZADD', prefix .. ARGV[base], ARGV[base + 1], ARGV[base + 2])
  end
  -- the ledger remembers which version of each view was counted, so that a view that expired and
  -- is replayed again is never counted twice
  local ledger = prefix .. 'views:counted'
  if counters > 0 and version > tonumber(redis.call('HGET', ledger, ARGV[2]) or '0') then
    redis.call('HSET', ledger, ARGV[2], ARGV[3])
    local new = asTable(redis.call('HGETALL', key))
    for i = 0, counters - 1 do
      local base = countersAt + 1 + 3 * i
      local delta = tonumber(fill(ARGV[base + 2], old, new))
      if delta and delta ~= 0 then
        redis.call('HINCRBY', prefix .. fill(ARGV[base], old, new), fill(ARGV[base + 1], old, new), delta)
      end
    end
  end
  return 1
end

local generations = {}
if ARGV[1] ~= '' then
  generations[1] = ARGV[1]
else
  generations[1] = redis.call('GET', 'views:generation') or '1'
  local building = redis.call('GET', 'views:building')
  if building and building ~= generations[1] then
    generations[2] = building
  end
end
-- where R and T are: after the fields, the index entries and the counters
local function streamSettingsAt()
  local at = 9 + 2 * tonumber(ARGV[8])
  at = at + 1 + 3 * tonumber(ARGV[at])
  return at + 1 + 3 * tonumber(ARGV[at])
end

local function announce(stream, at, message, retain, ttl)
  redis.call('SET', stream .. ':pos', at, 'PX', ttl)
  redis.call('XADD', stream, 'MAXLEN', retain, at .. '-0', 'm', message)
  redis.call('PEXPIRE', stream, ttl)
  redis.call('PUBLISH', stream, at .. '\n' .. message)
end

-- the announcement and the stream names, filled from the view before the write (else after it)
local before = {}
local active = 'g' .. generations[1] .. ':' .. ARGV[2]
if ARGV[5] ~= '' then
  before = asTable(redis.call('HGETALL', active))
end
local function lookup(field)
  return before[field] or redis.call('HGET', active, field)
end

local result = apply('g' .. generations[1] .. ':', ARGV[1] == '')
for g = 2, #generations do
  apply('g' .. generations[g] .. ':', false)
end

if ARGV[5] ~= '' then
  local version = tonumber(ARGV[3])
  local streams = {}
  for name in string.gmatch(ARGV[5], '%S+') do
    local missing = false
    streams[#streams + 1] = (string.gsub(name, '%${(%w+)}', function(field)
      local value = lookup(field)
      if not value then
        missing = true
        return ''
      end
      return value
    end))
    if missing then
      streams[#streams] = false
    end
  end
  local own = streams[1]
  if own and version > streamPosition(own) then
    local message = string.gsub(ARGV[6], '%${(%w+)}', function(field)
      return lookup(field) or ''
    end)
    local at = streamSettingsAt()
    local retain, ttl = ARGV[at], ARGV[at + 1]
    announce(own, version, message, retain, ttl)
    for i = 2, #streams do
      if streams[i] then
        announce(streams[i], streamPosition(streams[i]) + 1, message, retain, ttl)
      end
    end
  end
end
return result
