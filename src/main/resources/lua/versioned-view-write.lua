-- Version-guarded write of one view hash, with its sorted-set index entries and its change
-- notification, as one atomic step: a duplicate or replayed event can never change a view.
-- KEYS[1]      the view hash;  KEYS[2..]  sorted sets that index the view
-- ARGV[1]      the view's version after this write
-- ARGV[2]      'snapshot' (the whole view) or 'patch' (the fields one event changes)
-- ARGV[3]      pub/sub channel to notify ('' for none);  ARGV[4]  the notification, in which
--              ${field} stands for that field of the view as written (a patch may not carry it)
-- ARGV[5]      time to live in ms, for views that may be evicted and rebuilt ('0': none)
-- ARGV[6]      F, the number of fields;  ARGV[7 .. 6+2F]  field, value pairs
-- then one score, member pair per index key
-- Answers 1 applied; 0 already at that version or newer; -1 a version gap, so the view was
-- dropped for the next read to rebuild; -2 a patch for a view that is not cached (nothing to patch).
local version = tonumber(ARGV[1])
local current = redis.call('HGET', KEYS[1], 'version')
if current then
  current = tonumber(current)
  if current >= version then
    return 0
  end
end
if ARGV[2] == 'snapshot' then
  redis.call('DEL', KEYS[1])
elseif not current then
  return -2
elseif current + 1 < version then
  redis.call('DEL', KEYS[1])
  return -1
end
local n = tonumber(ARGV[6])
local fields = { 'version', ARGV[1] }
for i = 7, 6 + 2 * n do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
local a = 7 + 2 * n
for k = 2, #KEYS do
  redis.call('ZADD', KEYS[k], ARGV[a], ARGV[a + 1])
  a = a + 2
end
if ARGV[3] ~= '' then
  local message = string.gsub(ARGV[4], '%${(%w+)}', function(field)
    return redis.call('HGET', KEYS[1], field) or ''
  end)
  redis.call('PUBLISH', ARGV[3], message)
end
return 1
