-- wrk script: POST /api/v1/events, one payment incident per call (900 EUR, 10 days late: below the
-- default alert minimums) for the companies of IDS_FILE in turn, each with an external_ref of its
-- own, so that every call is a new fact that re-scores its company (the key needs events:write).
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do if #line > 0 then ids[#ids + 1] = line end end
local credential = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "credential.lua")
local headers
local counter = 0
local run = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))

init = function(args)
  headers = credential({ ["Content-Type"] = "application/json" })
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"siren":"%s","kind":"payment_incident","external_ref":"wrk-%s-%d","amount":900,' ..
    '"days_late":10,"occurred_on":"2026-06-01"}', ids[counter % #ids + 1], run, counter)
  return wrk.format("POST", "/api/v1/events", headers, body)
end
