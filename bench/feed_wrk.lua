-- wrk script: every request as the next viewer (bearer token) on the next path, over the
-- X-Forwarded-Proto a TLS-terminating load balancer adds; prints the figures as one JSON line.
local tokens, paths, i = {}, {}, 0

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  for line in io.lines(args[2]) do paths[#paths + 1] = line end
  i = math.random(#tokens)
end

function request()
  i = i + 1
  local headers = { ["Authorization"] = "Bearer " .. tokens[(i % #tokens) + 1], ["X-Forwarded-Proto"] = "https" }
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
