-- wrk script: replays the URL paths listed in the file named by the URLS environment variable,
-- each thread starting at its own place in the list; counts non-2xx responses. With AUTHORIZATION
-- set, every request carries it as its Authorization header (bench/throttle's keyed runs).
local paths = {}
local counter = 0
local non2xx = 0
local authorization = os.getenv("AUTHORIZATION")

init = function(args)
    for line in io.lines(os.getenv("URLS")) do
        if #line > 0 then paths[#paths + 1] = line end
    end
    counter = math.random(#paths)
end

request = function()
    counter = counter % #paths + 1
    if authorization and #authorization > 0 then return wrk.format("GET", paths[counter], { ["Authorization"] = authorization }) end
    return wrk.format("GET", paths[counter])
end

response = function(status, headers, body)
    if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

done = function(summary, latency, requests)
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        errors, summary.errors.status))
end
