-- wrk script: POST /api/v1/scoring for company ids drawn uniformly from IDS_FILE (one SIREN a line).
local ids = {}
local file = os.getenv("IDS_FILE") or "ids.txt"
for line in io.lines(file) do
  if #line > 0 then ids[#ids + 1] = line end
end
-- The credential (API key or bearer token): credential.lua, beside this script.
local credential = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "credential.lua")
local headers

init = function(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
  headers = credential({ ["Content-Type"] = "application/json" })
end

request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("POST", "/api/v1/scoring", headers,
    '{"siren":"' .. id .. '","amount":50000,"payment_term":60}')
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("requests=%d non2xx=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f\n",
    summary.requests, non2xx, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
