-- wrk script: each write carries DEPTH requests for / back to back (HTTP/1.1 pipelining), and
-- wrk counts every response. Usage: wrk -s weft-bench/pipeline.lua URL -- DEPTH
local depth = 16
local burst

function init(args)
  depth = tonumber(args[1]) or depth
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format("GET", "/")
  end
  burst = table.concat(requests)
end

function request()
  return burst
end
