-- wrk script: walks every company of IDS_FILE in order (GET .../score), so that a warm-up
-- leaves all of them in the score cache. Each wrk thread starts at a different offset.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  if #line > 0 then ids[#ids + 1] = line end
end
local counter = 0
local offset = 0
local threads = 0
-- The credential (API key or bearer token): credential.lua, beside this script.
local credential = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "credential.lua")
local headers

setup = function(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

init = function(args)
  offset = tonumber(wrk.thread:get("offset")) or 0
  headers = credential({})
end

request = function()
  counter = counter + 1
  local id = ids[((offset + counter) % #ids) + 1]
  return wrk.format("GET", "/api/v1/companies/FR/" .. id .. "/score", headers)
end
