-- Counts n calls at once against a tenant's monthly quota (a batch's lines), all or nothing.
-- KEYS[1]: the tenant's call count for the current month (the rate-limit script's key)
-- ARGV: n, monthly quota, now (ms), end of the month (epoch ms)
-- Returns {reserved (1/0), calls used this month after the call}.
local n = tonumber(ARGV[1])
local quota = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local month_end = tonumber(ARGV[4])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + n > quota then
  return {0, used}
end
used = redis.call('INCRBY', KEYS[1], n)
if used == n then
  redis.call('PEXPIRE', KEYS[1], month_end - now + 86400000)
end
return {1, used}
