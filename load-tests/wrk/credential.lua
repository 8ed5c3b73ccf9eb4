-- The credential every wrk script sends, added to the headers given: a bearer token when
-- BENCH_TOKEN is set (scripts/bench's token mode), else the API key of API_KEY.
-- Loaded by the other scripts of this folder with dofile (see decisions.lua).
return function(headers)
  local token = os.getenv("BENCH_TOKEN")
  if token ~= nil and #token > 0 then
    headers["Authorization"] = "Bearer " .. token
  else
    headers["X-API-Key"] = os.getenv("API_KEY")
  end
  return headers
end
