-- wrk script for scripts/load-test: POSTs one photo (PHOTO) with a key (KEY) and counts statuses per thread.
local file = assert(io.open(os.getenv("PHOTO"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
wrk.headers["Content-Type"] = "application/octet-stream"

local threads = {}
function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    s200, s401, s429, s503, s5xx, other = 0, 0, 0, 0, 0, 0
end

function response(status, headers, body)
    if status == 200 then s200 = s200 + 1
    elseif status == 401 then s401 = s401 + 1
    elseif status == 429 then s429 = s429 + 1
    elseif status == 503 then s503 = s503 + 1
    elseif status >= 500 then s5xx = s5xx + 1
    else other = other + 1 end
end

function done(summary, latency, requests)
    local totals = {s200 = 0, s401 = 0, s429 = 0, s503 = 0, s5xx = 0, other = 0}
    for _, thread in ipairs(threads) do
        for name, _ in pairs(totals) do totals[name] = totals[name] + (thread:get(name) or 0) end
    end
    io.write(string.format("RESULT requests=%d ok=%d unauthorized=%d too_many=%d busy=%d other_5xx=%d other=%d socket_errors=%d "
        .. "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f seconds=%.1f\n",
        summary.requests, totals.s200, totals.s401, totals.s429, totals.s503, totals.s5xx, totals.other,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        summary.duration / 1e6))
end
