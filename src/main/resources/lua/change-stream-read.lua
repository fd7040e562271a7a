-- A change stream's position (its newest entry's, ids '<position>-0'; 0 for a stream that is not
-- there) and the announcements it keeps from id ARGV[1] on (at most ARGV[2]), read in one atomic
-- step. KEYS[1] is the stream.
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
local position = newest and string.match(newest[1], '^(%d+)') or '0'
return { position, redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2]) }
