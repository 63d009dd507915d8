-- wrk script: every request as the next viewer on the next path, over the X-Forwarded-Proto
-- a TLS-terminating load balancer adds; prints the figures as one JSON line. A viewer line is
-- an API token, or "Cookie: <session cookie>" for the web pages.
local viewers, paths, i = {}, {}, 0

function init(args)
  for line in io.lines(args[1]) do viewers[#viewers + 1] = line end
  for line in io.lines(args[2]) do paths[#paths + 1] = line end
  i = math.random(#viewers)
end

function request()
  i = i + 1
  local viewer = viewers[(i % #viewers) + 1]
  local headers = { ["X-Forwarded-Proto"] = "https" }
  if viewer:sub(1, 8) == "Cookie: " then
    headers["Cookie"] = viewer:sub(9)
  else
    headers["Authorization"] = "Bearer " .. viewer
  end
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
