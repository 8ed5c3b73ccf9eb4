-- Rate limit and monthly quota of one tenant, in one atomic step.
-- KEYS[1]: the tenant's GCRA state (theoretical arrival time, ms)
-- KEYS[2]: the tenant's call count for the current month
-- ARGV: now (ms), emission interval (ms per call), burst, monthly quota,
--       end of the month (epoch ms), peek ('1': report where the tenant stands, count nothing)
-- Returns {allowed (1/0), violated policy ('' | 'burst' | 'monthly'), burst remaining,
--          ms until the burst is full again, ms to wait before retrying, calls used this month}.
-- A rejected call changes nothing: it consumes neither the burst nor the monthly quota.
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local quota = tonumber(ARGV[4])
local month_end = tonumber(ARGV[5])
local peek = ARGV[6] == '1'
local tolerance = interval * burst

local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local used = tonumber(redis.call('GET', KEYS[2]) or '0')

if peek then
  local remaining = math.max(0, math.min(burst, math.floor((now - (tat - tolerance)) / interval)))
  return {1, '', remaining, math.ceil(tat - now), 0, used}
end

local new_tat = tat + interval
local allow_at = new_tat - tolerance
if allow_at > now then
  local remaining = math.max(0, math.floor((now - (tat - tolerance)) / interval))
  return {0, 'burst', remaining, math.ceil(tat - now), math.ceil(allow_at - now), used}
end
if used >= quota then
  local remaining = math.max(0, math.floor((now - (tat - tolerance)) / interval))
  return {0, 'monthly', remaining, math.ceil(tat - now), month_end - now, used}
end

redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1000)
used = redis.call('INCR', KEYS[2])
if used == 1 then
  -- Relative to the caller's clock, so the count outlives the month by a day whatever the
  -- server's clock says.
  redis.call('PEXPIRE', KEYS[2], month_end - now + 86400000)
end
local remaining = math.max(0, math.floor((now - allow_at) / interval))
return {1, '', remaining, math.ceil(new_tat - now), 0, used}
