-- wrk script: GET /api/v1/companies/FR/{id}/score for ids drawn uniformly from IDS_FILE (no journal write).
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do if #line > 0 then ids[#ids + 1] = line end end
-- The credential (API key or bearer token): credential.lua, beside this script.
local credential = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "credential.lua")
local headers

init = function(args)
  headers = credential({})
end

request = function()
  return wrk.format("GET", "/api/v1/companies/FR/" .. ids[math.random(#ids)] .. "/score", headers)
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d non2xx=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
