-- A change stream's position and the announcements it keeps from id ARGV[1] on (at most ARGV[2]),
-- read in one atomic step. KEYS[1] is the stream.
return { tostring(streamPosition(KEYS[1])), redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2]) }
